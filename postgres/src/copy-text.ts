// Rows → PostgreSQL's COPY text format (tab-separated, \N for NULL, backslash escapes): one field or
// line as text, and rows batched into chunks of bytes (copy-encoder.ts) so a million rows cost a few
// hundred stream writes, not a million.
import { CopyEncoder } from './copy-encoder';

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
      if (value instanceof Date) return isoTimestamp(value);
      // bytea's hex input; the backslash itself is escaped for COPY.
      if (value instanceof Uint8Array) return `\\\\x${Buffer.from(value).toString('hex')}`;
      text = JSON.stringify(value);
  }
  return SPECIAL.test(text) ? text.replace(SPECIAL_ALL, (c) => ESCAPES[c]!) : text;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/**
 * Date.toISOString()'s text, by integer arithmetic: toISOString was two thirds of the time spent
 * encoding rows with a timestamp. Years outside 1970–9999 take toISOString itself.
 */
export function isoTimestamp(date: Date): string {
  const ms = date.getTime();
  if (!(ms >= 0 && ms < 253402300800000)) return date.toISOString();
  const days = Math.floor(ms / 86400000);
  let rest = ms - days * 86400000;
  // Civil date from days since 1970-01-01 (H. Hinnant's days_from_civil, inverted).
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const hours = Math.floor(rest / 3600000);
  rest -= hours * 3600000;
  const minutes = Math.floor(rest / 60000);
  rest -= minutes * 60000;
  const seconds = Math.floor(rest / 1000);
  return `${year}-${pad2(month)}-${pad2(day)}T${pad2(hours)}:${pad2(minutes)}:${pad2(seconds)}.${pad3(rest - seconds * 1000)}Z`;
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

/** COPY text in chunks of about 256 kB of whole rows (copy-encoder.ts); counts the rows it encoded. */
export async function* copyChunks(
  rows: AsyncIterable<Row> | Iterable<Row>,
  columns: readonly string[],
  counter: { rows: number },
): AsyncGenerator<Buffer> {
  const encoder = new CopyEncoder(columns);
  // A synchronous source is read without an await per row: on a million rows, per-row awaits
  // cost more than encoding them.
  if (!(Symbol.asyncIterator in rows)) {
    const iterator = (rows as Iterable<Row>)[Symbol.iterator]();
    for (
      let chunk = encodeSync(iterator, encoder, counter);
      chunk;
      chunk = encodeSync(iterator, encoder, counter)
    )
      yield chunk;
    return;
  }
  for await (const row of rows) {
    counter.rows++;
    const chunk = encoder.row(row);
    if (chunk) yield chunk;
  }
  const last = encoder.take();
  if (last) yield last;
}

/** Rows until a chunk is full (or the source ends): the next chunk, or undefined when none is left. */
function encodeSync(iterator: Iterator<Row>, encoder: CopyEncoder, counter: { rows: number }) {
  for (let next = iterator.next(); !next.done; next = iterator.next()) {
    counter.rows++;
    const chunk = encoder.row(next.value);
    if (chunk) return chunk;
  }
  return encoder.take();
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
