// Long edges past the waypoint cap (a 2,000-task pipeline): none is drawn across a node it skips.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { corridorLines } from '../../../../client/webview/src/layout/layerCorridors';
import { layeredLayout } from '../../../../client/webview/src/layout/layered';
import type { LayoutInput, LayoutResult, Point } from '../../../../client/webview/src/layout/layoutGraph';

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

/**
 * Pairs of edges whose order flips in a gap between two layers' columns (flow to the right), however
 * the steps are drawn: as bench/layout-quality.ts's forced crossings, the same for every engine.
 */
function forcedCrossings(layout: LayoutResult): number {
  const boxes = Object.values(layout.nodes);
  const lefts = [...new Set(boxes.map((b) => Math.round(b.x)))].sort((a, b) => a - b);
  const yAt = (points: Point[], x: number) => {
    for (let i = 1; i < points.length; i++) {
      const [a, b] = [points[i - 1]!, points[i]!];
      if (a.x !== b.x && Math.min(a.x, b.x) <= x && x <= Math.max(a.x, b.x))
        return a.y + ((b.y - a.y) * (x - a.x)) / (b.x - a.x);
    }
    return undefined;
  };
  let count = 0;
  for (let c = 0; c + 1 < lefts.length; c++) {
    const from = Math.max(...boxes.filter((b) => Math.round(b.x) === lefts[c]).map((b) => b.x + b.width));
    const runs: [number, number][] = [];
    for (const points of Object.values(layout.edges)) {
      const [enter, leave] = [yAt(points, from + 0.5), yAt(points, lefts[c + 1]! - 0.5)];
      if (enter !== undefined && leave !== undefined) runs.push([enter, leave]);
    }
    for (let i = 0; i < runs.length; i++)
      for (let j = i + 1; j < runs.length; j++)
        if ((runs[i]![0] - runs[j]![0]) * (runs[i]![1] - runs[j]![1]) < -1e-6) count++;
  }
  return count;
}

test('corridors that jog between layers cross fewer edges than straight ones outside the picture', () => {
  // Straight corridors, most of them outside the picture (a free line in every skipped layer at once
  // is rare): 32,912 forced crossings, 1,684 px across the flow. Jogging beside narrow layers: 23,149.
  const layout = layeredLayout(pipeline(2000), { sweeps: 4 });
  const forced = forcedCrossings(layout);
  assert.ok(forced < 28000, `${forced} forced crossings`);
});

test('a corridor keeps its line while it is free, and jogs in a gap to the free line that lasts', () => {
  // Layer 1 covers 30..100, layer 2 0..100, layer 3 all but 50..60; nothing in layer 4.
  const occupied: [number, number][][] = [
    [],
    [[30, 100]],
    [[0, 100]],
    [
      [0, 50],
      [60, 100],
    ],
    [],
  ];
  const lines = corridorLines(
    [
      { id: 'straight', source: 'a', from: 0, to: 2, want: 20 },
      { id: 'lasting', source: 'b', from: 0, to: 5, want: 20 },
      { id: 'narrow', source: 'c', from: 2, to: 5, want: 55 },
    ],
    occupied,
  );
  // 'straight' runs at 20 in layer 1. 'lasting' could keep 4 px from it at 24, but that line is covered
  // in layer 2: it takes 104, the free line that lasts through its layers (one jog instead of two).
  // 'narrow' passes layer 3 through its free stretch and stays on that line.
  assert.deepEqual(lines.get('straight'), [20]);
  assert.deepEqual(lines.get('lasting'), [104, 104, 104, 104]);
  assert.deepEqual(lines.get('narrow'), [55, 55]);
});

test('corridors of one source may share a line; of different sources keep 4 px apart in a layer', () => {
  const occupied: [number, number][][] = [[], [], []];
  const lines = corridorLines(
    [
      { id: 'a', source: 'sa', from: 0, to: 2, want: 60 },
      { id: 'a too', source: 'sa', from: 0, to: 3, want: 60 },
      { id: 'b', source: 'sb', from: 0, to: 2, want: 60 },
      { id: 'c', source: 'sc', from: 0, to: 3, want: 60 },
    ],
    occupied,
  );
  assert.deepEqual(
    ['a', 'a too', 'b', 'c'].map((id) => lines.get(id)),
    [[60], [60, 60], [64], [56, 56]],
  );
});
