// Lanes between layers: steps of different sources never share a line across the flow (they merged).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { layeredLayout } from '../../../../client/webview/src/layout/layered';
import {
  LAYER_GAP,
  type LayoutInput,
  type LayoutResult,
} from '../../../../client/webview/src/layout/layoutGraph';
import { OVERVIEW_LANE_SPACING } from '../../../../client/webview/src/layout/layerLanes';
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

test('above 200 nodes lanes are 2 px apart, not 8: the overview keeps its length along the flow, and no two steps merge', () => {
  // 5 layers of 80 nodes, each node feeding 3 of the next: every gap holds up to 80 lanes, which at
  // LANE_SPACING would stretch it to 648 px and in a fixed 40 px gap put them half a pixel apart.
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
  for (const direction of ['RIGHT', 'DOWN'] as const) {
    const input = { nodes, edges, direction };
    const layout = layeredLayout(input);
    const depth = direction === 'RIGHT' ? 150 : 44;
    const starts = [...new Set(nodes.map((n) => along(layout, n.id, direction)))].sort((a, b) => a - b);
    assert.equal(starts.length, 5);
    for (let i = 1; i < starts.length; i++) {
      const gap = starts[i]! - starts[i - 1]! - depth;
      assert.ok(gap >= LAYER_GAP && gap <= 81 * OVERVIEW_LANE_SPACING, `${direction} gap ${i}: ${gap} px`);
    }
    assert.deepEqual(stepOverlaps(input, layout), []);
  }
});
