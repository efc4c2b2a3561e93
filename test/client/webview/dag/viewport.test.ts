import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  centreOf,
  centreOn,
  clampZoom,
  fittingUnion,
  fitViewport,
  initialViewport,
  isFullyOnScreen,
  isOffScreen,
  keepAnchor,
  MAX_ZOOM,
  MIN_ZOOM,
  pickAnchor,
  READABLE_ZOOM,
  readableFit,
  reveal,
  unionBox,
  zoomAt,
} from '../../../../client/webview/src/dag/viewport';

const screen = { width: 800, height: 600 };
const toScreen = (v: { x: number; y: number; zoom: number }, p: { x: number; y: number }) => ({
  x: p.x * v.zoom + v.x,
  y: p.y * v.zoom + v.y,
});

test('fitViewport centres a small graph at 100% and shrinks a big one to fit', () => {
  assert.deepEqual(fitViewport({ width: 200, height: 100 }, screen, 0), { x: 300, y: 250, zoom: 1 });
  const big = fitViewport({ width: 1600, height: 600 }, screen, 0);
  assert.equal(big.zoom, 0.5);
  assert.deepEqual(toScreen(big, { x: 800, y: 300 }), { x: 400, y: 300 });
});

test('initialViewport keeps a huge graph readable, starting at its left edge', () => {
  const v = initialViewport({ width: 20000, height: 4000 }, screen, 10);
  assert.equal(v.zoom, READABLE_ZOOM);
  assert.equal(v.x, 10);
  assert.deepEqual(
    initialViewport({ width: 200, height: 100 }, screen),
    fitViewport({ width: 200, height: 100 }, screen),
  );
});

test('zoomAt keeps the graph point under the mouse in place and clamps the zoom', () => {
  const v = { x: 40, y: 30, zoom: 1 };
  const mouse = { x: 200, y: 150 };
  const graphPoint = { x: (mouse.x - v.x) / v.zoom, y: (mouse.y - v.y) / v.zoom };
  const zoomed = zoomAt(v, 2, mouse);
  assert.equal(zoomed.zoom, 2);
  assert.deepEqual(toScreen(zoomed, graphPoint), mouse);
  assert.equal(zoomAt(v, 1000, mouse).zoom, MAX_ZOOM);
  assert.equal(clampZoom(0), MIN_ZOOM);
});

test('keepAnchor moves the viewport with the anchor node so it stays put on screen', () => {
  const v = { x: 10, y: 20, zoom: 0.5 };
  const before = { x: 100, y: 100, width: 40, height: 20 };
  const after = { x: 300, y: 50, width: 40, height: 20 };
  const kept = keepAnchor(v, before, after);
  assert.deepEqual(toScreen(kept, { x: 320, y: 60 }), toScreen(v, { x: 120, y: 110 }));
  assert.equal(kept.zoom, 0.5);
});

test('pickAnchor prefers the selection, then any node both layouts share', () => {
  const box = { x: 0, y: 0, width: 1, height: 1 };
  const before = { a: box, b: box, c: box };
  const after = { b: box, c: box, d: box };
  assert.equal(pickAnchor(['a', 'c'], before, after), 'c');
  assert.equal(pickAnchor([null, undefined], before, after), 'b');
  assert.equal(pickAnchor(['a'], { a: box }, { d: box }), undefined);
});

test('centreOn and isOffScreen', () => {
  const v = centreOn({ x: 0, y: 0, zoom: 2 }, { x: 100, y: 50 }, screen);
  assert.deepEqual(toScreen(v, { x: 100, y: 50 }), { x: 400, y: 300 });
  const box = { x: 0, y: 0, width: 10, height: 10 };
  assert.equal(isOffScreen({ x: 0, y: 0, zoom: 1 }, box, screen), false);
  assert.equal(isOffScreen({ x: -20, y: 0, zoom: 1 }, box, screen), true);
  assert.equal(isOffScreen({ x: 801, y: 0, zoom: 1 }, box, screen), true);
});

test('readableFit shows a graph that fits whole, and never goes below READABLE_ZOOM for one that does not', () => {
  const small = { width: 400, height: 300 };
  assert.deepEqual(readableFit(small, screen), fitViewport(small, screen));
  const wide = { width: 3000, height: 400 };
  const v = readableFit(wide, screen, [], 16);
  assert.equal(v.zoom, READABLE_ZOOM);
  assert.equal(v.x, 16, 'without interest, the start of the pipeline');
  assert.equal(v.y, (screen.height - 400 * READABLE_ZOOM) / 2, 'a graph that fits in height is centred');
});

test('readableFit centres the task of interest and its neighbours, without empty space past the graph', () => {
  const wide = { width: 3000, height: 2000 };
  const task = { x: 1500, y: 1000, width: 200, height: 80 };
  const neighbour = { x: 1800, y: 1000, width: 200, height: 80 };
  const v = readableFit(wide, screen, [task, neighbour], 16);
  const centre = toScreen(v, { x: (1500 + 2000) / 2, y: 1040 });
  assert.deepEqual(centre, { x: 400, y: 300 });
  // A far neighbour that cannot fit with the task is left out: the task itself is centred.
  const far = { x: 2900, y: 0, width: 100, height: 80 };
  assert.deepEqual(toScreen(readableFit(wide, screen, [task, far], 16), centreOf(task)), { x: 400, y: 300 });
  // At the right edge of the graph: pulled in so the graph's edge sits at the padding.
  const last = { x: 2800, y: 1000, width: 200, height: 80 };
  const atEdge = readableFit(wide, screen, [last], 16);
  assert.equal(toScreen(atEdge, { x: 3000, y: 0 }).x, screen.width - 16);
});

test('fittingUnion keeps the first box and adds the following ones that fit beside it', () => {
  const a = { x: 0, y: 0, width: 100, height: 50 };
  const b = { x: 150, y: 0, width: 100, height: 50 };
  const c = { x: 1000, y: 0, width: 100, height: 50 };
  assert.deepEqual(fittingUnion([a, c, b], { width: 300, height: 100 }, 1), {
    x: 0,
    y: 0,
    width: 250,
    height: 50,
  });
  assert.deepEqual(fittingUnion([c], { width: 10, height: 10 }, 1), c);
  assert.equal(fittingUnion([], screen, 1), undefined);
  assert.deepEqual(unionBox([a, c]), { x: 0, y: 0, width: 1100, height: 50 });
});

test('reveal pans as little as needed to bring a node and its neighbours on screen', () => {
  const v = { x: 0, y: 0, zoom: 1 };
  const onScreen = { x: 100, y: 100, width: 100, height: 50 };
  assert.deepEqual(reveal(v, [onScreen], screen), v, 'nothing moves when all is in view');
  const right = { x: 900, y: 100, width: 100, height: 50 };
  const moved = reveal(v, [right], screen, 16);
  assert.equal(toScreen(moved, { x: 1000, y: 0 }).x, screen.width - 16);
  assert.equal(moved.y, 0);
  const both = reveal(v, [right, { x: 600, y: 100, width: 100, height: 50 }], screen, 16);
  assert.ok(toScreen(both, { x: 600, y: 0 }).x >= 16);
});

test('isFullyOnScreen: a node cut at the edge is not in view', () => {
  const box = { x: 0, y: 0, width: 100, height: 50 };
  assert.equal(isFullyOnScreen({ x: 0, y: 0, zoom: 1 }, box, screen), true);
  assert.equal(isFullyOnScreen({ x: -10, y: 0, zoom: 1 }, box, screen), false);
  assert.equal(isFullyOnScreen({ x: 700, y: 0, zoom: 1 }, box, screen), true);
  assert.equal(isFullyOnScreen({ x: 701, y: 0, zoom: 1 }, box, screen), false);
});

test('readableFit of a graph too big to read whole cuts no node at its left or top edge', () => {
  // An expanded backfill in a 420 px panel: 8 sources, 4 reports, the range task (run view sizes).
  const nodes: Record<string, { x: number; y: number; width: number; height: number }> = {};
  for (let i = 0; i < 8; i++) nodes[`d${i}`] = { x: 16, y: 16 + i * 119, width: 181, height: 107 };
  for (let i = 0; i < 4; i++) nodes[`r${i}`] = { x: 237, y: 143 + i * 103, width: 181, height: 91 };
  nodes.range = { x: 458, y: 274, width: 181, height: 138 };
  const graph = { width: 655, height: 968, nodes };
  const panel = { width: 420, height: 646 };
  const cut = (v: { x: number; y: number; zoom: number }) =>
    Object.entries(nodes).filter(([, b]) => {
      const left = b.x * v.zoom + v.x;
      const top = b.y * v.zoom + v.y;
      return (left < -0.5 && left + b.width * v.zoom > 0.5) || (top < -0.5 && top + b.height * v.zoom > 0.5);
    });
  // The range task and its reports: before, centred on them, the sources were cut half off the left.
  const v = readableFit(graph, panel, [nodes.range, nodes.r0!, nodes.r3!], 16);
  assert.equal(v.zoom, READABLE_ZOOM);
  assert.deepEqual(cut(v), []);
  for (const id of ['range', 'r0', 'r3']) assert.ok(isFullyOnScreen(v, nodes[id]!, panel), id);
  // A report at the bottom of a tall column: the top edge falls between two sources.
  const low = readableFit(graph, panel, [nodes.d7!], 16);
  assert.deepEqual(cut(low), []);
  assert.ok(isFullyOnScreen(low, nodes.d7!, panel));
});
