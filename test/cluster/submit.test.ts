// plumb run --cluster (cluster/src/submit.ts) with plumb worker (cluster/src/worker.ts): real Redis,
// workers as real child processes.
import assert from 'node:assert/strict';
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { redis, runCli, startWorker, workspace } from './support/cluster';

const timeout = 90_000;

test(
  "a run on the cluster spreads its ready tasks over the workers, releases dependents and streams every worker's events",
  { timeout },
  async (t) => {
    const server = await redis(t);
    const ws = workspace('fan', t);
    const workers = ['w1', 'w2'].map((name) =>
      startWorker(t, { redis: server.url, cwd: ws, name, concurrency: 2 }),
    );
    await Promise.all(workers.map((w) => w.ready));
    const run = await runCli(ws, [
      'pipeline.ts',
      'Join',
      '--count',
      '6',
      '--ms',
      '200',
      '--cluster',
      server.url,
      '--workers',
      '8',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const all = readFileSync(path.join(ws, 'out/all.txt'), 'utf8');
    assert.equal(all, Array.from({ length: 6 }, (_, n) => `part ${n}\ndone ${n}\n`).join(''));
    // The submitter's stream carries what the workers' tasks logged, and which worker ran each.
    const logs = run.events
      .filter((e) => e.type === 'task-log')
      .map((e) => `${e.taskId as string} ${e.line as string}`);
    for (let n = 0; n < 6; n++)
      assert.ok(
        logs.some((l) => l === `Part(n=${n}) part ${n} starts`),
        logs.join('\n'),
      );
    const ranOn = new Set(logs.flatMap((l) => /running on worker (w\d)/.exec(l)?.[1] ?? []));
    assert.deepEqual([...ranOn].sort(), ['w1', 'w2'], 'both workers took jobs');
    // …and task-running names it, for the Run view.
    const running = run.events.filter((e) => e.type === 'task-running');
    assert.equal(running.length, 7);
    for (const e of running) assert.match(String(e.worker), /^w[12]$/, JSON.stringify(e));
    const finished = run.events.find((e) => e.type === 'run-finished') as {
      outcome: string;
      summary: { ran: string[] };
    };
    assert.equal(finished.outcome, 'success');
    assert.equal(finished.summary.ran.length, 7);
    // Nothing half-written is left behind.
    assert.deepEqual(
      readdirSync(path.join(ws, 'out')).filter((f) => !/^(part-\d|all)\.txt$/.test(f)),
      [],
    );
  },
);

test(
  'a worker with another version of the pipeline refuses the job with a clear error; the run fails (exit 1)',
  { timeout },
  async (t) => {
    const server = await redis(t);
    const ws = workspace('fan', t);
    const worker = startWorker(t, { redis: server.url, cwd: ws, name: 'old' });
    await worker.ready;
    // Same path, other code: the submitter reads the new source; the worker has the old one loaded…
    // here both read the same file, so the change is made before the submitter hashes it and the
    // worker compares the file it sees with its own loaded copy (stale after the edit).
    const warm = await runCli(ws, ['pipeline.ts', 'Part', '--n', '0', '--cluster', server.url]);
    assert.equal(warm.code, 0, warm.stderr);
    appendFileSync(path.join(ws, 'pipeline.ts'), '\n// a new version\n');
    const run = await runCli(ws, ['pipeline.ts', 'Part', '--n', '1', '--cluster', server.url]);
    assert.equal(run.code, 1, run.stderr);
    const failed = run.events.find((e) => e.type === 'task-failed') as { error: { message: string } };
    assert.match(
      failed.error.message,
      /worker old loaded .*pipeline\.ts before it changed: restart the worker/,
    );
  },
);
