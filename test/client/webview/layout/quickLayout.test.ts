import assert from 'node:assert/strict';
import { test } from 'node:test';
import { quickLayout } from '../../../../client/webview/src/layout/quickLayout';

const node = (id: string) => ({ id, width: 100, height: 40 });
const edge = (source: string, target: string) => ({ id: `${source}>${target}`, source, target });

test('quickLayout puts every node right of what feeds it, without overlaps', () => {
  const input = {
    nodes: ['report', 'top', 'agg', 's1', 's2'].map(node),
    edges: [
      edge('s1', 'agg'),
      edge('s2', 'agg'),
      edge('agg', 'top'),
      edge('top', 'report'),
      edge('agg', 'report'),
    ],
  };
  const layout = quickLayout(input);
  for (const e of input.edges) {
    const from = layout.nodes[e.source]!;
    const to = layout.nodes[e.target]!;
    assert.ok(from.x + from.width < to.x, `${e.source} is left of ${e.target}`);
    const line = layout.edges[e.id]!;
    assert.deepEqual(line[0], { x: from.x + from.width, y: from.y + from.height / 2 });
    assert.deepEqual(line.at(-1), { x: to.x, y: to.y + to.height / 2 });
  }
  const boxes = Object.values(layout.nodes);
  for (const a of boxes)
    for (const b of boxes)
      if (a !== b)
        assert.ok(
          a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y,
          'boxes do not overlap',
        );
  assert.ok(boxes.every((b) => b.x + b.width <= layout.width && b.y + b.height <= layout.height));
});

test('quickLayout survives cycles, self edges, edges to unknown nodes and an empty graph', () => {
  const layout = quickLayout({
    nodes: ['a', 'b'].map(node),
    edges: [edge('a', 'b'), edge('b', 'a'), edge('a', 'a'), edge('a', 'ghost')],
  });
  assert.deepEqual(Object.keys(layout.nodes).sort(), ['a', 'b']);
  assert.deepEqual(quickLayout({ nodes: [], edges: [] }), { nodes: {}, edges: {}, width: 0, height: 0 });
});

test('quickLayout lays out a chain of 20,000 tasks (no recursion)', () => {
  const ids = Array.from({ length: 20_000 }, (_, i) => `t${i}`);
  const layout = quickLayout({
    nodes: ids.map(node),
    edges: ids.slice(1).map((id, i) => edge(ids[i]!, id)),
  });
  assert.ok(layout.nodes.t19999!.x > layout.nodes.t19998!.x);
});
