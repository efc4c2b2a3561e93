import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { StalePacer } from '../../client/src/stalePacer';

/** Advances the mocked clock 10 ms at a time: a timer's callback then sees its own time in Date.now(). */
function advance(ms: number): void {
  for (let left = ms; left > 0; left -= 10) mock.timers.tick(Math.min(10, left));
}

/** Fires the pacer is asked for, at the times (ms from the start) they happened. */
function paced(changesAt: number[], untilMs: number): number[] {
  mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 });
  try {
    const fired: number[] = [];
    const pacer = new StalePacer(() => fired.push(Date.now()));
    let t = 0;
    for (const at of changesAt) {
      advance(at - t);
      t = at;
      pacer.changed();
    }
    advance(untilMs - t);
    pacer.dispose();
    return fired;
  } finally {
    mock.timers.reset();
  }
}

test('one change: plans go stale half a second later, once', () => {
  assert.deepEqual(paced([1000], 20_000), [1500]);
});

test('a burst of changes is one stale signal', () => {
  assert.deepEqual(paced([1000, 1001, 1100, 1400], 20_000), [1500]);
});

test('changes that keep coming (a run in a terminal) make plans stale at most every 5 s, and the last change is never left out', () => {
  const every100ms = Array.from({ length: 200 }, (_, i) => 1000 + i * 100); // 1.0 s to 20.9 s
  const fired = paced(every100ms, 60_000);
  assert.deepEqual(fired, [1500, 6500, 11500, 16500, 21500]);
  assert.ok(fired.at(-1)! > every100ms.at(-1)!, 'a stale signal after the last change');
});

test('after a calm spell a change is shown soon again', () => {
  assert.deepEqual(paced([1000, 3000, 30_000], 60_000), [1500, 6500, 30_500]);
});

test('dispose drops a pending signal', () => {
  assert.deepEqual(paced([1000], 1200), []);
});
