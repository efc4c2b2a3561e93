// SQL identifiers: table names as tasks write them ('plays', 'analytics.plays') → quoted SQL, and
// the names of the staging and old tables a swap uses (unique per load, within PostgreSQL's 63 bytes).
import { randomBytes } from 'node:crypto';

export interface TableName {
  schema: string;
  name: string;
}

const MAX_IDENTIFIER_BYTES = 63;

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `schema.name` → both parts; `name` → no schema (the settings' schema applies). */
export function splitTableName(table: string): { schema?: string; name: string } {
  const dot = table.indexOf('.');
  const schema = dot < 0 ? undefined : table.slice(0, dot);
  const name = dot < 0 ? table : table.slice(dot + 1);
  for (const part of [schema, name]) {
    if (part === undefined) continue;
    if (part === '' || part.includes('.') || Buffer.byteLength(part) > MAX_IDENTIFIER_BYTES)
      throw new Error(
        `not a table name: ${JSON.stringify(table)} (expected name or schema.name, each ≤ 63 bytes)`,
      );
  }
  return { schema, name };
}

export function qualified(table: TableName): string {
  return `${quoteIdent(table.schema)}.${quoteIdent(table.name)}`;
}

export function displayName(table: TableName): string {
  return `${table.schema}.${table.name}`;
}

/** A name beside `table` no other load uses: `<table>__plumb_<role>_<random>`, cut to fit. */
export function sideName(table: TableName, role: 'new' | 'old'): TableName {
  const suffix = `__plumb_${role}_${randomBytes(4).toString('hex')}`;
  let base = table.name;
  while (Buffer.byteLength(base + suffix) > MAX_IDENTIFIER_BYTES) base = base.slice(0, -1);
  return { schema: table.schema, name: base + suffix };
}
