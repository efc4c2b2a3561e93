// One load of a table, as one transaction: COPY into a staging table and swap it with the live one
// (its owner, grants and comments copied; rename live → old, staging → live, drop old, marker row,
// commit), or, when the schema hash is unchanged and the load is incremental, COPY into a temporary
// table and insert only the new rows.
// Readers see the old table or the new one; a failure or a dead client rolls it all back.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyChunks, CopyText, type Row } from './copy-text';
import { qualified, quoteIdent, sideName, type TableName } from './identifiers';
import { ensureMarkerTable, lastMarker, writeMarker, type LoadMode } from './marker-table';
import { createShared } from './shared-objects';
import { schemaHash, type Columns } from './schema-hash';
import { copyTableGrants } from './table-grants';

/** Incremental loads: only rows above the table's high-water mark, or whose key is not there yet. */
export type Incremental = { highWater: string } | { key: string | readonly string[] };

/** What a load's rows() is told: which kind of load this is, and from where new rows start. */
export interface LoadContext {
  mode: 'rebuild' | 'incremental';
  reason: string;
  /** Incremental by high-water mark: the column's maximum in the live table (null when empty). */
  since?: unknown;
}

export interface TableLoadSpec {
  table: TableName;
  /** The marker key of the table (`schema.name`). */
  target: string;
  markerTable: TableName;
  columns: Columns;
  incremental?: Incremental;
  /** Column lists to index, built on the staging table after COPY (cheaper than during). */
  indexes?: readonly (string | readonly string[])[];
  sourceSchema?: unknown;
  rows(context: LoadContext): AsyncIterable<Row> | Iterable<Row> | CopyText;
  task: { taskId: string; taskFamily: string; params: Record<string, string> };
  /** A status line; `rows`: rows copied so far (the Run view shows the count). */
  onStatus?(message: string, rows?: number): void;
}

export interface LoadResult {
  mode: LoadMode;
  reason: string;
  rows: number;
  schemaHash: string;
  highWater: string | null;
}

type Client = pg.ClientBase;

export async function loadTable(client: Client, spec: TableLoadSpec): Promise<LoadResult> {
  const columnNames = Object.keys(spec.columns);
  if (columnNames.length === 0) throw new Error(`${spec.target}: a table load needs at least one column`);
  await ensureMarkerTable(client, spec.markerTable);
  await createSchema(client, spec.table.schema);
  const hash = schemaHash(spec.columns, spec.sourceSchema);
  await client.query('BEGIN');
  try {
    // Loads of one table take turns: an incremental load must not read a high-water mark that a
    // concurrent load is about to move.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`plumb-postgres:${spec.target}`]);
    const live = await tableExists(client, spec.table);
    const last = live ? await lastMarker(client, spec.markerTable, spec.target) : undefined;
    const plan = decide(spec, live, last?.schemaHash, hash);
    const result =
      plan.mode === 'incremental'
        ? await appendNewRows(client, spec, columnNames, plan)
        : await rebuild(client, spec, columnNames, plan, live);
    await writeMarker(client, spec.markerTable, {
      ...spec.task,
      target: spec.target,
      schemaHash: hash,
      mode: plan.mode,
      reason: plan.reason,
      rows: result.rows,
      highWater: result.highWater,
    });
    spec.onStatus?.('committing');
    await client.query('COMMIT');
    return {
      mode: plan.mode,
      reason: plan.reason,
      rows: result.rows,
      schemaHash: hash,
      highWater: result.highWater,
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

function decide(
  spec: TableLoadSpec,
  live: boolean,
  lastHash: string | null | undefined,
  hash: string,
): LoadContext {
  if (!live) return { mode: 'rebuild', reason: 'first load' };
  if (!spec.incremental) return { mode: 'rebuild', reason: 'full load (not incremental)' };
  if (lastHash === undefined || lastHash === null)
    return { mode: 'rebuild', reason: 'no earlier load recorded' };
  if (lastHash !== hash) return { mode: 'rebuild', reason: `schema changed (${lastHash} → ${hash})` };
  return { mode: 'incremental', reason: 'schema unchanged' };
}

async function rebuild(
  client: Client,
  spec: TableLoadSpec,
  columnNames: string[],
  plan: LoadContext,
  live: boolean,
) {
  const staging = sideName(spec.table, 'new');
  const definition = Object.entries(spec.columns)
    .map(([name, type]) => `${quoteIdent(name)} ${type}`)
    .join(', ');
  await client.query(`CREATE TABLE ${qualified(staging)} (${definition})`);
  const rows = await copyRows(client, qualified(staging), columnNames, spec, plan);
  for (const index of spec.indexes ?? []) {
    const cols = (typeof index === 'string' ? [index] : index).map(quoteIdent).join(', ');
    await client.query(`CREATE INDEX ON ${qualified(staging)} (${cols})`);
  }
  spec.onStatus?.('swapping');
  await swapIn(client, spec.table, staging, live);
  return { rows, highWater: await highWater(client, spec) };
}

/**
 * Puts `staging` in the place of `table`: it takes the live table's owner, grants and comments
 * (table-grants.ts), then live → old, staging → live, drop old. Inside the caller's transaction.
 */
export async function swapIn(client: Client, table: TableName, staging: TableName, live: boolean) {
  if (live) {
    await copyTableGrants(client, table, staging);
    const old = sideName(table, 'old');
    await client.query(`ALTER TABLE ${qualified(table)} RENAME TO ${quoteIdent(old.name)}`);
    await client.query(`ALTER TABLE ${qualified(staging)} RENAME TO ${quoteIdent(table.name)}`);
    await client.query(`DROP TABLE ${qualified(old)}`);
  } else {
    await client.query(`ALTER TABLE ${qualified(staging)} RENAME TO ${quoteIdent(table.name)}`);
  }
}

async function appendNewRows(client: Client, spec: TableLoadSpec, columnNames: string[], plan: LoadContext) {
  const inc = spec.incremental!;
  const cols = columnNames.map(quoteIdent).join(', ');
  let filter: string;
  const values: unknown[] = [];
  if ('highWater' in inc) {
    const r = await client.query(
      `SELECT max(${quoteIdent(inc.highWater)}) AS since FROM ${qualified(spec.table)}`,
    );
    plan.since = r.rows[0]?.since ?? null;
    filter = plan.since === null ? 'true' : `t.${quoteIdent(inc.highWater)} > $1`;
    if (plan.since !== null) values.push(plan.since);
  } else {
    const keys = typeof inc.key === 'string' ? [inc.key] : inc.key;
    const match = keys.map((k) => `l.${quoteIdent(k)} IS NOT DISTINCT FROM t.${quoteIdent(k)}`).join(' AND ');
    filter = `NOT EXISTS (SELECT 1 FROM ${qualified(spec.table)} l WHERE ${match})`;
  }
  const batch = quoteIdent(`plumb_batch_${process.pid}`);
  await client.query(
    `CREATE TEMP TABLE ${batch} (LIKE ${qualified(spec.table)} INCLUDING DEFAULTS) ON COMMIT DROP`,
  );
  await copyRows(client, batch, columnNames, spec, plan);
  spec.onStatus?.('inserting new rows');
  const inserted = await client.query(
    `INSERT INTO ${qualified(spec.table)} (${cols}) SELECT ${cols} FROM ${batch} t WHERE ${filter}`,
    values,
  );
  return { rows: inserted.rowCount ?? 0, highWater: await highWater(client, spec) };
}

/** Streams the task's rows into `table` with COPY FROM STDIN; returns how many arrived. */
async function copyRows(
  client: Client,
  table: string,
  columnNames: string[],
  spec: TableLoadSpec,
  plan: LoadContext,
) {
  const produced = spec.rows(plan);
  const into = `COPY ${table} (${columnNames.map(quoteIdent).join(', ')}) FROM STDIN`;
  if (produced instanceof CopyText) {
    const copy = client.query(copyFrom(`${into} ${produced.copyOptions}`));
    spec.onStatus?.('copying');
    await pipeline(produced.source, copy);
    return copy.rowCount;
  }
  const counter = { rows: 0 };
  const copy = client.query(copyFrom(into));
  let lastStatus = 0;
  async function* withStatus() {
    for await (const chunk of copyChunks(
      produced as AsyncIterable<Row> | Iterable<Row>,
      columnNames,
      counter,
    )) {
      yield chunk;
      if (Date.now() - lastStatus > 500) {
        lastStatus = Date.now();
        spec.onStatus?.(`copying: ${counter.rows.toLocaleString('en')} rows`, counter.rows);
      }
    }
  }
  await pipeline(Readable.from(withStatus()), copy);
  return counter.rows;
}

async function highWater(client: Client, spec: TableLoadSpec): Promise<string | null> {
  const inc = spec.incremental;
  if (!inc || !('highWater' in inc)) return null;
  const r = await client.query(
    `SELECT max(${quoteIdent(inc.highWater)})::text AS hw FROM ${qualified(spec.table)}`,
  );
  return (r.rows[0]?.hw as string | null) ?? null;
}

export async function tableExists(client: Client, table: TableName): Promise<boolean> {
  const r = await client.query('SELECT to_regclass($1) IS NOT NULL AS present', [qualified(table)]);
  return r.rows[0]?.present === true;
}

export async function createSchema(client: Client, schema: string): Promise<void> {
  await createShared(client, [`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`]);
}
