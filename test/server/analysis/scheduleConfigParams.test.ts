// A schedule's required parameters may come from plumb.toml's [params.<Family>] (the runtime's
// precedence: code default < [params.<Family>] < the schedule's params): those are not missing.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { DiagnosticCodes } from '../../../server/src/analysis/diagnostics/pipelineDiagnostic';
import { analyseFolder, copyFixture } from '../fixtureWorkspace';

describe('plumb.toml schedules and [params.<Family>]', () => {
  let root: string;
  let dispose: () => void;
  before(() => ({ root, dispose } = copyFixture('operations')));
  after(() => dispose());

  const missingParams = (toml: string[]): string[] => {
    const file = path.join(root, 'plumb.toml');
    fs.writeFileSync(file, toml.join('\n') + '\n');
    const ds = analyseFolder(root).result.diagnosticsByUri().get(pathToFileURL(file).href) ?? [];
    return ds.filter((d) => d.code === DiagnosticCodes.missingParam).map((d) => d.message);
  };
  const schedule = [
    '[[schedules]]',
    'name = "weekly"',
    'cron = "0 6 * * 1"',
    'pipeline = "pipeline.ts"',
    'task = "CustomerReport"',
  ];

  it('counts a required parameter [params.<Family>] gives as given', () => {
    assert.deepEqual(
      missingParams(['[params.CustomerReport]', 'date = 2026-11-02', 'customer = "acme"', '', ...schedule]),
      [],
    );
  });

  it("still reports what neither the schedule nor the family's [params] gives", () => {
    const messages = missingParams([
      '[params.CustomerReport]',
      'customer = "acme"',
      '',
      '[params.Weather]',
      'date = 2026-11-02',
      '',
      ...schedule,
    ]);
    assert.equal(messages.length, 1, messages.join('\n'));
    // Weather's [params] are Weather's: CustomerReport's date is still missing.
    assert.match(messages[0]!, /CustomerReport requires 'date', which this schedule does not give/);
  });

  it('counts the schedule params and [params.<Family>] together', () => {
    assert.deepEqual(
      missingParams(['[params.CustomerReport]', 'customer = "acme"', '', ...schedule, 'date_param = "date"']),
      [],
    );
  });
});
