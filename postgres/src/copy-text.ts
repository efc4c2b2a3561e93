// Rows → PostgreSQL's COPY text format (tab-separated, \N for NULL, backslash escapes), batched into
// chunks so a million rows cost a few hundred stream writes, not a million.
export type Row = readonly unknown[] | Readonly<Record<string, unknown>>;

const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_ALL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One field in COPY text format. */
export function copyField(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  let text: string;
  switch (typeof value) {
    case 'string':
      text = value;
      break;
    case 'number':
    case 'bigint':
      return String(value);
    case 'boolean':
      return value ? 't' : 'f';
    default:
      if (value instanceof Date) return value.toISOString();
      // bytea's hex input; the backslash itself is escaped for COPY.
      if (value instanceof Uint8Array) return `\\\\x${Buffer.from(value).toString('hex')}`;
      text = JSON.stringify(value);
  }
  return SPECIAL.test(text) ? text.replace(SPECIAL_ALL, (c) => ESCAPES[c]!) : text;
}

/** One row (an array in column order, or an object keyed by column name) as a COPY line. */
export function copyLine(row: Row, columns: readonly string[]): string {
  const values = Array.isArray(row) ? row : columns.map((c) => (row as Record<string, unknown>)[c]);
  if (values.length !== columns.length)
    throw new Error(
      `a row has ${values.length} values for ${columns.length} columns (${columns.join(', ')}): ${JSON.stringify(row)}`,
    );
  let line = '';
  for (let i = 0; i < values.length; i++) line += (i === 0 ? '' : '\t') + copyField(values[i]);
  return `${line}\n`;
}

const CHUNK_CHARS = 256 * 1024;

/** COPY text in chunks of about 256 kB; counts the rows it encoded. */
export async function* copyChunks(
  rows: AsyncIterable<Row> | Iterable<Row>,
  columns: readonly string[],
  counter: { rows: number },
): AsyncGenerator<string> {
  // A synchronous source is read without an await per row: on a million rows, per-row awaits
  // cost more than encoding them.
  if (!(Symbol.asyncIterator in rows)) {
    const iterator = (rows as Iterable<Row>)[Symbol.iterator]();
    for (;;) {
      const chunk = encodeSync(iterator, columns, counter);
      if (chunk === undefined) return;
      yield chunk;
    }
  }
  let chunk = '';
  for await (const row of rows) {
    chunk += copyLine(row, columns);
    counter.rows++;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

function encodeSync(iterator: Iterator<Row>, columns: readonly string[], counter: { rows: number }) {
  let chunk = '';
  for (let next = iterator.next(); !next.done; next = iterator.next()) {
    chunk += copyLine(next.value, columns);
    counter.rows++;
    if (chunk.length >= CHUNK_CHARS) return chunk;
  }
  return chunk === '' ? undefined : chunk;
}

/**
 * Data already in COPY's format (a TSV or CSV file, another database's COPY TO), streamed to the
 * server as it is: no per-row work in Node. Return it from rows(): `return copyText(stream)`.
 */
export class CopyText {
  constructor(
    readonly source: AsyncIterable<string | Uint8Array> | NodeJS.ReadableStream,
    readonly options: { format?: 'text' | 'csv'; header?: boolean } = {},
  ) {}

  /** The WITH clause of the COPY command. */
  get copyOptions(): string {
    const { format = 'text', header = false } = this.options;
    return format === 'csv' ? `WITH (FORMAT csv${header ? ', HEADER true' : ''})` : '';
  }
}

export function copyText(
  source: AsyncIterable<string | Uint8Array> | NodeJS.ReadableStream,
  options?: { format?: 'text' | 'csv'; header?: boolean },
): CopyText {
  return new CopyText(source, options);
}
