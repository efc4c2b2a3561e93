// The hash a load records with its marker: its columns (names, types, order) and whatever the task
// says describes its source (a header, an API's field list). A different hash means rebuild.
import { createHash } from 'node:crypto';

export type Columns = Readonly<Record<string, string>>;

export function schemaHash(columns: Columns, source: unknown): string {
  const canonical = JSON.stringify({
    columns: Object.entries(columns).map(([name, type]) => [
      name,
      type.trim().toLowerCase().replace(/\s+/g, ' '),
    ]),
    source: source === undefined ? null : canonicalJson(source),
  });
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

/** JSON with object keys sorted, so { a, b } and { b, a } hash alike. */
function canonicalJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalJson);
  if (value !== null && typeof value === 'object' && !(value instanceof Date))
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonicalJson((value as Record<string, unknown>)[k])]),
    );
  return value;
}
