import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  compareToUsual,
  durationTrend,
  median,
  shareOfRun,
  slowestFirst,
  sparklinePoints,
} from '../../../../client/webview/src/run/history';

test('sparkline draws oldest on the left and the slowest run at the top', () => {
  // Oldest first: the latest run (300) is the slowest and is drawn last, at the top.
  assert.equal(sparklinePoints([200, 100, 300], 100, 20), '0,10 50,20 100,0');
  assert.equal(sparklinePoints([5, 5], 100, 20), '0,10 100,10');
  assert.equal(sparklinePoints([7], 100, 20), '50,10');
  assert.equal(sparklinePoints([], 100, 20), '');
});

test('trend compares the latest run with the median of the earlier ones', () => {
  assert.equal(durationTrend([500, 100, 100, 150]), 'slower');
  assert.equal(durationTrend([10, 100, 100, 70]), 'faster');
  assert.equal(durationTrend([100, 100, 110]), 'steady');
  assert.equal(durationTrend([110]), 'new');
  assert.equal(durationTrend([]), 'new');
  assert.equal(compareToUsual(3620, [2900, 3000, 2850]), 'slower');
  assert.equal(compareToUsual(880, [1500, 1600]), 'faster');
  assert.equal(compareToUsual(100, []), 'new');
  assert.equal(median([3, 1, 2, 10]), 2.5);
});

test('share of run and slowest-first ordering', () => {
  assert.equal(shareOfRun(250, 1000), 0.25);
  assert.equal(shareOfRun(2000, 1000), 1);
  assert.equal(shareOfRun(10, 0), 0);
  assert.deepEqual(
    slowestFirst({ A: [50, 10], B: [30], C: [] }).map((t) => t.taskId),
    ['B', 'A'],
  );
});
