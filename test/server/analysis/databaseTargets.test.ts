// PostgreSQL outputs in the analysis (server/src/analysis/databaseTargets.ts), on a fixture of
// plumb-postgres table loads and query tasks: the table each family writes (with plumb-postgres
// resolved, and with it not installed), on graph nodes, and two families writing one table.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { defaultSchema } from '../../../server/src/analysis/databaseTargets';
import { DiagnosticCodes } from '../../../server/src/analysis/diagnostics/pipelineDiagnostic';
import type { AnalysisResult } from '../../../server/src/analysis/analysisResult';
import { analyseFixture, analyseFolder, copyFixture, diagnosticsWithCode } from '../fixtureWorkspace';

const EXPECTED_TABLES: Record<string, string | undefined> = {
  LoadPlays: 'plays',
  ReloadPlays: 'analytics.plays',
  ArchivePlays: 'archive.plays',
  DailyTop: 'top_${date}',
  LatestTop: 'top_latest',
  Vacuum: undefined, // a query task without `table`: only its marker row
  TopByHand: 'top_${day}',
  EventsFromApi: 'events',
  EventsFromFile: 'events',
  EitherTable: '(computed)', // a getter with two returns: a table, name unknown
};

function tablesOf(result: AnalysisResult): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const f of result.families) {
    if (f.cls.abstract) continue;
    assert.equal(f.outputs?.length, 1, `${f.family} has one output`);
    assert.equal(f.outputs[0]!.info.kind, 'PostgresTarget');
    out[f.family] = f.outputs[0]!.info.table;
  }
  return out;
}

/** "A ↔ B at line:col" per duplicate-table diagnostic, sorted. */
function clashes(result: AnalysisResult): string[] {
  return diagnosticsWithCode(result, DiagnosticCodes.duplicateTable)
    .map((d) => {
      const [, a, b] = /^(\w+) and (\w+) can write the same table/.exec(d.message)!;
      return `${a} ↔ ${b} at ${d.range.start.line + 1}:${d.range.start.character + 1}`;
    })
    .sort();
}

const EXPECTED_CLASHES = [
  'DailyTop ↔ TopByHand at 32:3', // the `get table()` of loads.ts
  'EventsFromApi ↔ EventsFromFile at 17:14', // inherited `table`: at the class name
  'EventsFromFile ↔ EventsFromApi at 23:14',
  'LoadPlays ↔ ReloadPlays at 6:3', // 'plays' is analytics.plays: [postgres] schema
  'ReloadPlays ↔ LoadPlays at 15:3',
  'TopByHand ↔ DailyTop at 8:46', // `table:` in new PostgresTarget(…)
];

describe('database targets, plumb-postgres resolved', () => {
  const { result } = analyseFixture('postgres-tables');

  it('knows the table each load and query task writes, from a field, a getter or new PostgresTarget', () => {
    assert.deepEqual(tablesOf(result), EXPECTED_TABLES);
  });

  it('tells a table whose name is unknown from a marker-only query task', () => {
    const output = (family: string) => result.families.find((f) => f.family === family)!.outputs![0]!;
    assert.ok(output('EitherTable').table, 'EitherTable writes a table');
    assert.equal(output('EitherTable').table!.segments, undefined);
    assert.equal(output('Vacuum').table, undefined);
  });

  it('puts the table on graph nodes', () => {
    const node = result.pipelineGraph().nodes.find((n) => n.family === 'LoadPlays')!;
    assert.deepEqual(
      node.outputs.map((o) => [o.kind, o.table]),
      [['PostgresTarget', 'plays']],
    );
  });

  it('says two families writing one table, on both, and nothing for other schemas or top_latest', () => {
    assert.deepEqual(clashes(result), EXPECTED_CLASHES);
    const d = diagnosticsWithCode(result, DiagnosticCodes.duplicateTable).find((x) =>
      x.message.startsWith('LoadPlays'),
    )!;
    assert.equal(d.severity, 'warning');
    assert.match(d.message, /same table analytics\.plays/);
    assert.deepEqual(
      d.related?.map((r) => [r.message, r.location.range.start.line + 1]),
      [['ReloadPlays writes analytics.plays', 15]],
    );
  });

  it('does not call table loads and query tasks "without output()"', () => {
    assert.deepEqual(diagnosticsWithCode(result, DiagnosticCodes.noOutput), []);
  });
});

describe('database targets, plumb-postgres not installed', () => {
  const copy = copyFixture('postgres-tables');
  after(copy.dispose);
  const { result } = analyseFolder(copy.root);

  it('still reads the bases by their names and finds the same tables and clashes', () => {
    assert.deepEqual(tablesOf(result), EXPECTED_TABLES);
    assert.deepEqual(clashes(result), EXPECTED_CLASHES);
  });
});

describe('defaultSchema', () => {
  it('is [postgres] schema, else public', () => {
    assert.equal(defaultSchema('[postgres]\nschema = "analytics" # where tables go\n'), 'analytics');
    assert.equal(defaultSchema("[postgres]\nschema = 'raw'\n"), 'raw');
    assert.equal(defaultSchema('[other]\nschema = "x"\n'), 'public');
    assert.equal(defaultSchema(undefined), 'public');
  });
});
