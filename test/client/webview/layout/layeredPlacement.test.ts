// Placement across the flow (layeredPlacement): long edges run straight, a node sits level with its
// median neighbour, and the layer order and spacing hold. Pure functions, no page.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { corners, layeredLayout } from '../../../../client/webview/src/layout/layered';
import { placeAcross, WAYPOINT_GAP } from '../../../../client/webview/src/layout/layeredPlacement';
import { type LayoutInput, NODE_GAP } from '../../../../client/webview/src/layout/layoutGraph';

const node = (id: string) => ({ id, width: 150, height: 44 });
const edge = (source: string, target: string) => ({ id: `${source}>${target}`, source, target });
const bends = (points: { x: number; y: number }[]) => points.length - 2;

/** A seeded pipeline of `n` tasks: layers 2–7 wide, 1–3 requirements each, one in four from further back. */
function pipeline(n: number): LayoutInput {
  let state = 11;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const layers: string[][] = [];
  for (let made = 0; made < n;) {
    const width = Math.min(n - made, 2 + Math.floor(random() * 6));
    layers.push(Array.from({ length: width }, (_, i) => `t${made + i}`));
    made += width;
  }
  const edges = new Map<string, ReturnType<typeof edge>>();
  layers.forEach((layer, l) => {
    if (l === 0) return;
    for (const target of layer) {
      for (let k = Math.floor(random() * 3); k >= 0; k--) {
        const from = random() < 0.25 && l > 1 ? Math.floor(random() * (l - 1)) : l - 1;
        const source = layers[from]![Math.floor(random() * layers[from]!.length)]!;
        edges.set(`${source}>${target}`, edge(source, target));
      }
    }
  });
  return { nodes: layers.flat().map(node), edges: [...edges.values()] };
}

test('an edge that skips layers runs straight through them, not in a zigzag', () => {
  // A chain a0..a4 beside a wider middle (b, c, d): the long edge a0 > a4 passes layers 1–3.
  const ids = ['a0', 'a1', 'a2', 'a3', 'a4', 'b1', 'b2', 'b3', 'c1', 'c2', 'c3', 'd2'];
  const edges = [
    ...[1, 2, 3, 4].map((i) => edge(`a${i - 1}`, `a${i}`)),
    edge('a0', 'b1'),
    edge('b1', 'b2'),
    edge('b2', 'b3'),
    edge('a0', 'c1'),
    edge('c1', 'c2'),
    edge('c2', 'c3'),
    edge('c1', 'd2'),
    edge('b3', 'a4'),
    edge('c3', 'a4'),
    edge('a0', 'a4'),
  ];
  const layout = layeredLayout({ nodes: ids.map(node), edges }, { sweeps: 4, placement: 'aligned' });
  // A step out of a0 into its lane and one into a4 at most: its waypoints are level (placed each on
  // its own, they zigzagged).
  assert.ok(bends(layout.edges['a0>a4']!) <= 4, JSON.stringify(layout.edges['a0>a4']));
  for (const chain of ['a', 'b', 'c']) {
    const straight = [1, 2, 3]
      .map((i) => layout.edges[`${chain}${i - 1}>${chain}${i}`])
      .filter((points) => points && bends(points) === 0);
    assert.ok(straight.length >= 2, `chain ${chain} mostly straight`);
  }
});

test('a pipeline of 100 tasks is drawn with under half the bends of each layer packed on its own', () => {
  const input = pipeline(100);
  const total = (placement: 'aligned' | 'packed') =>
    Object.values(layeredLayout(input, { sweeps: 4, placement }).edges).reduce((s, p) => s + bends(p), 0);
  const [aligned, packed] = [total('aligned'), total('packed')];
  assert.ok(aligned * 2 < packed, `aligned ${aligned}, packed ${packed} bends`);
});

test('a node sits level with the middle one of the nodes it requires', () => {
  const layers = [['u0', 'u1', 'u2', 'u3', 'u4'], ['v']];
  const up = new Map<string, string[]>([['v', ['u1', 'u2', 'u3']]]);
  const down = new Map<string, string[]>(['u1', 'u2', 'u3'].map((u) => [u, ['v']]));
  const start = placeAcross({ layers, up, down, crossLength: () => 44, waypoints: new Set() });
  assert.equal(start.get('v'), start.get('u2'));
});

test('each layer keeps its order and its gaps (nodes 12 px apart, waypoints 8)', () => {
  const input = pipeline(120);
  const layout = layeredLayout(input, { sweeps: 4 });
  // Nodes of one layer share x (flow to the right): in y order, each clears the one before by the gap.
  const layers = new Map<number, { id: string; y: number; height: number }[]>();
  for (const [id, box] of Object.entries(layout.nodes))
    (layers.get(box.x) ?? layers.set(box.x, []).get(box.x)!).push({ id, ...box });
  for (const layer of layers.values()) {
    layer.sort((a, b) => a.y - b.y);
    for (let i = 1; i < layer.length; i++)
      assert.ok(layer[i]!.y >= layer[i - 1]!.y + layer[i - 1]!.height + NODE_GAP - 1e-6, layer[i]!.id);
  }
  // Waypoints straight from placeAcross: zero-length, 8 px apart, in the given order.
  const layersIn = [['a', 'w1', 'w2', 'b']];
  const start = placeAcross({
    layers: layersIn,
    up: new Map(),
    down: new Map(),
    crossLength: (id) => (id.startsWith('w') ? 0 : 44),
    waypoints: new Set(['w1', 'w2']),
  });
  assert.deepEqual(
    layersIn[0]!.map((id) => start.get(id)! - start.get('a')!),
    [0, 44 + NODE_GAP, 44 + NODE_GAP + WAYPOINT_GAP, 44 + 2 * NODE_GAP + WAYPOINT_GAP],
  );
});

test('a polyline keeps only its corners', () => {
  const p = (x: number, y: number) => ({ x, y });
  assert.deepEqual(corners([p(0, 0), p(10, 0), p(10, 0), p(20, 0), p(20, 5), p(20, 9), p(30, 9)]), [
    p(0, 0),
    p(20, 0),
    p(20, 9),
    p(30, 9),
  ]);
});

test('above 200 nodes each layer is packed again, so a big graph stays compact across the flow', () => {
  const input = pipeline(400);
  const across = (layout: ReturnType<typeof layeredLayout>) => {
    // The default direction is RIGHT: across the flow is y.
    const ys = Object.values(layout.nodes).map((n) => n.y);
    return Math.max(...ys) - Math.min(...ys);
  };
  const chosen = layeredLayout(input, { sweeps: 2 });
  const packed = layeredLayout(input, { sweeps: 2, placement: 'packed' });
  const aligned = layeredLayout(input, { sweeps: 2, placement: 'aligned' });
  assert.equal(across(chosen), across(packed));
  assert.ok(across(aligned) > across(packed), `aligned ${across(aligned)} vs packed ${across(packed)}`);
});

const gridName = (l: number, t: number) => `W_L${l}_T${t}`;

/** 12 layers of 10, each task requiring two of the layer before, shifted (7t, 7t + 3 mod 10). */
function grid(): LayoutInput {
  const nodes = [];
  const edges = [];
  for (let l = 0; l < 12; l++)
    for (let t = 0; t < 10; t++) {
      nodes.push(node(gridName(l, t)));
      if (l > 0)
        for (const j of new Set([(t * 7) % 10, (t * 7 + 3) % 10]))
          edges.push(edge(gridName(l - 1, j), gridName(l, t)));
    }
  return { nodes, edges };
}

test('a grid of 12 layers of 10 does not drift into a staircase: no taller than elk draws it', () => {
  // Each task requires two of the layer before, shifted (7t, 7t + 3 mod 10): each layer's alignment
  // pushes the next one further down. The narrowest of the four aligned placements drew it 2,148 px
  // tall with the page's 4 sweeps, its layers' tops drifting 1,008 px; elk 2,043 px
  // (bench/layout-quality.ts --shapes grid --sizes 120).
  const { nodes, edges } = grid();
  const layout = layeredLayout({ nodes, edges }, { sweeps: 4 });
  assert.ok(layout.height < 2_043, `${layout.height} px across the flow`);
  // Straight, not a staircase: every layer starts within one card's height of the others.
  const tops = Array.from({ length: 12 }, (_, l) =>
    Math.min(...Array.from({ length: 10 }, (_, t) => layout.nodes[gridName(l, t)]!.y)),
  );
  assert.ok(Math.max(...tops) - Math.min(...tops) <= 150, `layer tops ${tops.join(', ')}`);
});

test('a small pipeline beside the grid sits next to it, with no empty band between them', () => {
  // The real-VS-Code workspace of 6b: the example's 3-task chain and the 12 x 10 grid share no edge;
  // the balanced placement left the chain 400 px away from the grid, nothing drawn in between.
  const g = grid();
  const nodes = [...['Daily', 'Report', 'Summary'].map(node), ...g.nodes];
  const edges = [edge('Daily', 'Report'), edge('Report', 'Summary'), ...g.edges];
  const layout = layeredLayout({ nodes, edges }, { sweeps: 4 });
  // Across the flow (y, the flow being RIGHT): sorted boxes never leave more than a gap between them.
  const boxes = Object.values(layout.nodes)
    .map((b) => [b.y, b.y + b.height] as const)
    .sort((a, b) => a[0] - b[0]);
  let covered = boxes[0]![1];
  for (const [top, bottom] of boxes.slice(1)) {
    assert.ok(top - covered <= 40, `an empty band of ${top - covered} px across the flow at ${covered}`);
    covered = Math.max(covered, bottom);
  }
});
