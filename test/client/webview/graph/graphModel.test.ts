import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  focusOf,
  isLarge,
  LARGE_GRAPH_NODES,
  scopeLabel,
  sourcesOf,
  viewEdges,
} from '../../../../client/webview/src/graph/graphModel';
import { readGraph } from '../fixtureFiles';

const graph = readGraph('music-graph.json');
const id = (family: string) => graph.nodes.find((n) => n.family === family)!.id;

test('viewEdges turn requirements into data flow, mark cycles and dynamic edges, and merge duplicates', () => {
  const edges = viewEdges({ ...graph, edges: [...graph.edges, graph.edges[0]!] });
  assert.equal(edges.length, graph.edges.length);
  const agg = edges.find((e) => e.target === id('AggregateArtists'))!;
  assert.equal(agg.source, id('Streams'));
  assert.deepEqual(agg.classes, []);
  assert.deepEqual(edges.find((e) => e.source === id('RawLogs'))!.classes, ['dynamic']);
  assert.deepEqual(
    edges
      .filter((e) => e.classes.includes('cycle'))
      .map((e) => e.target)
      .sort(),
    [id('CleanSessions'), id('DedupeSessions')].sort(),
  );
});

test('viewEdges mark optional requirements (optional(new X(...))) apart', () => {
  const [first, ...rest] = graph.edges;
  const edges = viewEdges({ ...graph, edges: [{ ...first!, optional: true }, ...rest] });
  assert.ok(edges.find((e) => e.id === `${first!.to}->${first!.from}`)!.classes.includes('optional'));
  assert.equal(edges.filter((e) => e.classes.includes('optional')).length, 1);
});

test('scope, focus and size of a graph', () => {
  assert.equal(scopeLabel(graph, -1), 'Workspace · 9 tasks');
  assert.equal(focusOf(graph), null);
  const focused = { ...graph, focus: id('Top10Artists') };
  assert.equal(scopeLabel(focused, 2), 'Top10Artists ± 2 · 9 tasks');
  assert.equal(scopeLabel(focused, -1), 'Top10Artists ± all · 9 tasks');
  assert.deepEqual(focusOf(focused), { uri: graph.nodes[0]!.uri, family: 'Top10Artists' });
  assert.equal(isLarge(graph), false);
  const many = Array.from({ length: LARGE_GRAPH_NODES + 1 }, (_, i) => ({ ...graph.nodes[0]!, id: `n${i}` }));
  assert.equal(isLarge({ ...graph, nodes: many }), true);
});

test('sourcesOf finds the tasks nothing feeds (self edges do not count)', () => {
  const e = (source: string, target: string) => ({ id: `${source}>${target}`, source, target, classes: [] });
  assert.deepEqual(sourcesOf(['a', 'b', 'c', 'd'], [e('a', 'b'), e('b', 'c'), e('d', 'd')]), ['a', 'd']);
});
