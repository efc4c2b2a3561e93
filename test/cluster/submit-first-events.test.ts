// cluster/src/submit.ts: the submitter reads the queue's events from where the stream stood before it
// added its first job, so what that job fires while QueueEvents is still starting (its worker's
// 'running' report, even its end) is not lost: every run of one quick task names its worker.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redis, runCli, startWorker, workspace } from './support/cluster';

test("a run's first job names its worker however quickly it runs", { timeout: 120_000 }, async (t) => {
  const server = await redis(t);
  const ws = workspace('fan', t);
  const worker = startWorker(t, { redis: server.url, cwd: ws, name: 'w1' });
  await worker.ready;
  // Missed before about one run in four: ten runs in a row.
  for (let n = 0; n < 10; n++) {
    const run = await runCli(ws, ['pipeline.ts', 'Part', '--n', String(n), '--cluster', server.url]);
    assert.equal(run.code, 0, run.stderr);
    const running = run.events.filter((e) => e.type === 'task-running');
    assert.deepEqual(
      running.map((e) => e.worker),
      ['w1'],
      `run ${n + 1}: ${JSON.stringify(running)}`,
    );
    assert.ok(
      run.events.some((e) => e.type === 'task-log' && e.line === `part ${n} starts`),
      `run ${n + 1} has its task's log`,
    );
  }
});
