import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  durationTrend,
  shareOfRun,
  slowestFirst,
  sparklinePoints,
} from '../../../../client/webview/src/run/history';

test('sparkline draws oldest on the left and the slowest run at the top', () => {
  // Newest first: the latest run (300) is the slowest and is drawn last, at the top.
  assert.equal(sparklinePoints([300, 100, 200], 100, 20), '0,10 50,20 100,0');
  assert.equal(sparklinePoints([5, 5], 100, 20), '0,10 100,10');
  assert.equal(sparklinePoints([7], 100, 20), '50,10');
  assert.equal(sparklinePoints([], 100, 20), '');
});

test('trend compares the latest run with the median of the earlier ones', () => {
  assert.equal(durationTrend([150, 100, 100, 500]), 'slower');
  assert.equal(durationTrend([70, 100, 100, 10]), 'faster');
  assert.equal(durationTrend([110, 100, 100]), 'steady');
  assert.equal(durationTrend([110]), 'new');
});

test('share of run and slowest-first ordering', () => {
  assert.equal(shareOfRun(250, 1000), 0.25);
  assert.equal(shareOfRun(2000, 1000), 1);
  assert.equal(shareOfRun(10, 0), 0);
  assert.deepEqual(
    slowestFirst({ A: [10, 50], B: [30], C: [] }).map((f) => f.family),
    ['B', 'A'],
  );
});
