// Pipeline diagnostics on fixture workspaces: cycles of length 1, 2 and 4, missing external data
// (and its update when the file appears), tasks without output, duplicate targets, parameters in
// plain JavaScript, requires() returning things that are not tasks, and task identity (two classes
// with one name, an insignificant parameter in an output path, one path written by two families).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DiagnosticCodes } from '../../../server/src/analysis/diagnostics/pipelineDiagnostic';
import {
  analyseFixture,
  analyseFolder,
  copyFixture,
  diagnosticsWithCode,
  fixturePath,
} from '../fixtureWorkspace';

describe('cycle diagnostics', () => {
  const { result } = analyseFixture('cycles');
  const cycles = diagnosticsWithCode(result, DiagnosticCodes.cycle);

  it('reports a self-requirement, a pair and a ring of four, one error per edge', () => {
    const messages = cycles.map((d) => d.message).sort();
    assert.equal(cycles.length, 1 + 2 + 4);
    assert.ok(messages.some((m) => m.includes('Loop → Loop')));
    assert.ok(messages.some((m) => m.includes('Ping → Pong → Ping')));
    assert.ok(messages.some((m) => m.includes('RingA → RingB → RingC → RingD → RingA')));
    assert.ok(cycles.every((d) => d.severity === 'error'));
  });

  it('names each cycle identically on all of its edges, from its alphabetically first task', () => {
    const ring = cycles.filter((d) => d.message.includes('RingB'));
    assert.equal(ring.length, 4);
    assert.equal(new Set(ring.map((d) => d.message)).size, 1, ring.map((d) => d.message).join('\n'));
    const pair = cycles.filter((d) => d.message.includes('Pong'));
    assert.equal(pair.length, 2);
    for (const d of pair) assert.match(d.message, /^Dependency cycle: Ping → Pong → Ping\./);
    // Each error still sits on its own edge's `new …`: two distinct places.
    assert.equal(
      new Set(pair.map((d) => `${d.uri}:${d.range.start.line}:${d.range.start.character}`)).size,
      2,
    );
  });

  it('points related information at every new expression along the cycle', () => {
    const ring = cycles.find((d) => d.message.includes('RingA → RingB'))!;
    assert.equal(ring.related!.length, 4);
    assert.deepEqual(ring.related!.map((r) => path.basename(r.location.uri)).sort(), [
      'ring-a.ts',
      'ring-b.ts',
      'ring-c.ts',
      'ring-d.ts',
    ]);
  });

  it('flags cycle members in the graph but not the task that only requires the ring', () => {
    const graph = result.pipelineGraph();
    const node = (name: string) => graph.nodes.find((n) => n.family === name)!;
    assert.equal(node('RingC').inCycle, true);
    assert.equal(node('Downstream').inCycle, false);
    assert.equal(node('Downstream').upstreamCount, 4);
    assert.equal(node('RingA').upstreamCount, 3, 'the other ring members, not itself');
    assert.equal(graph.cycles.length, 3);
  });
});

describe('missing external data', () => {
  it('warns about an ExternalTask whose pattern matches no file, naming who depends on it', () => {
    const { result } = analyseFixture('problems');
    const missing = diagnosticsWithCode(result, DiagnosticCodes.missingExternalData);
    assert.equal(missing.length, 1);
    assert.match(missing[0]!.message, /data\/sales_\*\.csv/);
    assert.match(missing[0]!.message, /Report, Weekly/);
  });

  it('updates when a matching file is created and again when it is deleted', () => {
    const { root, dispose } = copyFixture('problems');
    try {
      const { analysis, result } = analyseFolder(root);
      assert.equal(diagnosticsWithCode(result, DiagnosticCodes.missingExternalData).length, 1);
      const file = path.join(root, 'data', 'sales_2026-11-01.csv');
      fs.writeFileSync(file, 'x');
      analysis.filesChanged([{ file, kind: 'created' }]);
      assert.equal(diagnosticsWithCode(analysis.analyse(), DiagnosticCodes.missingExternalData).length, 0);
      fs.rmSync(file);
      analysis.filesChanged([{ file, kind: 'deleted' }]);
      assert.equal(diagnosticsWithCode(analysis.analyse(), DiagnosticCodes.missingExternalData).length, 1);
    } finally {
      dispose();
    }
  });
});

describe('output diagnostics', () => {
  const { result } = analyseFixture('problems');

  it('warns about a task without output() and offers an output() stub', () => {
    const [forever, ...rest] = diagnosticsWithCode(result, DiagnosticCodes.noOutput);
    assert.equal(rest.length, 0);
    assert.match(forever!.message, /Forever has no output\(\)/);
    assert.match(
      forever!.fixes![0]!.edits[0]!.newText,
      /output\(\) \{\n\s+return new LocalTarget\(`data\/forever\.txt`\);/,
    );
  });

  it('reports two families that can write one path, but not a date against a fixed name', () => {
    const dup = diagnosticsWithCode(result, DiagnosticCodes.duplicateOutput);
    assert.equal(dup.length, 2);
    assert.ok(dup.every((d) => /Report/.test(d.message) && /ReportCopy/.test(d.message)));
    assert.ok(dup.every((d) => !d.message.includes('LatestReport')));
  });
});

describe('reference diagnostics', () => {
  const { result } = analyseFixture('problems');

  it('checks constructor parameters in plain JavaScript, with a quick fix for the missing one', () => {
    const missing = diagnosticsWithCode(result, DiagnosticCodes.missingParam);
    assert.deepEqual(missing.map((d) => d.message).sort(), [
      "Report needs 'date': a required parameter is not given.",
      "Sales needs 'date': a required parameter is not given.",
    ]);
    const salesFix = missing.find((d) => d.message.startsWith('Sales'))!.fixes![0]!;
    assert.equal(salesFix.edits[0]!.newText, "{ date: '2026-01-01' }");
    const unknown = diagnosticsWithCode(result, DiagnosticCodes.unknownParam);
    assert.deepEqual(
      unknown.map((d) => d.message),
      ["Report has no parameter 'dat' (it has date)."],
    );
    // A typo of a parameter not given: renaming the key is offered, and adding it again is not.
    assert.deepEqual(
      unknown[0]!.fixes!.map((f) => [f.title, f.edits[0]!.newText]),
      [["Change to 'date'", 'date']],
    );
    assert.equal(missing.find((d) => d.message.startsWith('Report'))!.fixes, undefined);
  });

  it('leaves TypeScript files with the real runtime to the TypeScript checker', () => {
    const inTs = diagnosticsWithCode(result, DiagnosticCodes.missingParam).filter((d) =>
      d.uri.endsWith('.ts'),
    );
    assert.equal(inTs.length, 0);
  });

  it('checks constructor parameters in TypeScript too when the runtime is not installed', () => {
    const { root, dispose } = copyFixture('unresolved');
    try {
      const { result: untyped } = analyseFolder(root);
      assert.deepEqual(
        diagnosticsWithCode(untyped, DiagnosticCodes.missingParam).map((d) => d.message),
        ["Input needs 'day': a required parameter is not given."],
      );
      assert.deepEqual(
        diagnosticsWithCode(untyped, DiagnosticCodes.unknownParam).map((d) => d.message),
        ["Input has no parameter 'dya' (it has day)."],
      );
    } finally {
      dispose();
    }
  });

  it('reports requires() returning a target, a string, a class and a plain object', () => {
    const messages = diagnosticsWithCode(result, DiagnosticCodes.requiresNotTask).map((d) => d.message);
    assert.equal(messages.length, 4);
    assert.ok(messages.some((m) => m.includes('a LocalTarget, which is not a task')));
    assert.ok(messages.some((m) => m.includes("'Sales', which is not a task")));
    assert.ok(messages.some((m) => m.includes('the class Present itself')));
    assert.ok(messages.some((m) => m.includes('a NotATask, which is not a task')));
  });
});

describe('identity diagnostics (one id, one task, one output)', () => {
  const { result } = analyseFixture('identity');
  const at = (d: { uri: string; range: { start: { line: number } } }) =>
    `${path.relative(fixturePath('identity'), fileURLToPath(d.uri))}:${d.range.start.line + 1}`;

  it('reports two task classes of one project with one name, each naming the other', () => {
    const dup = diagnosticsWithCode(result, DiagnosticCodes.duplicateFamily);
    assert.deepEqual(dup.map(at).sort(), ['report-a.ts:3', 'report-b.ts:4']);
    const a = dup.find((d) => d.uri.endsWith('report-a.ts'))!;
    assert.match(a.message, /^Another task class is also named Report \(report-b\.ts:4\)/);
    assert.match(a.message, /both would get the id Report\(…\)/);
    assert.deepEqual(
      a.related!.map((r) => at(r.location)),
      ['report-b.ts:4'],
    );
    assert.ok(dup.every((d) => d.severity === 'warning'));
    // Not the copy compiled in place (report-a.js), not the Report of the project in sub/.
    assert.ok(!dup.some((d) => d.message.includes('.js') || d.message.includes('sub')));
  });

  it('reports an output path built from a parameter declared significant: false, at the line', () => {
    const found = diagnosticsWithCode(result, DiagnosticCodes.insignificantParamInOutput);
    assert.deepEqual(found.map(at), ['daily.ts:8']);
    assert.equal(
      found[0]!.message,
      "Daily's output path out/daily_${date}_${attempt}.txt uses 'attempt', which is declared significant: false (left out of the task id): two instances differing only in attempt would share one id but write different outputs. Make 'attempt' significant, or keep it out of output().",
    );
    // Quiet's insignificant parameters stay out of its path: nothing to say.
    assert.ok(!found.some((d) => d.message.startsWith('Quiet')));
    const quiet = result.families.find((f) => f.family === 'Quiet')!;
    assert.deepEqual(
      quiet.params.map((p) => [p.name, p.significant]),
      [
        ['date', undefined],
        ['verbose', false],
        ['region', false],
      ],
    );
  });

  it('reports one output path written by two families on both, at the class of an inherited output()', () => {
    const dup = diagnosticsWithCode(result, DiagnosticCodes.duplicateOutput);
    assert.deepEqual(dup.map(at).sort(), ['shared.ts:11', 'shared.ts:15', 'shared.ts:21', 'shared.ts:9']);
    const left = dup.find((d) => at(d) === 'shared.ts:9')!;
    assert.match(left.message, /^Left and Right can write the same target out\/shared\.txt/);
    assert.match(left.message, /a run that reaches both refuses to start/);
    assert.deepEqual(
      left.related!.map((r) => [at(r.location), r.message]),
      [
        ['shared.ts:5', 'Left inherits this output()'],
        ['shared.ts:11', 'Right writes out/shared.txt'],
      ],
    );
    // A .js compiled beside its .ts writes "the same" target: it is the same class, not a clash.
    assert.ok(!dup.some((d) => d.uri.endsWith('.js') || d.message.includes('Report')));
  });
});
