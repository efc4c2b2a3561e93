// A swapped-in table keeps what the live one had: owner, table and column GRANTs (exactly: default
// privileges the new table got are not added), and comments — for a load's rebuild and for a query
// task's table, on a real server.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closePools, withClient } from '../../postgres/src/connection';
import { settingsFrom } from '../../postgres/src/settings';
import { loadTable, type TableLoadSpec } from '../../postgres/src/table-swap';
import { runCli } from '../runtime/support/cli';
import { freshDatabase, workspace, type Database } from './support/server';

/** What must survive a swap, as the catalog says it. */
async function accessOf(db: Database, table: string) {
  const [rel] = await db.query<{ owner: string; acl: string | null; comment: string | null }>(
    `SELECT pg_get_userbyid(relowner) AS owner, relacl::text AS acl, obj_description(oid, 'pg_class') AS comment
       FROM pg_class WHERE oid = $1::regclass`,
    [table],
  );
  const columns = await db.query<{ name: string; acl: string | null; comment: string | null }>(
    `SELECT attname AS name, attacl::text AS acl, col_description(attrelid, attnum) AS comment
       FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    [table],
  );
  return { ...rel, columns };
}

/** Roles of this test (roles are the cluster's, shared by every database: named per process). */
async function roles(db: Database, ...names: string[]): Promise<string[]> {
  const out = names.map((n) => `plumb_${n}_${process.pid}`);
  for (const role of out)
    await db.query(`DO $$ BEGIN CREATE ROLE ${role}; EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
  return out;
}

test('a rebuild keeps the live table’s owner, grants and comments, and adds no default privileges', async (t) => {
  const db = await freshDatabase(t);
  t.after(closePools);
  const settings = settingsFrom({}, db.env);
  const spec = (round: number, rows: unknown[][]): TableLoadSpec => ({
    table: { schema: 'public', name: 'scores' },
    target: 'public.scores',
    markerTable: { schema: 'public', name: 'plumb_markers' },
    columns: { id: 'integer', name: 'text' },
    rows: () => rows,
    task: { taskId: `Scores(round=${round})`, taskFamily: 'Scores', params: {} },
  });
  await withClient(settings, (c) => loadTable(c, spec(0, [[1, 'a']])));
  const [owner, reader, editor, auditor, snoop] = await roles(
    db,
    'owner',
    'reader',
    'editor',
    'auditor',
    'snoop',
  );
  await db.query(`ALTER TABLE scores OWNER TO ${owner}`);
  await db.query(`GRANT SELECT ON scores TO ${reader}`);
  await db.query(`GRANT INSERT, UPDATE ON scores TO ${editor} WITH GRANT OPTION`);
  await db.query(`GRANT SELECT (id) ON scores TO ${auditor}`);
  await db.query(`REVOKE ALL ON scores FROM PUBLIC`);
  await db.query(`COMMENT ON TABLE scores IS 'scores, loaded daily (it''s Plumb)'`);
  await db.query(`COMMENT ON COLUMN scores.name IS 'who'`);
  // A table created from now on gets SELECT for snoop; the live one never had it.
  await db.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO ${snoop}`);
  const before = await accessOf(db, 'scores');
  assert.match(before.acl!, new RegExp(`${reader}=r/${owner}`));

  const result = await withClient(settings, (c) =>
    loadTable(
      c,
      spec(1, [
        [1, 'a'],
        [2, 'b'],
      ]),
    ),
  );
  assert.equal(result.mode, 'rebuild');
  assert.deepEqual(await db.query('SELECT count(*)::int AS n FROM scores'), [{ n: 2 }]);
  assert.deepEqual(await accessOf(db, 'scores'), before);
  const [can] = await db.query<{ snoop: boolean; reader: boolean; auditor: boolean }>(
    `SELECT has_table_privilege('${snoop}', 'scores', 'SELECT') AS snoop,
            has_table_privilege('${reader}', 'scores', 'SELECT') AS reader,
            has_column_privilege('${auditor}', 'scores', 'id', 'SELECT') AS auditor`,
  );
  assert.deepEqual(can, { snoop: false, reader: true, auditor: true });
});

test('a query task’s table keeps its grants when the query replaces it', async (t) => {
  const db = await freshDatabase(t);
  const ws = workspace('loads', t);
  const first = runCli(ws, ['run', 'pipeline.ts', 'TopArtists', '--day', '1'], db.env);
  assert.equal(first.code, 0, first.stderr);
  const [reader] = await roles(db, 'reader');
  await db.query(`GRANT SELECT ON top_artists TO ${reader}`);
  await db.query(`COMMENT ON TABLE top_artists IS 'the dashboard reads this'`);
  const before = await accessOf(db, 'top_artists');
  const second = runCli(ws, ['run', 'pipeline.ts', 'TopArtists', '--day', '2'], db.env);
  assert.equal(second.code, 0, second.stderr);
  assert.deepEqual(await accessOf(db, 'top_artists'), before);
});
