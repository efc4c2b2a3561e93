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
