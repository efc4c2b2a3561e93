// requires() edges in every shape the issue lists, and dynamic dependencies from run().
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyseFixture, edgeList } from '../fixtureWorkspace';

describe('requirement edges', () => {
  const { result } = analyseFixture('requires-shapes');
  const edges = edgeList(result);

  it('reads edges returned directly, in arrays, objects, through map, conditionals and helpers', () => {
    for (const expected of [
      'InArray → A',
      'InArray → B',
      'InObject → A',
      'InObject → C',
      'ThroughMap → A',
      'Conditional → C',
      'Conditional → D',
      'ViaHelper → B',
      'ViaHelper → D',
    ]) {
      assert.ok(edges.includes(expected), `${expected} in ${edges.join(', ')}`);
    }
  });

  it('marks tasks yielded from run() or awaited through dependOn() as dynamic', () => {
    assert.ok(edges.includes('Dynamic → B (dynamic)'), 'yield of a local variable');
    assert.ok(edges.includes('Dynamic → C (dynamic)'), 'yield of an array');
    assert.ok(edges.includes('AwaitsDependOn → D (dynamic)'));
    assert.ok(!edges.includes('Dynamic → B'), 'not a static edge');
  });

  it('keeps the source range of the new expression that made each edge', () => {
    const edge = result.linked.edges.find((e) => e.from.family === 'InArray' && e.to.family === 'B')!;
    const text = result.textOf(edge.file.fileName)!.split('\n')[edge.reference.range.start.line]!;
    const { start, end } = edge.reference.range;
    assert.equal(text.slice(start.character, end.character), 'new B()');
  });

  it('reads several targets from arrays and objects returned by output()', () => {
    const c = result.families.find((f) => f.family === 'C')!;
    assert.deepEqual(
      c.outputs!.map((o) => o.info.template),
      ['in/c1.txt', 'in/c2.txt'],
    );
    const d = result.families.find((f) => f.family === 'D')!;
    assert.deepEqual(
      d.outputs!.map((o) => o.info.template),
      ['in/d.txt'],
    );
  });
});
