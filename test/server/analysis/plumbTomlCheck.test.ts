// plumb.toml validation against the pipeline: unknown families and parameters, values the runtime's
// parameter types reject, the runtime's own config rules; and config values shown on parameters.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { DiagnosticCodes } from '../../../server/src/analysis/diagnostics/pipelineDiagnostic';
import { analyseFixture, analyseFolder, copyFixture } from '../fixtureWorkspace';

describe('plumb.toml checks', () => {
  const { result } = analyseFixture('config');
  const toml =
    result
      .diagnosticsByUri()
      .get(pathToFileURL(path.join(result.families[0]!.projectRoot, 'plumb.toml')).href) ?? [];
  const byCode = (code: string) => toml.filter((d) => d.code === code);

  it('reports a family that does not exist, on its table header', () => {
    const [unknown, ...rest] = byCode(DiagnosticCodes.configUnknownFamily);
    assert.equal(rest.length, 0);
    assert.match(unknown!.message, /No task family named Weekly in this project \(known: Daily\)/);
    assert.equal(unknown!.range.start.line, 9);
  });

  it('reports a parameter the family does not declare, on its key', () => {
    const [unknown] = byCode(DiagnosticCodes.configUnknownParam);
    assert.match(unknown!.message, /Daily has no parameter 'colour'/);
    assert.equal(unknown!.range.start.line, 7);
  });

  it("reports values the runtime's parameter types reject, and accepts the good ones", () => {
    const wrong = byCode(DiagnosticCodes.configWrongType);
    assert.deepEqual(wrong.map((d) => d.range.start.line).sort(), [5, 6]);
    assert.ok(
      wrong.some((d) => d.message.startsWith('Daily.region (enum parameter): expected one of eu, us')),
    );
    assert.ok(wrong.some((d) => d.message.startsWith('Daily.limit (int parameter): expected an integer')));
  });

  it('shows the configured value on the parameter', () => {
    const info = result.taskInfo(result.families.find((f) => f.family === 'Daily')!);
    assert.equal(info.params.find((p) => p.name === 'date')!.configText, '"2026-11-01"');
    assert.equal(info.params.find((p) => p.name === 'region')!.configText, '"asia"');
  });

  it("applies the runtime's own rules to [run] and [tasks.*], and reports TOML syntax errors", () => {
    const { root, dispose } = copyFixture('config');
    try {
      const file = path.join(root, 'plumb.toml');
      fs.writeFileSync(file, '[run]\nworkers = 0\n');
      let diagnostics = analyseFolder(root).result.diagnosticsByUri().get(pathToFileURL(file).href)!;
      assert.equal(diagnostics.length, 1);
      assert.match(diagnostics[0]!.message, /must be a whole number ≥ 1/);
      assert.equal(diagnostics[0]!.range.start.line, 1);
      fs.writeFileSync(file, '[run\nworkers = 2\n');
      diagnostics = analyseFolder(root).result.diagnosticsByUri().get(pathToFileURL(file).href)!;
      assert.equal(diagnostics[0]!.code, DiagnosticCodes.configSyntax);
    } finally {
      dispose();
    }
  });

  it('offers to rename a mistyped family or parameter to the one it most likely means', () => {
    const { root, dispose } = copyFixture('config');
    try {
      const file = path.join(root, 'plumb.toml');
      fs.writeFileSync(file, '[params.daily]\nregoin = "us"\n\n[tasks.Weekly]\nretries = 1\n');
      const diagnostics = analyseFolder(root).result.diagnosticsByUri().get(pathToFileURL(file).href)!;
      const fixesOf = (code: string) =>
        diagnostics
          .filter((d) => d.code === code)
          .map((d) => d.fixes?.map((f) => [f.title, f.edits[0]!.newText, f.edits[0]!.range.start.line]));
      // 'daily' is Daily; 'Weekly' is nothing close, so no guess.
      assert.deepEqual(fixesOf(DiagnosticCodes.configUnknownFamily), [
        [['Change to Daily', '[params.Daily]', 0]],
        undefined,
      ]);
      fs.writeFileSync(file, '[params.Daily]\nregoin = "us"\ncolour = 1\n');
      const again = analyseFolder(root).result.diagnosticsByUri().get(pathToFileURL(file).href)!;
      assert.deepEqual(
        again
          .filter((d) => d.code === DiagnosticCodes.configUnknownParam)
          .map((d) => d.fixes?.map((f) => [f.title, f.edits[0]!.newText, f.edits[0]!.range.start.line])),
        [[["Change to 'region'", 'region', 1]], undefined],
      );
    } finally {
      dispose();
    }
  });
});
