// A task that requires another instance of its own family (Link(i) → Link(i - 1), yesterday's
// running total) is a recursive chain the runtime runs, not a cycle; requiring the same instance
// again (every argument its own value) still is one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DiagnosticCodes } from '../../../server/src/analysis/diagnostics/pipelineDiagnostic';
import { analyseFixture, diagnosticsWithCode } from '../fixtureWorkspace';

describe('recursive chains', () => {
  const { result } = analyseFixture('recursive-chains');
  const cycles = diagnosticsWithCode(result, DiagnosticCodes.cycle);

  it('reports no cycle for another instance of the same family', () => {
    const messages = cycles.map((d) => d.message);
    assert.ok(!messages.some((m) => m.includes('Link')), messages.join('\n'));
    assert.ok(!messages.some((m) => m.includes('RunningTotal')), messages.join('\n'));
  });

  it('still reports the same instance required again', () => {
    assert.equal(cycles.length, 1, cycles.map((d) => d.message).join('\n'));
    assert.match(cycles[0]!.message, /Dependency cycle: Again → Again/);
  });

  it('keeps the chain in the graph, not marked as a cycle', () => {
    const graph = result.pipelineGraph();
    const node = (name: string) => graph.nodes.find((n) => n.family === name)!;
    assert.equal(node('Link').inCycle, false);
    assert.equal(node('RunningTotal').inCycle, false);
    assert.equal(node('Again').inCycle, true);
    assert.ok(graph.edges.some((e) => e.from === node('Link').id && e.to === node('Link').id));
  });
});
