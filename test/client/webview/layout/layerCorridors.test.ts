// Long edges past the waypoint cap (a 2,000-task pipeline): none is drawn across a node it skips.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { corridors } from '../../../../client/webview/src/layout/layerCorridors';
import { layeredLayout } from '../../../../client/webview/src/layout/layered';
import type { LayoutInput, LayoutResult } from '../../../../client/webview/src/layout/layoutGraph';

/**
 * `n` tasks in layers of 8, each fed by one task of the layer before and every fourth also by one far
 * back (a long edge): some 30 waypoints a node, past the cap, as bench/layout-quality's pipeline 2,000.
 */
function pipeline(n: number): LayoutInput {
  let state = 7;
  const random = (below: number) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return Math.floor((state / 2147483648) * below);
  };
  const id = (i: number) => `t${i}`;
  const edges: LayoutInput['edges'] = [];
  for (let i = 8; i < n; i++) {
    const layer = Math.floor(i / 8);
    const near = 8 * (layer - 1) + random(8);
    edges.push({ id: `${id(near)}>${id(i)}`, source: id(near), target: id(i) });
    if (i % 4 === 0 && layer > 1) {
      const far = 8 * random(layer - 1) + random(8);
      edges.push({ id: `${id(far)}>${id(i)}`, source: id(far), target: id(i) });
    }
  }
  return { nodes: Array.from({ length: n }, (_, i) => ({ id: id(i), width: 150, height: 44 })), edges };
}

/** Edges with a segment across a node other than their ends (boxes shrunk 2 px: a border is not across). */
function throughNodes(layout: LayoutResult, input: LayoutInput): string[] {
  const boxes = Object.entries(layout.nodes);
  const found: string[] = [];
  for (const e of input.edges) {
    const points = layout.edges[e.id]!;
    for (let i = 1; i < points.length; i++) {
      const [a, b] = [points[i - 1]!, points[i]!];
      const [minX, maxX, minY, maxY] = [
        Math.min(a.x, b.x),
        Math.max(a.x, b.x),
        Math.min(a.y, b.y),
        Math.max(a.y, b.y),
      ];
      const hit = boxes.find(
        ([id, n]) =>
          id !== e.source &&
          id !== e.target &&
          minX < n.x + n.width - 2 &&
          maxX > n.x + 2 &&
          minY < n.y + n.height - 2 &&
          maxY > n.y + 2,
      );
      if (hit) found.push(`${e.id} across ${hit[0]}`);
    }
  }
  return found;
}

test('a 2,000-task pipeline past the waypoint cap draws no edge across a node', () => {
  const input = pipeline(2000);
  for (const direction of ['RIGHT', 'DOWN'] as const) {
    const layout = layeredLayout({ ...input, direction }, { sweeps: 4 });
    assert.deepEqual(throughNodes(layout, input).slice(0, 5), [], direction);
    // Every edge still leaves its source and enters its target.
    for (const e of input.edges) {
      const [first, last] = [layout.edges[e.id]![0]!, layout.edges[e.id]!.at(-1)!];
      const [s, t] = [layout.nodes[e.source]!, layout.nodes[e.target]!];
      if (direction === 'RIGHT') assert.deepEqual([first.x, last.x], [s.x + s.width, t.x], e.id);
      else assert.deepEqual([first.y, last.y], [s.y + s.height, t.y], e.id);
    }
  }
});

test('a corridor takes the free line nearest its source, else a track of its own outside', () => {
  // Layers 1 and 2 leave 50..60 free between their nodes; layer 3 is full from 0 to 100.
  const occupied: [number, number][][] = [
    [],
    [
      [0, 50],
      [60, 100],
    ],
    [
      [0, 45],
      [65, 100],
    ],
    [[0, 100]],
  ];
  const lines = corridors(
    [
      { id: 'inside', source: 'sinside', from: 0, to: 3, want: 20 },
      { id: 'low', source: 'slow', from: 0, to: 4, want: 30 },
      { id: 'low too', source: 'slow too', from: 1, to: 4, want: 30 },
      { id: 'high', source: 'shigh', from: 1, to: 4, want: 90 },
    ],
    occupied,
  );
  assert.equal(lines.get('inside'), 54);
  // Overlapping along the flow, the two outside on the low side get tracks 4 px apart.
  assert.deepEqual([lines.get('low'), lines.get('low too'), lines.get('high')], [-8, -12, 108]);
});

test('corridors overlapping along the flow keep apart in a free stretch; one after the other share it', () => {
  const occupied: [number, number][][] = [
    [],
    [
      [0, 50],
      [80, 100],
    ],
    [],
  ];
  const lines = corridors(
    [
      { id: 'a', source: 'sa', from: 0, to: 2, want: 60 },
      { id: 'b', source: 'sb', from: 0, to: 2, want: 60 },
      { id: 'c', source: 'sc', from: 0, to: 3, want: 60 },
      { id: 'after', source: 'safter', from: 2, to: 4, want: 60 },
    ],
    [
      ...occupied,
      [
        [0, 50],
        [80, 100],
      ],
    ],
  );
  assert.deepEqual(
    ['a', 'b', 'c', 'after'].map((id) => lines.get(id)),
    [60, 64, 56, 60],
  );
});
