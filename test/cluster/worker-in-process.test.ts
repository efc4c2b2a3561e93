// plumb worker runs a task in its own process when the task's policy does not isolate it, as
// `plumb run` does (cluster/src/worker.ts, runtime's guarded-attempt.ts), and in its isolated pool
// when it does. The run guard holds there too: process.exit() or an uncaught error from a task fails
// that task alone; and a run() that blocks the worker's event loop longer than its job's lock keeps
// the lock (lock-keeper.ts): the job is not taken by another worker and run twice. A quick task
// that reports nothing says where it ran in its job's result, not in a progress report of its own.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { Queue } from 'bullmq';
import { connectionOf, jobIdOf, TASK_QUEUE } from '../../cluster/src/job';
import { redis, runCli, startWorker, workspace } from './support/cluster';

test(
  'a task its policy does not isolate runs in the worker process; an isolated one in a member',
  { timeout: 90_000 },
  async (t) => {
    const server = await redis(t);
    const ws = workspace('in-process', t);
    const worker = startWorker(t, { redis: server.url, cwd: ws, name: 'w1' });
    await worker.ready;
    for (const task of [['Where', '--n', '1'], ['Isolated']]) {
      const run = await runCli(ws, ['pipeline.ts', ...task, '--cluster', server.url]);
      assert.equal(run.code, 0, run.stderr);
    }
    const pid = String(worker.child.pid);
    assert.equal(readFileSync(path.join(ws, 'out/where-1.txt'), 'utf8'), pid);
    assert.notEqual(readFileSync(path.join(ws, 'out/isolated.txt'), 'utf8'), pid);
  },
);

test(
  'in the worker process, process.exit() and an uncaught error fail only their task',
  { timeout: 90_000 },
  async (t) => {
    const server = await redis(t);
    const ws = workspace('in-process', t);
    const worker = startWorker(t, { redis: server.url, cwd: ws, name: 'w1' });
    await worker.ready;
    const exits = await runCli(ws, ['pipeline.ts', 'Exits', '--cluster', server.url]);
    assert.equal(exits.code, 1, exits.stderr);
    const failed = exits.events.find((e) => e.type === 'task-failed') as { error: { message: string } };
    assert.match(failed.error.message, /run\(\) called process\.exit\(3\)/);
    const throws = await runCli(ws, ['pipeline.ts', 'Throws', '--cluster', server.url]);
    assert.equal(throws.code, 1, throws.stderr);
    const thrown = throws.events.find((e) => e.type === 'task-failed') as { error: { message: string } };
    assert.match(thrown.error.message, /thrown from a timer/);
    // The same worker, still up, logs and runs the next task in its process.
    const next = await runCli(ws, ['pipeline.ts', 'Where', '--n', '2', '--cluster', server.url]);
    assert.equal(next.code, 0, next.stderr);
    assert.equal(worker.child.exitCode, null);
    assert.equal(readFileSync(path.join(ws, 'out/where-2.txt'), 'utf8'), String(worker.child.pid));
    const logs = next.events.filter((e) => e.type === 'task-log').map((e) => e.line);
    assert.ok(logs.includes(`where 2 runs in ${worker.child.pid}`), logs.join('\n'));
  },
);

test(
  'a run() blocking the worker longer than its lock is not run again by another worker',
  { timeout: 90_000 },
  async (t) => {
    const server = await redis(t);
    const ws = workspace('in-process', t);
    // The lock lapses after 3 s unless renewed; the other worker looks for stalled jobs every 0.5 s.
    const env = { PLUMB_CLUSTER_LOCK_MS: '3000', PLUMB_CLUSTER_STALLED_MS: '500' };
    const first = startWorker(t, { redis: server.url, cwd: ws, name: 'first', env, args: ['--runs', '0'] });
    await first.ready;
    const running = runCli(ws, ['pipeline.ts', 'Blocks', '--ms', '7000', '--cluster', server.url]);
    const other = startWorker(t, { redis: server.url, cwd: ws, name: 'other', env });
    await other.ready;
    const run = await running;
    assert.equal(run.code, 0, run.stderr);
    const runs = readFileSync(path.join(ws, 'runs.txt'), 'utf8').trim().split('\n');
    // Either worker may take it (the other coordinates the run): it runs once.
    assert.equal(runs.length, 1, `run by ${runs.join(', ')}`);
    assert.ok([first.child.pid, other.child.pid].map(String).includes(runs[0]!), runs[0]);
  },
);

test(
  'a quick task that reports nothing names its worker through its job result, with no progress round trip',
  { timeout: 90_000 },
  async (t) => {
    const server = await redis(t);
    const ws = workspace('in-process', t);
    const worker = startWorker(t, { redis: server.url, cwd: ws, name: 'w1' });
    await worker.ready;
    const run = await runCli(ws, ['pipeline.ts', 'Quick', '--cluster', server.url]);
    assert.equal(run.code, 0, run.stderr);
    const running = run.events.filter((e) => e.type === 'task-running');
    assert.deepEqual(
      running.map((e) => [e.worker, e.pid]),
      [['w1', worker.child.pid]],
    );
    const logs = run.events.filter((e) => e.type === 'task-log').map((e) => e.line);
    assert.deepEqual(logs, ['running on worker w1']);
    const queue = new Queue(TASK_QUEUE, { connection: connectionOf(server.url) });
    try {
      const job = await queue.getJob(
        jobIdOf(run.events[0]!.runId as string, running[0]!.taskId as string, 1),
      );
      assert.ok(job, 'the job is kept');
      assert.equal(job.progress, 0, `no updateProgress: ${JSON.stringify(job.progress)}`);
    } finally {
      await queue.close();
    }
  },
);

test(
  "a worker serving two projects runs the second one's tasks isolated, each output in its own project",
  { timeout: 90_000 },
  async (t) => {
    const server = await redis(t);
    const first = workspace('in-process', t);
    const second = workspace('in-process', t);
    const worker = startWorker(t, { redis: server.url, cwd: first, name: 'w1' });
    await worker.ready;
    for (const [ws, n] of [
      [first, '1'],
      [second, '2'],
      [first, '3'],
    ] as const) {
      const run = await runCli(ws, ['pipeline.ts', 'Where', '--n', n, '--cluster', server.url]);
      assert.equal(run.code, 0, run.stderr);
    }
    const pid = String(worker.child.pid);
    assert.equal(readFileSync(path.join(first, 'out/where-1.txt'), 'utf8'), pid);
    assert.notEqual(readFileSync(path.join(second, 'out/where-2.txt'), 'utf8'), pid, 'isolated');
    assert.equal(readFileSync(path.join(first, 'out/where-3.txt'), 'utf8'), pid);
  },
);
