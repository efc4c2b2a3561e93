// One attempt in process (runtime/src/worker.ts): what happens to a run() stopped before its promise settles.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Task } from '../../runtime/src/task';
import { runAttempt, TaskCancelledError } from '../../runtime/src/worker';
import { hooksStoppedBy } from './support/task-hooks';

test('a run() stopped during its synchronous part: its later rejection is not an unhandled one', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    const controller = new AbortController();
    const task = {
      run: () => {
        controller.abort(new TaskCancelledError('T()')); // e.g. a cancel that lands while run() starts
        return sleep(20).then(() => Promise.reject(new Error('rejected after the stop')));
      },
    } as unknown as Task;
    const outcome = await runAttempt(task, hooksStoppedBy(controller));
    assert.ok(outcome.kind === 'failed' && outcome.cancelled === true);
    await sleep(80);
    assert.deepEqual(unhandled, []);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});
