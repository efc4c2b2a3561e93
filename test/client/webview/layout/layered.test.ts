import assert from 'node:assert/strict';
import { test } from 'node:test';
import { layeredLayout } from '../../../../client/webview/src/layout/layered';
import type { LayoutInput } from '../../../../client/webview/src/layout/layoutGraph';
import { chooseEngine, seededInput, useElk } from '../../../../client/webview/src/layout/layoutPlan';
import { centreOf } from '../../../../client/webview/src/dag/viewport';

const node = (id: string) => ({ id, width: 150, height: 44 });
const edge = (source: string, target: string) => ({ id: `${source}>${target}`, source, target });

function fanIn(n: number, roots = 1): LayoutInput {
  const nodes: string[] = [];
  const edges = [];
  for (let r = 0; r < roots; r++) {
    const root = roots === 1 ? 'root' : `root${r}`;
    const leaves = Array.from({ length: n }, (_, i) => (roots === 1 ? `l${i}` : `l${r}.${i}`));
    nodes.push(root, ...leaves);
    edges.push(...leaves.map((l) => edge(l, root)));
  }
  return { nodes: nodes.map(node), edges };
}

function layered(n: number, width = 20): LayoutInput {
  const nodes = Array.from({ length: n }, (_, i) => node(`n${i}`));
  const edges = [];
  for (let i = width; i < n; i++) {
    const layer = Math.floor(i / width);
    edges.push(edge(`n${(layer - 1) * width + ((i * 7) % width)}`, `n${i}`));
  }
  return { nodes, edges };
}

test('a fan-in of 1,000 leaves and 2,000 layered nodes get their layout at once', () => {
  for (const input of [fanIn(1000), layered(2000)]) {
    const started = performance.now();
    const layout = layeredLayout(input, { sweeps: 4 });
    const ms = performance.now() - started;
    assert.equal(Object.keys(layout.nodes).length, input.nodes.length);
    assert.ok(ms < 1500, `${ms} ms`);
  }
  const fan = layeredLayout(fanIn(1000), { sweeps: 4 });
  // The root is centred on its leaves and right of them.
  assert.ok(fan.nodes.root!.x > fan.nodes.l0!.x + 150);
  assert.ok(Math.abs(centreOf(fan.nodes.root!).y - fan.height / 2) < 30);
});

test('top-down puts each node below what it requires', () => {
  const layout = layeredLayout({ ...layered(60), direction: 'DOWN' }, { sweeps: 2 });
  for (const e of layered(60).edges)
    assert.ok(layout.nodes[e.target]!.y >= layout.nodes[e.source]!.y + 44, e.id);
});

test('seeded with the previous picture, an added node leaves the others in their order', () => {
  const before = layeredLayout(layered(100), { sweeps: 4 });
  const seed = Object.fromEntries(Object.entries(before.nodes).map(([id, box]) => [id, centreOf(box)]));
  const grown = layered(100);
  grown.nodes.push(node('extra'));
  grown.edges.push(edge('n5', 'extra'));
  const after = layeredLayout(grown, { sweeps: 4, seed });
  const orderIn = (layout: typeof before, ids: string[]) =>
    [...ids].sort((a, b) => layout.nodes[a]!.y - layout.nodes[b]!.y);
  const secondLayer = Array.from({ length: 20 }, (_, i) => `n${20 + i}`);
  assert.deepEqual(orderIn(after, secondLayer), orderIn(before, secondLayer));
  // Elk gets the same order as its model order.
  const ordered = seededInput(layered(40), seed);
  assert.deepEqual(
    ordered.nodes.slice(0, 3).map((n) => n.id),
    Object.keys(seed)
      .filter((id) => Number(id.slice(1)) < 40)
      .sort((a, b) => seed[a]!.y - seed[b]!.y)
      .slice(0, 3),
  );
});

test('by default our own layout takes every graph; with the elk setting elk takes graphs within its limits', () => {
  // Default ("plumb"): no waiting for elk's worker to load (15 s in a real VS Code under load).
  for (const n of [1, 9, 61, 150, 200, 201, 1000]) assert.equal(useElk(layered(n)), false, `${n} nodes`);
  assert.equal(useElk(fanIn(35, 2)), false);
  // "elk": every graph of 1 to 200 nodes with no node past 40 edges; above, ours (elk is far too slow).
  for (const n of [1, 9, 61, 150, 200]) assert.equal(useElk(layered(n), 'elk'), true, `${n} nodes, elk`);
  assert.equal(useElk(layered(201), 'elk'), false);
  assert.equal(useElk(fanIn(100), 'elk'), false);
  // Two fan-ins of 35 (72 nodes): no node past elk's 40 edges.
  assert.equal(useElk(fanIn(35, 2), 'elk'), true);
  // An empty graph (a run before its graph arrives) is no job for a worker.
  assert.equal(useElk({ nodes: [], edges: [] }, 'elk'), false);
});

test('seeded, a task joining a middle layer moves no other node', () => {
  const before = layeredLayout(layered(100), { sweeps: 4 });
  const seed = Object.fromEntries(Object.entries(before.nodes).map(([id, box]) => [id, centreOf(box)]));
  const grown = layered(100);
  grown.nodes.push(node('extra'));
  grown.edges.push(edge('n3', 'extra'));
  const after = layeredLayout(grown, { sweeps: 4, seed });
  // Positions relative to n0 (the whole picture may shift; the view keeps an anchor node still).
  const offset = (layout: typeof before, id: string) => ({
    x: layout.nodes[id]!.x - layout.nodes.n0!.x,
    y: layout.nodes[id]!.y - layout.nodes.n0!.y,
  });
  for (const id of Object.keys(before.nodes)) assert.deepEqual(offset(after, id), offset(before, id), id);
  assert.equal(after.nodes.extra!.x, after.nodes.n20!.x, 'in the layer after its requirement');
});

test('an update keeps the engine that drew the picture; a new graph gets the engine of the setting', () => {
  const seedOf = (n: number) =>
    Object.fromEntries(Array.from({ length: n }, (_, i) => [`n${i}`, { x: 0, y: i * 50 }]));
  assert.equal(chooseEngine(layered(61), seedOf(60), 'own', 'elk'), 'own');
  assert.equal(chooseEngine(layered(60), seedOf(61), 'elk', 'elk'), 'elk');
  // Another graph (under half its nodes shown before): chosen afresh.
  assert.equal(chooseEngine(layered(70), seedOf(10), 'own', 'elk'), 'elk');
  assert.equal(chooseEngine(layered(70), seedOf(10), 'elk', 'plumb'), 'own');
  // elk's limits hold even for an update; the "plumb" setting (the default) takes every update too.
  assert.equal(chooseEngine(layered(201), seedOf(200), 'elk', 'elk'), 'own');
  assert.equal(chooseEngine(layered(60), seedOf(61), 'elk'), 'own');
});

test('an edge that skips layers passes between the nodes of those layers, never across one', () => {
  // Three chains side by side; `a0` also feeds `c3` directly, past layers 1 and 2.
  const ids = ['a', 'b', 'c'].flatMap((chain) => [0, 1, 2, 3].map((i) => `${chain}${i}`));
  const edges = ['a', 'b', 'c'].flatMap((chain) =>
    [1, 2, 3].map((i) => edge(`${chain}${i - 1}`, `${chain}${i}`)),
  );
  edges.push(edge('a0', 'c3'));
  const layout = layeredLayout({ nodes: ids.map(node), edges }, { sweeps: 4 });
  const points = layout.edges['a0>c3']!;
  assert.ok(points.length > 2);
  for (const [id, box] of Object.entries(layout.nodes)) {
    if (id === 'a0' || id === 'c3') continue;
    const across = points.some((p, i) => {
      const q = points[i - 1];
      if (!q) return false;
      const [x0, x1, y0, y1] = [
        Math.min(p.x, q.x),
        Math.max(p.x, q.x),
        Math.min(p.y, q.y),
        Math.max(p.y, q.y),
      ];
      return x0 < box.x + box.width - 2 && x1 > box.x + 2 && y0 < box.y + box.height - 2 && y1 > box.y + 2;
    });
    assert.equal(across, false, `a0>c3 crosses ${id}`);
  }
});
