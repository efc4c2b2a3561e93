// A task's timeout on a cluster is kept as a local run keeps it: the worker stops the attempt (its
// isolated process and group killed), the run reports it failed and timed out — never cancelled —
// and a retry starts only once that attempt has stopped. The time counts from the attempt's start on
// its worker: waiting in the queue for a free slot is not the task's.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { redis, runCli, startWorker, workspace } from './support/cluster';
import { alive } from '../runtime/support/processes';

test(
  'a timed-out attempt is stopped on its worker and reported timed out; its retry never runs beside it',
  { timeout: 120_000 },
  async (t) => {
    const server = await redis(t);
    const ws = workspace('timeouts', t);
    const worker = startWorker(t, { redis: server.url, cwd: ws, name: 'w1', concurrency: 2 });
    await worker.ready;
    const run = await runCli(ws, ['pipeline.ts', 'Hangs', '--cluster', server.url]);
    assert.equal(run.code, 1, `${run.stderr}\n${run.stdout}`);
    const failed = run.events.filter((e) => e.type === 'task-failed') as {
      timedOut?: boolean;
      error: { message: string };
    }[];
    assert.equal(failed.length, 2, run.stdout);
    for (const f of failed) {
      assert.equal(f.timedOut, true, JSON.stringify(f));
      assert.match(f.error.message, /^Hangs\(\) timed out after 1500 ms$/);
    }
    const fin = run.events.at(-1) as { type: string; outcome: string; summary: { failed: string[] } };
    assert.equal(fin.outcome, 'failed');
    assert.deepEqual(fin.summary.failed, ['Hangs()']);
    // Each attempt's process was gone before the next began: one pid at a time, none left.
    const pids = readFileSync(path.join(ws, 'attempts.txt'), 'utf8').trim().split('\n').map(Number);
    assert.equal(pids.length, 2);
    assert.deepEqual(
      pids.filter((pid) => alive(pid)),
      [],
    );
    const runningAt = run.events.findIndex((e) => e.type === 'task-running' && e.attempt === 2);
    const firstFailedAt = run.events.findIndex((e) => e.type === 'task-failed');
    assert.ok(
      firstFailedAt >= 0 && firstFailedAt < runningAt,
      'the retry started before the first attempt ended',
    );
    assert.equal(existsSync(path.join(ws, 'out/hangs.txt')), false);
  },
);

test(
  'time waiting in the queue is not counted: three 1.5 s tasks with 3.5 s timeouts on one slot all finish',
  { timeout: 120_000 },
  async (t) => {
    const server = await redis(t);
    const ws = workspace('timeouts', t);
    const worker = startWorker(t, { redis: server.url, cwd: ws, name: 'w1', concurrency: 1 });
    await worker.ready;
    const run = await runCli(ws, ['pipeline.ts', 'ThreeWaits', '--cluster', server.url]);
    assert.equal(run.code, 0, `${run.stderr}\n${run.stdout}`);
    // Not "with 1000 workers": without --workers every ready task is queued, the workers take them.
    assert.match(run.stderr, /plumb: running ThreeWaits\(\) on the cluster \(up to 1000 tasks at once\)/);
    for (const n of [1, 2, 3])
      assert.equal(readFileSync(path.join(ws, `out/waits-${n}.txt`), 'utf8'), `${n}\n`);
  },
);
