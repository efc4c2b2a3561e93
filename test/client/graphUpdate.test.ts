// The graph panel sends the view a graph only when its drawing changed: typing above a task (ranges
// moved) sends the moved name ranges alone, and a graph the view already shows sends nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { graphUpdate } from '../../client/src/graphUpdate';
import type { PipelineGraph } from '../../server/src/protocol';
import { readGraph } from './webview/fixtureFiles';

/** The graph after `lines` lines typed above the tasks from index `from` on (their ranges move). */
function typedAbove(graph: PipelineGraph, from: number, lines: number): PipelineGraph {
  const move = (r: PipelineGraph['nodes'][number]['range']) => ({
    start: { ...r.start, line: r.start.line + lines },
    end: { ...r.end, line: r.end.line + lines },
  });
  return {
    ...graph,
    version: graph.version + 1,
    nodes: graph.nodes.map((n, i) =>
      i < from ? n : { ...n, nameRange: move(n.nameRange), range: move(n.range) },
    ),
    edges: graph.edges.map((e) => ({ ...e, location: { ...e.location, range: move(e.location.range) } })),
  };
}

test('first the whole graph; the same graph again (a new version) nothing', () => {
  const graph = readGraph('music-graph.json');
  const first = graphUpdate(undefined, graph, -1);
  assert.deepEqual(first.message, { type: 'graph', graph, depth: -1 });
  const again = graphUpdate(first.posted, { ...graph, version: graph.version + 1 }, -1);
  assert.equal(again.message, null);
});

test('typing above tasks sends only the moved name ranges, a small fraction of the graph', () => {
  const graph = readGraph('music-graph.json');
  const { posted } = graphUpdate(undefined, graph, -1);
  const typed = typedAbove(graph, graph.nodes.length - 2, 3);
  const update = graphUpdate(posted, typed, -1);
  const moved = typed.nodes.slice(-2);
  assert.deepEqual(update.message, {
    type: 'ranges',
    nameRanges: Object.fromEntries(moved.map((n) => [n.id, n.nameRange])),
  });
  const size = (value: unknown) => JSON.stringify(value).length;
  assert.ok(size(update.message) * 20 < size(typed), `${size(update.message)} vs ${size(typed)} bytes`);
  // Sent once: the next keystroke elsewhere compares with what the view has now.
  assert.equal(graphUpdate(update.posted, typed, -1).message, null);
});

test('a change the drawing shows, or another depth, sends the whole graph', () => {
  const graph = readGraph('music-graph.json');
  const { posted } = graphUpdate(undefined, graph, -1);
  const renamed = {
    ...graph,
    nodes: graph.nodes.map((n, i) => (i === 0 ? { ...n, family: `${n.family}2` } : n)),
  };
  assert.equal(graphUpdate(posted, renamed, -1).message?.type, 'graph');
  assert.equal(graphUpdate(posted, graph, 2).message?.type, 'graph');
});
