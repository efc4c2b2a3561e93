// Cancelling a cluster run from any host (cluster/src/run-cancel.ts, run-job.ts, coordinator.ts;
// runtime/src/cli-cluster.ts): `plumb run --cancel <runId>` from another process ends the run as a
// local Ctrl-C does: run-finished cancelled, exit 130 for the canceller and the submitter, the tasks in
// flight counted cancelled; the attempts running on workers are killed with their process group (not
// left to finish after the run said it was cancelled), nothing is written, and a cancelled attempt is
// no dead letter. A run cancelled before any worker coordinates it never starts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { cli, redis, runCli, startRun, startWorker, workspace } from './support/cluster';
import { alive } from '../runtime/support/processes';

test(
  'plumb run --cancel <runId> from another process: the run ends cancelled (130 for both), its running attempts are killed, nothing is written, no dead letter',
  { timeout: 120_000 },
  async (t) => {
    const server = await redis(t);
    const ws = workspace('attempts', t);
    const worker = startWorker(t, { redis: server.url, cwd: ws, name: 'w1', concurrency: 2 });
    await worker.ready;
    const submitter = startRun(t, ws, ['pipeline.ts', 'Pair', '--workers', '2', '--cluster', server.url]);
    await submitter.until((e) => e.type === 'task-running' && e.taskId === 'Held(n=1)');
    await submitter.until((e) => e.type === 'task-running' && e.taskId === 'Held(n=2)');
    const pids = () => [1, 2].map((n) => path.join(ws, 'pids', String(n)));
    while (!pids().every((p) => existsSync(p))) await sleep(20);
    const members = pids().map((p) => Number(readFileSync(p, 'utf8')));
    const runId = submitter.events()[0]!.runId as string;

    const cancel = await runCli(ws, ['--cancel', runId, '--cluster', server.url]);
    assert.equal(cancel.code, 130, cancel.stderr);
    assert.match(cancel.stderr, new RegExp(`cancelling run ${runId}`));
    const finished = cancel.events.at(-1) as {
      type: string;
      outcome: string;
      summary: { cancelled: string[] };
    };
    assert.equal(finished.type, 'run-finished');
    assert.equal(finished.outcome, 'cancelled');
    assert.deepEqual([...finished.summary.cancelled].sort(), ['Held(n=1)', 'Held(n=2)', 'Pair()']);
    const result = await submitter.done;
    assert.equal(result.code, 130, result.stderr);

    // The attempts' processes are gone by the time the run says it is cancelled.
    assert.deepEqual(
      members.filter((pid) => alive(pid)),
      [],
      'the attempts running on the worker were killed',
    );
    assert.ok(
      !existsSync(path.join(ws, 'out', 'held-1.txt')) && !existsSync(path.join(ws, 'out', 'held-2.txt')),
    );
    const failed = spawnSync(process.execPath, [cli(), 'queue', 'failed', '--json', '--redis', server.url], {
      cwd: ws,
      encoding: 'utf8',
    });
    assert.deepEqual(JSON.parse(failed.stdout), [], 'a cancelled attempt is no dead letter');
    // The worker goes on taking jobs.
    assert.equal(worker.child.exitCode, null);

    // A run it no longer knows, or one already ended: a usage error, or its own exit code again.
    const unknown = await runCli(ws, ['--cancel', 'no-such-run', '--cluster', server.url]);
    assert.equal(unknown.code, 2, unknown.stderr);
    const again = await runCli(ws, ['--cancel', runId, '--cluster', server.url]);
    assert.equal(again.code, 130, again.stderr);
    assert.match(again.stderr, /had already ended/);
  },
);

test(
  'a run cancelled while no worker coordinates it ends cancelled (130) once one takes it, and nothing of it runs',
  { timeout: 120_000 },
  async (t) => {
    const server = await redis(t);
    const ws = workspace('attempts', t);
    const submitter = startRun(t, ws, ['pipeline.ts', 'Pair', '--cluster', server.url]);
    await submitter.untilStderr(/run (\S+) is on the cluster/);
    const runId = /run (\S+) is on the cluster/.exec(submitter.stderr())![1]!;
    const cancel = startRun(t, ws, ['--cancel', runId, '--cluster', server.url]);
    await cancel.untilStderr(/cancelling run/);
    const worker = startWorker(t, { redis: server.url, cwd: ws, name: 'w1' });
    await worker.ready;
    const [result, cancelled] = await Promise.all([submitter.done, cancel.done]);
    assert.equal(result.code, 130, result.stderr);
    assert.equal(cancelled.code, 130, cancelled.stderr);
    const finished = result.events.at(-1) as { type: string; outcome: string };
    assert.equal(finished.outcome, 'cancelled');
    assert.ok(!existsSync(path.join(ws, 'ran.log')), 'nothing of the run ran');
  },
);
