// Public API of plumb-postgres: PostgreSQL outputs and tasks for Plumb pipelines.
export { PostgresTarget, type PostgresTargetOptions } from './postgres-target';
export { PostgresTableLoad, type TableLoadOptions } from './table-load';
export { PostgresQuery, type QueryOptions, type Sql } from './query-task';
export { type Incremental, type LoadContext, type LoadResult } from './table-swap';
export { type Row, copyText, CopyText } from './copy-text';
export { type Columns, schemaHash } from './schema-hash';
export { type Marker, type LoadMode } from './marker-table';
export {
  resolveSettings,
  settingsFrom,
  parsePostgresSection,
  outputSchema,
  PostgresSettingsError,
  type PostgresSettings,
} from './settings';
export { PostgresConnectionError } from './connection-error';
export { connect, withClient, inTransaction, closePools } from './connection';
