// The query task: SQL in, a table or a marker out. With `table`, the SELECT's result becomes that
// table through the same staging + swap transaction as a load; without, the SQL runs (UPDATE,
// INSERT … SELECT) in one transaction with the marker row. search_path starts with the schema
// outputs go to, so unqualified names read test-mode outputs first in test mode.
import { Task } from 'plumb-pipelines';
import type pg from 'pg';
import { withClient } from './connection';
import { qualified, quoteIdent, sideName } from './identifiers';
import { ensureMarkerTable, writeMarker } from './marker-table';
import { PostgresTarget } from './postgres-target';
import { outputSchema } from './settings';
import { createSchema, swapIn, tableExists } from './table-swap';

export type Sql = string | { text: string; values?: unknown[] };

/** What a query class may add (not declared on PostgresQuery: no `override`, a getter is fine). */
export interface QueryOptions {
  /** When set, the query's result replaces this table ('name' or 'schema.name'). */
  readonly table?: string;
}

export abstract class PostgresQuery extends Task {
  /** The SQL: a SELECT when `table` is set; any statements otherwise. */
  abstract sql(): Sql;

  output(): PostgresTarget {
    return new PostgresTarget(this.taskId, { table: (this as QueryOptions).table });
  }

  async run(): Promise<{ rows: number }> {
    const target = this.output();
    const sql = this.sql();
    const { text, values } = typeof sql === 'string' ? { text: sql, values: undefined } : sql;
    const settings = target.settings;
    const rows = await withClient(
      settings,
      async (client) => {
        await ensureMarkerTable(client, target.markerTable);
        if (target.table) await createSchema(client, target.table.schema);
        await client.query('BEGIN');
        try {
          const path = [...new Set([outputSchema(settings, undefined), settings.schema])]
            .map(quoteIdent)
            .join(', ');
          await client.query(`SET LOCAL search_path TO ${path}`);
          const count = target.table
            ? await replaceTable(client, target, text, values)
            : ((await client.query(text, values)).rowCount ?? 0);
          await writeMarker(client, target.markerTable, {
            taskId: this.taskId,
            target: target.target,
            taskFamily: this.taskFamily,
            params: this.params,
            schemaHash: null,
            mode: 'query',
            reason: target.table ? 'table from query' : 'statements',
            rows: count,
            highWater: null,
          });
          await client.query('COMMIT');
          return count;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      },
      this.signal,
    );
    this.setStatus(`${rows.toLocaleString('en')} rows`, { rows });
    this.log.info(`${target.target}: ${rows.toLocaleString('en')} rows`);
    return { rows };
  }
}

async function replaceTable(
  client: pg.ClientBase,
  target: PostgresTarget,
  text: string,
  values?: unknown[],
): Promise<number> {
  const table = target.table!;
  const staging = sideName(table, 'new');
  const created = await client.query(`CREATE TABLE ${qualified(staging)} AS ${text}`, values);
  await swapIn(client, table, staging, await tableExists(client, table));
  return created.rowCount ?? 0;
}
