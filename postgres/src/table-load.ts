// The table-load task: declare the table, its columns and rows(); Plumb COPYs the rows into a
// staging table and swaps it in with the marker in one transaction (see table-swap.ts). With
// `incremental`, an unchanged schema hash loads only new rows; a changed one rebuilds the table.
import { Task } from 'plumb-pipelines';
import { withClient } from './connection';
import { type CopyText, type Row } from './copy-text';
import { PostgresTarget } from './postgres-target';
import { type Columns } from './schema-hash';
import { loadTable, type Incremental, type LoadContext, type LoadResult } from './table-swap';

/**
 * What a load class may add (fields, getters or a method). Not declared on PostgresTableLoad, as
 * requires/output/run are not declared on Task: a subclass needs no `override` and may use a getter.
 */
export interface TableLoadOptions {
  /** Load only new rows while the schema hash is unchanged: by high-water column or by key. */
  readonly incremental?: Incremental;
  /** Columns (or column lists) to index; built on the staging table before the swap. */
  readonly indexes?: readonly (string | readonly string[])[];
  /** What describes the source beyond the columns (a file's header, an API's fields): hashed too. */
  sourceSchema?(): unknown;
}

export abstract class PostgresTableLoad extends Task {
  /** The live table: 'name' (in [postgres] schema, default public) or 'schema.name'. */
  abstract readonly table: string;
  /** Column name → SQL type, in the order rows() gives values. Part of the schema hash. */
  abstract readonly columns: Columns;

  /**
   * The rows to load: arrays in column order or objects keyed by column, from a sync iterable (the
   * fastest: no await per row) or an async one; or copyText(stream) for data already in COPY format.
   */
  abstract rows(load: LoadContext): AsyncIterable<Row> | Iterable<Row> | CopyText;

  output(): PostgresTarget {
    return new PostgresTarget(this.taskId, { table: this.table });
  }

  async run(): Promise<LoadResult> {
    const target = this.output();
    const options = this as TableLoadOptions;
    const source = await options.sourceSchema?.();
    const result = await withClient(
      target.settings,
      (client) =>
        loadTable(client, {
          table: target.table!,
          target: target.target,
          markerTable: target.markerTable,
          columns: this.columns,
          incremental: options.incremental,
          indexes: options.indexes,
          sourceSchema: source,
          rows: (load) => this.rows(load),
          task: { taskId: this.taskId, taskFamily: this.taskFamily, params: this.params },
          onStatus: (message, rows) => this.setStatus(message, { rows }),
        }),
      this.signal,
    );
    // The last status stays on the task in the Run view: what the load did, in a few words.
    this.setStatus(`${result.mode}: ${result.rows.toLocaleString('en')} rows`, { rows: result.rows });
    this.log.info(
      `${target.target}: ${result.mode} (${result.reason}), ${result.rows.toLocaleString('en')} rows${result.highWater === null ? '' : `, high-water ${result.highWater}`}`,
    );
    return result;
  }
}
