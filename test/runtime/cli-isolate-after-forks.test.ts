// The scan for a dead run's survivors waits for the forks the scheduler makes in its next turns
// (a fork blocks the thread, so the scheduler yields between them): no member starts late for it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { afterForks } from '../../runtime/src/cli-isolate-after-forks';

/** As the scheduler: one fork per turn, `n` turns, the first queued after the scan was asked for. */
function forkInTurns(n: number, order: string[], count: { forks: number }): void {
  const fork = (left: number) => {
    if (left === 0) return;
    count.forks++;
    order.push(`fork ${count.forks}`);
    setImmediate(() => fork(left - 1));
  };
  setImmediate(() => fork(n));
}

test('afterForks runs after every fork of the turns that follow, not between them', async () => {
  const order: string[] = [];
  const count = { forks: 1 }; // the first member was forked in this turn
  const done = afterForks(
    () => count.forks,
    () => order.push('scan'),
  );
  forkInTurns(3, order, count);
  await done;
  assert.deepEqual(order, ['fork 2', 'fork 3', 'fork 4', 'scan']);
});

test('afterForks stops waiting after maxTurns of forks', async () => {
  const count = { forks: 0 };
  let stop = false;
  const forever = () => {
    count.forks++;
    if (!stop) setImmediate(forever);
  };
  setImmediate(forever);
  await afterForks(
    () => count.forks,
    () => undefined,
    8,
  );
  stop = true;
  assert.ok(count.forks <= 9, `waited ${count.forks} forks`);
});
