// The marker table: one row per (task id, target) says that output is complete. Loads write it in
// the same transaction as their data, so data and marker commit together or not at all.
import type pg from 'pg';
import { qualified, quoteIdent, type TableName } from './identifiers';
import { createShared } from './shared-objects';

export type LoadMode = 'rebuild' | 'incremental' | 'query';

export interface Marker {
  taskId: string;
  target: string;
  taskFamily: string;
  params: Record<string, string>;
  schemaHash: string | null;
  mode: LoadMode;
  /** Why this mode: 'first load', 'schema changed', … */
  reason: string;
  rows: number | null;
  highWater: string | null;
  writtenAt?: Date;
}

type Queryable = Pick<pg.ClientBase, 'query'>;

/** Creates the schema and the marker table when missing (their own transaction: outside any load). */
export async function ensureMarkerTable(client: Queryable, markers: TableName): Promise<void> {
  await createShared(client, [
    `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(markers.schema)}`,
    `CREATE TABLE IF NOT EXISTS ${qualified(markers)} (
      task_id text NOT NULL,
      target text NOT NULL,
      task_family text NOT NULL,
      params jsonb NOT NULL,
      written_at timestamptz NOT NULL DEFAULT now(),
      schema_hash text,
      load_mode text NOT NULL,
      reason text NOT NULL,
      rows_loaded bigint,
      high_water text,
      PRIMARY KEY (task_id, target)
    )`,
  ]);
}

export async function writeMarker(client: Queryable, markers: TableName, m: Marker): Promise<void> {
  await client.query(
    `INSERT INTO ${qualified(markers)}
       (task_id, target, task_family, params, schema_hash, load_mode, reason, rows_loaded, high_water)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (task_id, target) DO UPDATE SET
       task_family = EXCLUDED.task_family, params = EXCLUDED.params, written_at = now(),
       schema_hash = EXCLUDED.schema_hash, load_mode = EXCLUDED.load_mode, reason = EXCLUDED.reason,
       rows_loaded = EXCLUDED.rows_loaded, high_water = EXCLUDED.high_water`,
    [
      m.taskId,
      m.target,
      m.taskFamily,
      JSON.stringify(m.params),
      m.schemaHash,
      m.mode,
      m.reason,
      m.rows,
      m.highWater,
    ],
  );
}

function isMissingRelation(error: unknown): boolean {
  // undefined_table, invalid_schema_name: no marker table yet means no marker.
  return ['42P01', '3F000'].includes((error as { code?: string }).code ?? '');
}

export async function markerExists(
  client: Queryable,
  markers: TableName,
  taskId: string,
  target: string,
): Promise<boolean> {
  try {
    const r = await client.query(`SELECT 1 FROM ${qualified(markers)} WHERE task_id = $1 AND target = $2`, [
      taskId,
      target,
    ]);
    return (r.rowCount ?? 0) > 0;
  } catch (error) {
    if (isMissingRelation(error)) return false;
    throw error;
  }
}

/** The newest marker of `target` (any task id): the last load's schema hash and high-water mark. */
export async function lastMarker(
  client: Queryable,
  markers: TableName,
  target: string,
): Promise<Marker | undefined> {
  try {
    const r = await client.query(
      `SELECT task_id, target, task_family, params, written_at, schema_hash, load_mode, reason, rows_loaded, high_water
         FROM ${qualified(markers)} WHERE target = $1 ORDER BY written_at DESC LIMIT 1`,
      [target],
    );
    return r.rows[0] ? fromRow(r.rows[0]) : undefined;
  } catch (error) {
    if (isMissingRelation(error)) return undefined;
    throw error;
  }
}

/** Every marker of `target`, oldest first (for tests and for people asking what happened). */
export async function markersOf(client: Queryable, markers: TableName, target: string): Promise<Marker[]> {
  try {
    const r = await client.query(
      `SELECT task_id, target, task_family, params, written_at, schema_hash, load_mode, reason, rows_loaded, high_water
         FROM ${qualified(markers)} WHERE target = $1 ORDER BY written_at`,
      [target],
    );
    return r.rows.map(fromRow);
  } catch (error) {
    if (isMissingRelation(error)) return [];
    throw error;
  }
}

function fromRow(row: Record<string, unknown>): Marker {
  return {
    taskId: row.task_id as string,
    target: row.target as string,
    taskFamily: row.task_family as string,
    params: row.params as Record<string, string>,
    writtenAt: row.written_at as Date,
    schemaHash: row.schema_hash as string | null,
    mode: row.load_mode as LoadMode,
    reason: row.reason as string,
    rows: row.rows_loaded === null ? null : Number(row.rows_loaded),
    highWater: row.high_water as string | null,
  };
}
