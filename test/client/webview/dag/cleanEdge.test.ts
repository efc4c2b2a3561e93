import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cleanOffset } from '../../../../client/webview/src/dag/cleanEdge';

// Three columns of 180 with gaps of 40, at zoom 0.85 in a 420 px screen (an expanded backfill).
const columns = [
  { start: 16, end: 197 },
  { start: 237, end: 418 },
  { start: 458, end: 639 },
];
const fit = { screen: 420, zoom: 0.85, padding: 16, lowest: 420 - 16 - 655 * 0.85 };
const startEdge = (offset: number) => -offset / fit.zoom;
const cutAt = (at: number) => columns.some((c) => at > c.start + 0.5 && at < c.end - 0.5);

test('cleanOffset moves a view whose start edge would cut a node into the gap before or after it', () => {
  // Centred on the last two columns, pulled to the graph's end: the first column half off the left.
  const wanted = fit.lowest;
  assert.ok(cutAt(startEdge(wanted)), 'the wanted offset cuts the first column');
  const offset = cleanOffset(columns, { ...fit, wanted, target: { start: 237, end: 639 } });
  assert.equal(cutAt(startEdge(offset)), false);
  // The target stays wholly in view, the first column wholly out (a little empty space after the graph).
  assert.ok(237 * fit.zoom + offset >= 0);
  assert.ok(639 * fit.zoom + offset <= 420);
  assert.ok(197 * fit.zoom + offset <= 0);
});

test('cleanOffset without a target it must hold: the clean offset nearest the wanted one', () => {
  const offset = cleanOffset(columns, { ...fit, wanted: -100 });
  assert.equal(cutAt(startEdge(offset)), false);
  // Past the first column would leave empty space after the graph's end: the first column at the padding.
  assert.equal(offset, 16 - 16 * fit.zoom);
  // The graph's start always qualifies; without spans the wanted offset is kept.
  assert.equal(cleanOffset([{ start: 0, end: 5000 }], { ...fit, wanted: -1000 }), 16);
  assert.equal(cleanOffset([], { ...fit, wanted: -100 }), -100);
});

test('cleanOffset: a gap narrower than the padding puts the next node flush with the edge', () => {
  const tight = [
    { start: 0, end: 100 },
    { start: 105, end: 205 },
    { start: 210, end: 310 },
  ];
  const offset = cleanOffset(tight, { screen: 150, zoom: 1, padding: 16, lowest: -176, wanted: -110 });
  assert.equal(offset, -105);
});
