// Module-level constants in target paths: `const STREAMS_DIR = 'data/streams'` used in
// `${STREAMS_DIR}/${this.date}.tsv` is read into the template (no false "missing external data");
// a `let`, a value read at run time or a shadowing local stays a placeholder. Nothing is executed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { summariseFile } from '../../../server/src/analysis/fileSummary';
import { DiagnosticCodes } from '../../../server/src/analysis/diagnostics/pipelineDiagnostic';
import type { AnalysisResult } from '../../../server/src/analysis/analysisResult';
import { analyseFixture, analyseFolder, copyFixture, diagnosticsWithCode } from '../fixtureWorkspace';

const templatesIn = (result: AnalysisResult, family: string) =>
  result.families.find((f) => f.family === family)?.outputs?.map((o) => o.info.template);

describe('module-level constants in output paths', () => {
  const { result } = analyseFixture('module-constants');
  const templates = (family: string) =>
    result.families.find((f) => f.family === family)?.outputs?.map((o) => o.info.template);

  it('reads a const, and a const built from another, inside a template literal', () => {
    assert.deepEqual(templates('Streams'), ['data/streams/streams_${date}.tsv']);
    assert.deepEqual(diagnosticsWithCode(result, DiagnosticCodes.missingExternalData), []);
    assert.equal(result.missing.size, 0);
  });

  it('reads consts in concatenations and path.join', () => {
    assert.deepEqual(templates('Totals'), ['data/totals_${date}.tsv']);
    assert.deepEqual(templates('Joined'), ['data/joined/all.tsv']);
  });

  it('leaves a shadowed name, a let and a value read at run time as placeholders', () => {
    assert.deepEqual(templates('Shadowed'), ['${DATA}/shadowed.tsv']);
    assert.deepEqual(templates('NotConstant'), ['${ELSEWHERE}/a.tsv', '${FROM_ENV}/b.tsv']);
  });
});

describe('constants imported from another file', () => {
  it('reads an imported const (renamed or re-exported by name) into the path', () => {
    const { result } = analyseFixture('module-constants');
    assert.deepEqual(templatesIn(result, 'SharedInput'), ['data/shared/input_${date}.tsv']);
    assert.deepEqual(templatesIn(result, 'Report'), ['reports/report_${date}.tsv', '${FROM_ENV_DIR}/c.tsv']);
    assert.deepEqual(diagnosticsWithCode(result, DiagnosticCodes.missingExternalData), []);
  });

  it("follows an edit of the constants' file, and reports data missing under the new directory", () => {
    const { root, dispose } = copyFixture('module-constants');
    try {
      const { analysis, result } = analyseFolder(root);
      assert.deepEqual(templatesIn(result, 'SharedInput'), ['data/shared/input_${date}.tsv']);
      const paths = path.join(root, 'paths.ts');
      const text = fs.readFileSync(paths, 'utf8').replace("'data/shared'", "'data/elsewhere'");
      analysis.openDocument(pathToFileURL(paths).href, text, 2);
      const edited = analysis.analyse();
      assert.deepEqual(templatesIn(edited, 'SharedInput'), ['data/elsewhere/input_${date}.tsv']);
      const missing = diagnosticsWithCode(edited, DiagnosticCodes.missingExternalData);
      assert.equal(missing.length, 1);
      assert.match(missing[0]!.message, /data\/elsewhere\/input_\*\.tsv: external data SharedInput/);
    } finally {
      dispose();
    }
  });
});

it('reads a const concatenated from 20,000 strings without overflowing the stack', () => {
  const terms = Array.from({ length: 20_000 }, () => "'a'").join(' + ');
  const text = `export const LONG = ${terms};\nexport const DIR = 'data';\n`;
  const summary = summariseFile(ts.createSourceFile('/generated.ts', text, ts.ScriptTarget.Latest, true));
  assert.equal(summary.constants?.get('LONG')?.length, 20_000);
  assert.equal(summary.constants?.get('DIR'), 'data');
});
