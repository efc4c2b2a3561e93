import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatTick, ganttRows, tickStep, timeScale } from '../../../../client/webview/src/run/gantt';
import { applyRunEvents, emptyRun } from '../../../../client/webview/src/run/runState';
import { readRunEvents } from '../fixtureFiles';

const events = readRunEvents('run-failed-after-retry.jsonl');

test('one row per task that ran, in start order, one bar per attempt, relative to the run start', () => {
  const state = applyRunEvents(emptyRun('run-fixture'), events);
  const rows = ganttRows(state, 0);
  assert.deepEqual(
    rows.map((r) => r.family),
    ['AggregateArtists', 'FetchWeather', 'Top10Artists', 'ArtistToplistToDatabase'],
  );
  const weather = rows[1]!;
  assert.deepEqual(
    weather.bars.map((b) => [b.attempt, b.start, b.end, b.outcome]),
    [
      [1, 120, 1320, 'failed'],
      [2, 1830, 3020, 'failed'],
    ],
  );
  assert.equal(weather.busyMs, 1200 + 1190);
});

test('a running attempt grows to now', () => {
  const upTo = events.findIndex((e) => e.type === 'task-progress');
  const state = applyRunEvents(emptyRun('run-fixture'), events.slice(0, upTo));
  const [agg] = ganttRows(state, state.startedAt! + 900);
  assert.deepEqual(agg!.bars[0], { attempt: 1, start: 100, end: 900, outcome: 'running', timedOut: false });
});

test('timeScale picks round steps that keep ticks apart and maps the span onto the width', () => {
  assert.equal(tickStep(5650, 800, 80), 1000);
  assert.equal(tickStep(5650, 200, 80), 5000);
  assert.equal(tickStep(3_600_000, 600, 100), 600_000);
  assert.equal(tickStep(3_600_000, 300, 100), 1_800_000);
  const scale = timeScale(5000, 500, 80);
  assert.equal(scale.pxPerMs, 0.1);
  assert.deepEqual(
    scale.ticks.map((t) => [t.x, t.label]),
    [
      [0, '0'],
      [100, '1 s'],
      [200, '2 s'],
      [300, '3 s'],
      [400, '4 s'],
      [500, '5 s'],
    ],
  );
  assert.equal(timeScale(0, 100).ticks.length >= 1, true);
});

test('tick labels match their step', () => {
  assert.equal(formatTick(500, 100), '0.5 s');
  assert.equal(formatTick(30_000, 30_000), '30 s');
  assert.equal(formatTick(90_000, 30_000), '1:30');
  assert.equal(formatTick(120_000, 60_000), '2 min');
  assert.equal(formatTick(5_400_000, 1_800_000), '1 h 30');
});
