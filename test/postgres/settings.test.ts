// Connection settings ([postgres] in plumb.toml over the PG* variables) and test mode: every
// database output (tables and markers) goes to the test schema and nothing else is written.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import {
  outputSchema,
  parsePostgresSection,
  resolveSettings,
  settingsFrom,
} from '../../postgres/src/settings';
import { runCli } from '../runtime/support/cli';
import { freshDatabase, workspace, type Database } from './support/server';

const PG_ENV = {
  PGHOST: 'envhost',
  PGPORT: '6000',
  PGUSER: 'envuser',
  PGDATABASE: 'envdb',
  PGPASSWORD: 'envpw',
};

test('plumb.toml [postgres] wins over PG* variables, which fill in what it leaves out', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plumb-pg-settings-'));
  try {
    writeFileSync(
      path.join(dir, 'plumb.toml'),
      '[run]\nworkers = 2\n\n[postgres]\nhost = "db.internal"\ndatabase = "warehouse"\npassword_env = "WAREHOUSE_PW"\nschema = "analytics"\ntest_schema = "analytics_test"\n',
    );
    const s = resolveSettings(dir, { ...PG_ENV, WAREHOUSE_PW: 'from-named-var' });
    assert.deepEqual(
      [s.host, s.port, s.user, s.database, s.password, s.schema, s.testSchema, s.testMode],
      ['db.internal', 6000, 'envuser', 'warehouse', 'from-named-var', 'analytics', 'analytics_test', false],
    );
    // Without plumb.toml: the PG* variables, then libpq's defaults.
    rmSync(path.join(dir, 'plumb.toml'));
    const env = resolveSettings(dir, PG_ENV);
    assert.deepEqual(
      [env.host, env.port, env.user, env.database, env.password],
      ['envhost', 6000, 'envuser', 'envdb', 'envpw'],
    );
    const bare = resolveSettings(dir, { PGUSER: 'me' });
    assert.deepEqual(
      [bare.host, bare.port, bare.database, bare.password, bare.schema],
      ['localhost', 5432, 'me', undefined, 'public'],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('[postgres] mistakes name the file and the key; a password in the file is refused', () => {
  const file = '/p/plumb.toml';
  assert.throws(
    () => parsePostgresSection('[postgres]\npassword = "x"\n', file),
    /^PostgresSettingsError: \/p\/plumb\.toml: postgres\.password: unknown setting \(a password does not belong in a checked-in file/,
  );
  assert.throws(
    () => parsePostgresSection('[postgres]\nport = "5432"\n', file),
    /postgres\.port: must be a port number/,
  );
  assert.throws(
    () => parsePostgresSection('[postgres]\nhots = "x"\n', file),
    /postgres\.hots: unknown setting \(known: host, port/,
  );
  assert.throws(
    () => parsePostgresSection('[postgres\n', file),
    /^PostgresSettingsError: \/p\/plumb\.toml:1: /,
  );
  assert.deepEqual(parsePostgresSection('[run]\nworkers = 1\n', file), {});
  assert.throws(
    () => settingsFrom({ password_env: 'NOPE' }, {}),
    /password_env names NOPE, which is not set/,
  );
  assert.throws(() => settingsFrom({}, { PGPORT: 'abc' }), /PGPORT must be a port number/);
});

test('test mode (PLUMB_TEST_MODE, or test_mode = true) sends every output schema to the test schema', () => {
  const normal = settingsFrom({}, {});
  assert.equal(outputSchema(normal, undefined), 'public');
  assert.equal(outputSchema(normal, 'sales'), 'sales');
  const testing = settingsFrom({}, { PLUMB_TEST_MODE: '1' });
  assert.equal(outputSchema(testing, undefined), 'plumb_test');
  assert.equal(outputSchema(testing, 'sales'), 'plumb_test');
  assert.equal(settingsFrom({ test_mode: true, test_schema: 'qa' }, {}).testSchema, 'qa');
  assert.equal(settingsFrom({ test_mode: true }, {}).testMode, true);
  // The environment decides when it says anything (issue 12's --test-mode sets it for the run).
  assert.equal(settingsFrom({ test_mode: true }, { PLUMB_TEST_MODE: '0' }).testMode, false);
  assert.equal(settingsFrom({}, { PLUMB_TEST_MODE: 'true', PLUMB_TEST_SCHEMA: 'ci_42' }).testSchema, 'ci_42');
});

async function schemaTables(db: Database): Promise<string[]> {
  const rows = await db.query<{ t: string }>(
    "SELECT schemaname || '.' || tablename AS t FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1",
  );
  return rows.map((r) => r.t);
}

test('a test-mode run writes only to the test schema; the real run afterwards is untouched by it', async (t) => {
  const db = await freshDatabase(t);
  const ws = workspace('loads', t);
  const testRun = runCli(ws, ['run', 'pipeline.ts', 'MarkTopArtist', '--day', '1'], {
    ...db.env,
    PLUMB_TEST_MODE: '1',
  });
  assert.equal(testRun.code, 0, testRun.stdout + testRun.stderr);
  assert.deepEqual(await schemaTables(db), [
    'plumb_test.plays',
    'plumb_test.plumb_markers',
    'plumb_test.top_artists',
  ]);
  assert.deepEqual(
    (await db.query<{ id: string }>('SELECT task_id AS id FROM plumb_test.plumb_markers ORDER BY 1')).map(
      (r) => r.id,
    ),
    ['LoadPlays(day=1)', 'MarkTopArtist(day=1)', 'TopArtists(day=1)'],
  );
  // The query task read the test schema's plays (its input), and updated the test schema's table.
  assert.deepEqual(
    await db.query("SELECT count(*)::int AS n FROM plumb_test.top_artists WHERE artist LIKE 'ARTIST%'"),
    [{ n: 5 }],
  );

  // Test-mode markers do not make the real outputs complete: the real run does all the work.
  const real = runCli(ws, ['run', 'pipeline.ts', 'MarkTopArtist', '--day', '1', '--events', 'jsonl'], db.env);
  assert.equal(real.code, 0, real.stderr);
  assert.equal(real.events.filter((e) => e.type === 'task-done').length, 3);
  assert.deepEqual(await schemaTables(db), [
    'plumb_test.plays',
    'plumb_test.plumb_markers',
    'plumb_test.top_artists',
    'public.plays',
    'public.plumb_markers',
    'public.top_artists',
  ]);
});
