// cluster/src/worker.ts: a job's reports (logs, progress, status) made while one is on its way to
// Redis travel together in the next updateProgress, and still reach the run complete and in order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { redis, runCli, startWorker, workspace } from './support/cluster';

const lines = 1000;

test(
  'a task that logs 1,000 lines: every line reaches the run in order, in far fewer round trips than reports',
  { timeout: 90_000 },
  async (t) => {
    const server = await redis(t);
    const ws = workspace('chatty', t);
    const worker = startWorker(t, { redis: server.url, cwd: ws, name: 'w1' });
    await worker.ready;
    const run = await runCli(ws, [
      'pipeline.ts',
      'Chatty',
      '--lines',
      String(lines),
      '--cluster',
      server.url,
    ]);
    assert.equal(run.code, 0, run.stderr);
    const logs = run.events
      .filter((e) => e.type === 'task-log' && e.taskId === `Chatty(lines=${lines})`)
      .map((e) => e.line as string)
      .filter((l) => l.startsWith('line '));
    assert.deepEqual(
      logs,
      Array.from({ length: lines }, (_, i) => `line ${i + 1}`),
    );
    const statuses = run.events.filter((e) => e.type === 'task-status');
    assert.ok(statuses.length > 0);
    assert.deepEqual(
      { message: statuses.at(-1)!.message, rows: statuses.at(-1)!.rows },
      { message: `wrote ${lines}`, rows: lines },
    );
    // Each report alone would be 3,000 progress events on the queue's event stream.
    const client = new Redis(server.url);
    try {
      const entries = (await client.xrange('bull:plumb-tasks:events', '-', '+')) as [string, string[]][];
      const progress = entries.filter(([, fields]) => fields[1] === 'progress').length;
      assert.ok(progress > 0 && progress < 1000, `${progress} progress events`);
    } finally {
      client.disconnect();
    }
  },
);
