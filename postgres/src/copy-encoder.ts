// Rows → COPY text, written straight into Buffers: integers, timestamps and plain ASCII strings are
// written byte by byte, with no string per field or per line. Building strings made a million rows
// cost more in garbage collection than in encoding (copy-text.ts keeps the same format for one
// field or line at a time; the two agree, see test/postgres/copy-encoder.test.ts).
import { copyField, isoTimestamp, type Row } from './copy-text';

/** A chunk is handed to the COPY stream once it holds this many bytes (whole rows only). */
export const CHUNK_BYTES = 256 * 1024;
const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_ALL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const DAY_MS = 86400000;
/** Long strings go through Buffer.write (native) instead of a loop per character. */
const LONG_STRING = 48;

export class CopyEncoder {
  private buf = Buffer.allocUnsafe(CHUNK_BYTES + 16 * 1024);
  private pos = 0;
  /** Consecutive timestamps mostly share their day: its `YYYY-MM-DDT` is kept. */
  private day = -1;
  private dayText = '';

  constructor(private readonly columns: readonly string[]) {}

  /** Encodes one row (an array in column order, or an object keyed by column); a full chunk, when one is. */
  row(row: Row): Buffer | undefined {
    const columns = this.columns;
    const n = columns.length;
    if (Array.isArray(row)) {
      if (row.length !== n)
        throw new Error(
          `a row has ${row.length} values for ${n} columns (${columns.join(', ')}): ${JSON.stringify(row)}`,
        );
      for (let i = 0; i < n; i++) {
        if (i > 0) this.byte(9);
        this.field(row[i]);
      }
    } else {
      const record = row as Readonly<Record<string, unknown>>;
      for (let i = 0; i < n; i++) {
        if (i > 0) this.byte(9);
        this.field(record[columns[i]!]);
      }
    }
    this.byte(10);
    return this.pos >= CHUNK_BYTES ? this.take() : undefined;
  }

  /** What is encoded and not yet handed out (the last, partial chunk). */
  take(): Buffer | undefined {
    if (this.pos === 0) return undefined;
    const out = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafe(this.buf.length);
    this.pos = 0;
    return out;
  }

  private field(value: unknown): void {
    if (value === null || value === undefined) {
      this.ensure(2);
      this.buf[this.pos++] = 92; // \N
      this.buf[this.pos++] = 78;
      return;
    }
    switch (typeof value) {
      case 'number':
        if ((value | 0) === value) this.int(value);
        else this.ascii(String(value));
        return;
      case 'string':
        this.string(value);
        return;
      case 'boolean':
        this.byte(value ? 116 : 102);
        return;
      case 'bigint':
        this.ascii(String(value));
        return;
      default:
        if (value instanceof Date) this.date(value);
        else this.utf8(copyField(value)); // bytes, JSON: escaped by copyField already
    }
  }

  private ensure(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    // A row larger than what is left: a bigger buffer with the row so far (rare: huge fields).
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + bytes));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }

  private byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  /** A 32-bit integer's digits. */
  private int(value: number): void {
    this.ensure(11);
    const buf = this.buf;
    let n = value;
    if (n < 0) {
      buf[this.pos++] = 45;
      n = -n; // -2^31 becomes 2^31: still exact, and (n / 10) | 0 stays in range
    }
    let digits = 1;
    for (let t = n; t >= 10; t = (t / 10) | 0) digits++;
    let p = this.pos + digits;
    this.pos = p;
    do {
      buf[--p] = 48 + (n % 10);
      n = (n / 10) | 0;
    } while (n > 0);
  }

  /** Text known to be ASCII without anything to escape (number and timestamp text). */
  private ascii(text: string): void {
    const len = text.length;
    this.ensure(len);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < len; i++) buf[p++] = text.charCodeAt(i);
    this.pos = p;
  }

  /** Text already escaped for COPY, in UTF-8. */
  private utf8(text: string): void {
    this.ensure(text.length * 3);
    this.pos += this.buf.write(text, this.pos, 'utf8');
  }

  private string(text: string): void {
    const len = text.length;
    if (len > LONG_STRING) {
      this.utf8(SPECIAL.test(text) ? text.replace(SPECIAL_ALL, (c) => ESCAPES[c]!) : text);
      return;
    }
    this.ensure(len);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < len; i++) {
      const c = text.charCodeAt(i);
      // Not ASCII, or something to escape: the general path from the start of the field.
      if (c > 127 || c === 92 || c === 9 || c === 10 || c === 13) {
        this.utf8(SPECIAL.test(text) ? text.replace(SPECIAL_ALL, (ch) => ESCAPES[ch]!) : text);
        return;
      }
      buf[p++] = c;
    }
    this.pos = p;
  }

  /** Date.toISOString()'s text (what copyField writes), without a string per timestamp. */
  private date(date: Date): void {
    const ms = date.getTime();
    if (!(ms >= 0 && ms < 253402300800000)) {
      this.ascii(isoTimestamp(date)); // before 1970 or invalid (throws RangeError, as toISOString)
      return;
    }
    const day = Math.floor(ms / DAY_MS);
    if (day !== this.day) {
      this.day = day;
      this.dayText = isoTimestamp(new Date(day * DAY_MS)).slice(0, 11);
    }
    this.ascii(this.dayText);
    let rest = ms - day * DAY_MS;
    const hours = (rest / 3600000) | 0;
    rest -= hours * 3600000;
    const minutes = (rest / 60000) | 0;
    rest -= minutes * 60000;
    const seconds = (rest / 1000) | 0;
    const millis = rest - seconds * 1000;
    this.ensure(13);
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = 48 + ((hours / 10) | 0);
    buf[p++] = 48 + (hours % 10);
    buf[p++] = 58;
    buf[p++] = 48 + ((minutes / 10) | 0);
    buf[p++] = 48 + (minutes % 10);
    buf[p++] = 58;
    buf[p++] = 48 + ((seconds / 10) | 0);
    buf[p++] = 48 + (seconds % 10);
    buf[p++] = 46;
    buf[p++] = 48 + ((millis / 100) | 0);
    buf[p++] = 48 + (((millis / 10) | 0) % 10);
    buf[p++] = 48 + (millis % 10);
    buf[p++] = 90;
    this.pos = p;
  }
}
