// Lanes between layers: steps of different sources never share a line across the flow (they merged).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { layeredLayout } from '../../../../client/webview/src/layout/layered';
import {
  LAYER_GAP,
  type LayoutInput,
  type LayoutResult,
} from '../../../../client/webview/src/layout/layoutGraph';
import { stepOverlaps } from './stepOverlaps';

const node = (id: string) => ({ id, width: 150, height: 44 });
const edge = (source: string, target: string) => ({ id: `${source}>${target}`, source, target });

/** Every source of one layer feeds every target of the next: all their steps overlap. */
function complete(n: number): LayoutInput {
  const sources = Array.from({ length: n }, (_, i) => `s${i}`);
  const targets = Array.from({ length: n }, (_, i) => `t${i}`);
  return {
    nodes: [...sources, ...targets].map(node),
    edges: sources.flatMap((s) => targets.map((t) => edge(s, t))),
  };
}

/** Six layers of six, each node fed by two of the layer before and one two layers back (waypoints). */
function pipeline(): LayoutInput {
  const id = (l: number, i: number) => `n${l}.${i}`;
  const nodes = [];
  const edges = [];
  for (let l = 0; l < 6; l++)
    for (let i = 0; i < 6; i++) {
      nodes.push(node(id(l, i)));
      if (l > 0) edges.push(edge(id(l - 1, (i * 5) % 6), id(l, i)), edge(id(l - 1, (i + 2) % 6), id(l, i)));
      if (l > 1 && i % 2 === 0) edges.push(edge(id(l - 2, (i + 3) % 6), id(l, i)));
    }
  return { nodes, edges };
}

const along = (r: LayoutResult, id: string, direction: 'RIGHT' | 'DOWN') =>
  direction === 'RIGHT' ? r.nodes[id]!.x : r.nodes[id]!.y;

for (const direction of ['RIGHT', 'DOWN'] as const) {
  test(`${direction}: no two steps of different sources overlap in a gap`, () => {
    for (const input of [complete(3), complete(6), pipeline()]) {
      const withDirection = { ...input, direction };
      const result = layeredLayout(withDirection);
      assert.deepEqual(stepOverlaps(withDirection, result), []);
    }
  });

  test(`${direction}: a gap widens only when its lanes need it`, () => {
    const depth = direction === 'RIGHT' ? 150 : 44;
    const gap = (n: number) => {
      const r = layeredLayout({ ...complete(n), direction });
      return along(r, 't0', direction) - along(r, 's0', direction) - depth;
    };
    assert.equal(gap(3), LAYER_GAP);
    assert.ok(gap(8) > LAYER_GAP);
  });
}

test('above 200 nodes no gap widens for its lanes: the overview keeps its length along the flow', () => {
  // 5 layers of 80 nodes, each node feeding 3 of the next: every gap has far more than 4 lanes.
  const nodes = Array.from({ length: 400 }, (_, i) => ({ id: `n${i}`, width: 150, height: 44 }));
  const edges = nodes.flatMap((_, i) =>
    i >= 320
      ? []
      : [0, 1, 2].map((k) => ({
          id: `${i}>${k}`,
          source: `n${i}`,
          target: `n${80 + ((i + k * 7) % 80) + 80 * Math.floor(i / 80)}`,
        })),
  );
  const layout = layeredLayout({ nodes, edges, direction: 'RIGHT' });
  const starts = [...new Set(Object.values(layout.nodes).map((n) => n.x))].sort((a, b) => a - b);
  assert.equal(starts.length, 5);
  for (let i = 1; i < starts.length; i++) assert.equal(starts[i]! - starts[i - 1]!, 150 + LAYER_GAP);
});
