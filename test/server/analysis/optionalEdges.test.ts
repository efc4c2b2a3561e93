// Optional requirements (`optional(new X(...))` in requires()) are edges marked optional in the
// graph the server sends; plain requirements are not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyseFixture } from '../fixtureWorkspace';

test('optional(new Weather(...)) makes an optional edge; new RawEvents(...) a required one', () => {
  const { result } = analyseFixture('operations');
  const graph = result.pipelineGraph();
  const family = (id: string) => graph.nodes.find((n) => n.id === id)!.family;
  assert.deepEqual(
    graph.edges.map((e) => `${family(e.from)} → ${family(e.to)}${e.optional ? ' (optional)' : ''}`).sort(),
    ['CustomerReport → RawEvents', 'CustomerReport → Weather (optional)'],
  );
});
