// A PostgreSQL output: complete when its marker row (task id + target) exists in the marker table.
// The target is a table (loads, query tasks that build one) or only a marker (query tasks whose
// SQL changes data in place). Test mode resolves both into the test schema.
import { type Target } from 'plumb-pipelines';
import { withClient } from './connection';
import { PostgresConnectionError } from './connection-error';
import { displayName, qualified, splitTableName, type TableName } from './identifiers';
import { markerExists, markersOf, type Marker } from './marker-table';
import { projectSettings } from './project-settings';
import { describeServer, outputSchema, type PostgresSettings } from './settings';

export interface PostgresTargetOptions {
  /** The table this output is: 'name' or 'schema.name'. */
  table?: string;
  /** For marker-only outputs: the name the marker is kept under (default: the task id's family). */
  marker?: string;
  /** Settings to use instead of plumb.toml + PG* (tests, scripts). */
  settings?: PostgresSettings;
}

export class PostgresTarget implements Target {
  readonly settings: PostgresSettings;
  /** The table, in the schema outputs go to now (the test schema in test mode). */
  readonly table?: TableName;
  /** What the marker row names: `schema.table`, or `marker:<name>` for marker-only outputs. */
  readonly target: string;
  readonly markerTable: TableName;

  constructor(
    readonly taskId: string,
    options: PostgresTargetOptions = {},
  ) {
    this.settings = options.settings ?? projectSettings();
    if (options.table !== undefined) {
      const { schema, name } = splitTableName(options.table);
      this.table = { schema: outputSchema(this.settings, schema), name };
      this.target = displayName(this.table);
    } else {
      this.target = `marker:${options.marker ?? taskId.replace(/\(.*$/, '')}`;
    }
    this.markerTable = { schema: outputSchema(this.settings, undefined), name: this.settings.markerTable };
  }

  /** The table as SQL (quoted, schema-qualified), for queries that read it. */
  get sqlName(): string {
    if (!this.table) throw new Error(`${this.target} is a marker, not a table`);
    return qualified(this.table);
  }

  /**
   * True when the marker row is there. An unreachable server or a refused login counts as "not
   * there": the task then runs and fails in run() with that message (a failed task, not a broken
   * pipeline), and nothing is written without a connection anyway.
   */
  async exists(): Promise<boolean> {
    try {
      return await withClient(this.settings, (c) =>
        markerExists(c, this.markerTable, this.taskId, this.target),
      );
    } catch (error) {
      if (error instanceof PostgresConnectionError) return false;
      throw error;
    }
  }

  /** Every marker written for this target (any task id), oldest first. */
  markers(): Promise<Marker[]> {
    return withClient(this.settings, (c) => markersOf(c, this.markerTable, this.target));
  }

  /**
   * The table (or marker name) and, after '#', whose marker completes it: each daily load of one
   * table is its own output (its own marker row), so the runtime never takes two for one.
   */
  toString(): string {
    return `postgres://${describeServer(this.settings)}/${this.target}#${this.taskId}`;
  }
}
