import assert from 'node:assert/strict';
import { test } from 'node:test';
import ELK from 'elkjs/lib/elk.bundled.js';
import { fromElkGraph, layoutShapeKey, toElkGraph } from '../../../../client/webview/src/layout/layoutGraph';
import { viewEdges } from '../../../../client/webview/src/graph/graphModel';
import { readGraph } from '../fixtureFiles';

const sized = (ids: string[]) => ids.map((id, i) => ({ id, width: 100 + i, height: 40 }));

test('toElkGraph asks for a layered left-to-right layout and drops edges to nodes outside the cut', () => {
  const elk = toElkGraph({
    nodes: sized(['a', 'b']),
    edges: [
      { id: 'a->b', source: 'a', target: 'b' },
      { id: 'x->b', source: 'x', target: 'b' },
    ],
  });
  assert.equal(elk.layoutOptions?.['elk.algorithm'], 'layered');
  assert.equal(elk.layoutOptions?.['elk.direction'], 'RIGHT');
  assert.equal(elk.layoutOptions?.['elk.edgeRouting'], 'ORTHOGONAL');
  assert.deepEqual(
    elk.children?.map((c) => [c.id, c.width, c.height]),
    [
      ['a', 100, 40],
      ['b', 101, 40],
    ],
  );
  assert.deepEqual(elk.edges, [{ id: 'a->b', sources: ['a'], targets: ['b'] }]);
  assert.equal(toElkGraph({ nodes: [], edges: [] }, 'splines').layoutOptions?.['elk.edgeRouting'], 'SPLINES');
});

test('fromElkGraph joins edge sections into one polyline and keeps node boxes', () => {
  const result = fromElkGraph({
    id: 'root',
    width: 300,
    height: 100,
    children: [{ id: 'a', x: 10, y: 20, width: 50, height: 30 }],
    edges: [
      {
        id: 'e',
        sources: ['a'],
        targets: ['b'],
        sections: [
          { id: 's1', startPoint: { x: 0, y: 0 }, bendPoints: [{ x: 5, y: 0 }], endPoint: { x: 5, y: 5 } },
          { id: 's2', startPoint: { x: 5, y: 5 }, endPoint: { x: 9, y: 5 } },
        ],
      },
      { id: 'unrouted', sources: ['a'], targets: ['b'] },
    ],
  });
  assert.deepEqual(result.nodes.a, { x: 10, y: 20, width: 50, height: 30 });
  assert.deepEqual(result.edges.e, [
    { x: 0, y: 0 },
    { x: 5, y: 0 },
    { x: 5, y: 5 },
    { x: 9, y: 5 },
  ]);
  assert.equal(result.edges.unrouted, undefined);
  assert.equal(result.width, 300);
});

test('layoutShapeKey changes with ids, sizes and edges, not with their order', () => {
  const a = { nodes: sized(['a', 'b']), edges: [{ id: '1', source: 'a', target: 'b' }] };
  const reordered = { nodes: [...a.nodes].reverse(), edges: a.edges };
  assert.equal(layoutShapeKey(a), layoutShapeKey(reordered));
  assert.notEqual(
    layoutShapeKey(a),
    layoutShapeKey({ ...a, edges: [{ id: '1', source: 'b', target: 'a' }] }),
  );
  assert.notEqual(
    layoutShapeKey(a),
    layoutShapeKey({ ...a, nodes: [{ id: 'a', width: 140, height: 40 }, a.nodes[1]!] }),
  );
  assert.notEqual(layoutShapeKey(a), layoutShapeKey({ ...a, nodes: sized(['a', 'c']) }));
});

test('elkjs lays the fixture pipeline out with every requirement left of what needs it (cycles aside)', async () => {
  const graph = readGraph('music-graph.json');
  const edges = viewEdges(graph);
  const input = { nodes: graph.nodes.map((n) => ({ id: n.id, width: 180, height: 60 })), edges };
  const laidOut = fromElkGraph(await new ELK().layout(toElkGraph(input)));
  assert.equal(Object.keys(laidOut.nodes).length, graph.nodes.length);
  for (const edge of edges) {
    assert.ok(laidOut.edges[edge.id], `edge ${edge.id} is routed`);
    if (edge.classes.includes('cycle')) continue;
    const from = laidOut.nodes[edge.source]!;
    const to = laidOut.nodes[edge.target]!;
    assert.ok(from.x + from.width <= to.x, `${edge.source} is left of ${edge.target}`);
  }
  // Orthogonal routing: every segment is horizontal or vertical.
  for (const points of Object.values(laidOut.edges)) {
    for (let i = 1; i < points.length; i++) {
      const [p, q] = [points[i - 1]!, points[i]!];
      assert.ok(Math.abs(p.x - q.x) < 0.01 || Math.abs(p.y - q.y) < 0.01);
    }
  }
});
