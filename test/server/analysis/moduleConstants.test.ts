// Module-level constants in target paths: `const STREAMS_DIR = 'data/streams'` used in
// `${STREAMS_DIR}/${this.date}.tsv` is read into the template (no false "missing external data");
// a `let`, a value read at run time or a shadowing local stays a placeholder. Nothing is executed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DiagnosticCodes } from '../../../server/src/analysis/diagnostics/pipelineDiagnostic';
import { analyseFixture, diagnosticsWithCode } from '../fixtureWorkspace';

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
