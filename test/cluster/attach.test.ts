// The submitter can die and come back (runtime/src/cli-cluster-follow.ts, cluster/src/run-stream.ts):
// a cluster run's events live in a Redis stream; killing `plumb run --cluster` leaves the run going,
// `plumb run --attach <runId>` replays the run from its first event and follows it to its end, and
// the run log is complete whether anyone follows or not.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { redis, runCli, startRun, startWorker, workspace } from './support/cluster';

const timeout = 90_000;

test(
  'the submitter is SIGKILLed mid-run: the run goes on, --attach follows it from its first event to run-finished (exit 0), the run log is complete',
  { timeout },
  async (t) => {
    const server = await redis(t);
    const ws = workspace('fan', t);
    const gate = path.join(ws, 'gate');
    const worker = startWorker(t, { redis: server.url, cwd: ws, name: 'w1', concurrency: 2 });
    await worker.ready;
    const submitter = startRun(t, ws, [
      'pipeline.ts',
      'Join',
      '--count',
      '2',
      '--gate',
      gate,
      '--cluster',
      server.url,
    ]);
    const running = await submitter.until((e) => e.type === 'task-running');
    const runId = running.runId as string;
    submitter.child.kill('SIGKILL');
    await submitter.done;

    const attached = startRun(t, ws, ['--attach', runId, '--cluster', server.url]);
    // It catches up with what happened while nobody followed, before the run goes on.
    await attached.until((e) => e.type === 'task-running');
    writeFileSync(gate, '');
    const result = await attached.done;
    assert.equal(result.code, 0, result.stderr);
    const seqs = result.events.map((e) => e.seq);
    assert.deepEqual(
      seqs,
      seqs.map((_, i) => i),
      'every event once, in order, from the first',
    );
    assert.equal(result.events[0]!.type, 'run-started');
    const finished = result.events.at(-1)!;
    assert.equal(finished.type, 'run-finished');
    assert.equal(finished.exitCode, 0);
    assert.equal(readFileSync(path.join(ws, 'out/all.txt'), 'utf8'), 'part 0\ndone 0\npart 1\ndone 1\n');
    // The run log on disk (written by the scheduler) has the same story to its end.
    const log = readFileSync(path.join(ws, '.plumb/runs', `${runId}.jsonl`), 'utf8')
      .trim()
      .split('\n');
    assert.deepEqual(
      log.map((l) => (JSON.parse(l) as { seq: number }).seq),
      seqs,
    );
    // A finished run can still be attached to: it replays and exits with the run's code.
    const late = await runCli(ws, ['--attach', runId, '--cluster', server.url]);
    assert.equal(late.code, 0, late.stderr);
    assert.equal(late.events.length, seqs.length);
  },
);

test(
  '--attach to a run that failed exits with its code; Ctrl-C in the submitter cancels the run (130)',
  { timeout },
  async (t) => {
    const server = await redis(t);
    const ws = workspace('fan', t);
    const gate = path.join(ws, 'gate');
    const worker = startWorker(t, { redis: server.url, cwd: ws, name: 'w1' });
    await worker.ready;
    const submitter = startRun(t, ws, [
      'pipeline.ts',
      'Part',
      '--n',
      '0',
      '--gate',
      gate,
      '--cluster',
      server.url,
    ]);
    await submitter.until((e) => e.type === 'task-running');
    submitter.child.kill('SIGINT');
    const result = await submitter.done;
    assert.equal(result.code, 130, result.stderr);
    const runId = (result.events[0] as { runId: string }).runId;
    const late = await runCli(ws, ['--attach', runId, '--cluster', server.url]);
    assert.equal(late.code, 130, late.stderr);
  },
);
