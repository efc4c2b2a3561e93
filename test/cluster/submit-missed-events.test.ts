// A submitter that misses a job's end (cluster/src/submit.ts reconcile): QueueEvents reads a capped
// stream, and a submitter that falls behind finds ends trimmed away. Made certain here: the job the
// submitter adds already ended before it was added (same job id), so no event will ever come; the
// submitter still learns the outcome by asking the job's state. Real Redis, a real BullMQ Worker.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { Queue, Worker } from 'bullmq';
import { startRedis } from '../../scripts/redis/server.mjs';
import { param } from '../../runtime/src/parameter';
import { Task } from '../../runtime/src/task';
import { taskParamStrings } from '../../runtime/src/task-factory';

class Noop extends Task.with({ n: param.int() }) {
  run() {}
}

test(
  'a job whose end event never reaches the submitter still settles its attempt (done, or failed with its error)',
  { timeout: 60_000 },
  async (t) => {
    process.env.PLUMB_CLUSTER_RECONCILE_MS = '300';
    // Loaded after the setting: the interval is read once.
    const { clusterSubmitter } = await import('../../cluster/src/submit');
    const { connectionOf, jobIdOf, TASK_QUEUE } = await import('../../cluster/src/job');
    const redis = await startRedis();
    // Clients close before the server stops: a client left open on a stopped Redis reconnects
    // forever, and its test file never exits (it held a CI run for 20 minutes).
    const closers: (() => Promise<unknown>)[] = [];
    t.after(async () => {
      for (const close of closers.reverse()) await close().catch(() => undefined);
      await redis.stop();
    });
    const connection = connectionOf(redis.url);
    const queue = new Queue(TASK_QUEUE, { connection });
    closers.push(() => queue.close());
    const worker = new Worker(
      TASK_QUEUE,
      async (job) => {
        if (job.data.fail) throw new Error('it broke');
      },
      { connection },
    );
    closers.push(() => worker.close());
    const ended = new Promise<void>((resolve) => {
      let count = 0;
      const one = () => ++count === 2 && resolve();
      worker.on('completed', one);
      worker.on('failed', one);
    });
    const done = new Noop({ n: 1 });
    const broken = new Noop({ n: 2 });
    // Both jobs end before the submitter exists.
    for (const [task, fail] of [
      [done, false],
      [broken, true],
    ] as const)
      await queue.add('Noop', { fail }, { jobId: jobIdOf('run-1', task.taskId, 1) });
    await ended;

    const submitter = clusterSubmitter({ taskParamStrings } as never, {
      redis: redis.url,
      runId: 'run-1',
      module: path.join(__dirname, 'fixtures/fan/pipeline.ts'),
      projectRoot: __dirname,
      retriesOf: () => 0,
      timeoutOf: () => 0,
    });
    closers.push(() => submitter.close());
    const hooks = (taskId: string) => ({
      taskId,
      signal: new AbortController().signal,
      stopped: false,
      progress() {},
      status() {},
      log() {},
    });
    const settle = async (task: Noop) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        return await Promise.race([
          submitter.runner({ id: task.taskId, task }, hooks(task.taskId), 1, () => {}),
          new Promise((resolve) => (timer = setTimeout(() => resolve('no outcome within 10 s'), 10_000))),
        ]);
      } finally {
        clearTimeout(timer);
      }
    };
    assert.deepEqual(await settle(done), { kind: 'done' });
    const failed = (await settle(broken)) as { kind: string; error: Error };
    assert.equal(failed.kind, 'failed');
    assert.equal(failed.error.message, 'it broke');
  },
);
