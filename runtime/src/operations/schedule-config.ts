// plumb.toml's schedules: `[[schedules]]` (or `[schedules.<name>]`) read into Schedule values. Every
// error names the file, the line and the key, with a "did you mean" for keys and time zones.
import { Cron } from 'croner';
import { didYouMean } from '../did-you-mean';
import { readSla, type Sla } from './sla';

export type OnConflict = 'wait' | 'skip';
export type CatchUp = 'all' | 'latest' | 'none';

export interface Schedule {
  name: string;
  /** A cron expression (5 fields, or 6 with seconds first), read in `timezone`. */
  cron: string;
  /** An IANA zone (default UTC): the cron's hours and the date parameter are read in it. */
  timezone: string;
  /** The pipeline file, relative to the project root. */
  pipeline: string;
  task: string;
  /** Parameters as `plumb run` receives them (--param name=value). */
  params: Record<string, string>;
  /** Fan-out: one run per combination of these values (one run per customer). */
  each: Record<string, string[]>;
  /** A date parameter set to the fire time's date in `timezone`, shifted by dateOffsetDays. */
  dateParam?: string;
  dateOffsetDays: number;
  /** A date-time parameter set to the fire time (UTC, YYYY-MM-DDTHH:MM:SS). */
  timeParam?: string;
  /** Higher first when more runs are due than may start at once. */
  priority: number;
  /** A key template (`customer-{customer}`): two runs with the same key never overlap. */
  concurrencyKey?: string;
  onConflict: OnConflict;
  /** After downtime: every missed fire (up to catchUpLimit), the newest only, or none. */
  catchUp: CatchUp;
  catchUpLimit: number;
  /** The whole run's SLA: a deadline (timezone: the schedule's by default) or a duration after the fire time. */
  sla?: Sla;
  /** The line of its table in plumb.toml. */
  line?: number;
}

type Fail = (key: string | undefined, detail: string) => never;

const KEYS = [
  'name',
  'cron',
  'timezone',
  'pipeline',
  'task',
  'params',
  'each',
  'date_param',
  'date_offset_days',
  'time_param',
  'priority',
  'concurrency_key',
  'on_conflict',
  'catch_up',
  'catch_up_limit',
  'sla',
];

let zones: string[] | undefined;
function knownZones(): string[] {
  return (zones ??= [...Intl.supportedValuesOf('timeZone'), 'UTC']);
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A parameter value from TOML as the command line would write it. */
function paramText(value: unknown, fail: () => never): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().replace(/T00:00:00(\.000)?Z$/, '');
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return fail();
}

function isTable(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);
}

/** One schedule's table; `name` is its table name for `[schedules.<name>]`. */
export function parseSchedule(
  table: Record<string, unknown>,
  tableName: string | undefined,
  fail: Fail,
): Schedule {
  for (const key of Object.keys(table)) {
    if (!KEYS.includes(key) || (key === 'name' && tableName !== undefined))
      fail(key, `unknown setting${didYouMean(key, KEYS)} (known: ${KEYS.join(', ')})`);
  }
  const str = (key: string, required: boolean): string | undefined => {
    const v = table[key];
    if (v === undefined) return required ? fail(undefined, `${key} is required`) : undefined;
    if (typeof v !== 'string' || v.trim() === '') return fail(key, 'must be a non-empty string');
    return v;
  };
  const oneOf = <T extends string>(key: string, allowed: readonly T[], fallback: T): T => {
    const v = table[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'string' || !allowed.includes(v as T))
      return fail(
        key,
        `must be ${allowed.map((a) => `"${a}"`).join(' or ')}${typeof v === 'string' ? didYouMean(v, allowed) : ''}`,
      );
    return v as T;
  };
  const int = (key: string, fallback: number, min: number): number => {
    const v = table[key];
    if (v === undefined) return fallback;
    if (!Number.isSafeInteger(v) || (v as number) < min) return fail(key, `must be a whole number ≥ ${min}`);
    return v as number;
  };

  const name = tableName ?? str('name', true)!;
  if (!/^[\w.-]+$/.test(name))
    fail(tableName ? undefined : 'name', 'may contain only letters, digits, _ . -');
  const timezone = str('timezone', false) ?? 'UTC';
  if (!isTimeZone(timezone))
    fail(
      'timezone',
      `unknown time zone '${timezone}'${didYouMean(timezone, knownZones())} (an IANA name such as Europe/Berlin)`,
    );
  const cron = str('cron', true)!;
  try {
    new Cron(cron, { timezone, paused: true }).nextRun();
  } catch (e) {
    fail('cron', `not a cron expression: ${(e as Error).message.replace(/^CronPattern: /, '')}`);
  }
  const params: Record<string, string> = {};
  if (table.params !== undefined) {
    if (!isTable(table.params)) fail('params', 'must be a table (params = { region = "eu" })');
    for (const [k, v] of Object.entries(table.params as Record<string, unknown>))
      params[k] = paramText(v, () =>
        fail('params', `${k}: must be a string, number, boolean, date, array or table`),
      );
  }
  const each: Record<string, string[]> = {};
  if (table.each !== undefined) {
    if (!isTable(table.each)) fail('each', 'must be a table of lists (each = { customer = ["a", "b"] })');
    for (const [k, v] of Object.entries(table.each as Record<string, unknown>)) {
      if (!Array.isArray(v) || v.length === 0) fail('each', `${k}: must be a non-empty list`);
      if (k in params) fail('each', `${k} is also set in params`);
      each[k] = (v as unknown[]).map((x) =>
        paramText(x, () => fail('each', `${k}: values must be strings, numbers or dates`)),
      );
    }
  }
  const dateParam = str('date_param', false);
  const timeParam = str('time_param', false);
  for (const [key, p] of [
    ['date_param', dateParam],
    ['time_param', timeParam],
  ] as const) {
    if (p !== undefined && (p in params || p in each)) fail(key, `${p} is also set in params or each`);
  }
  const offset = table.date_offset_days;
  if (offset !== undefined && !Number.isSafeInteger(offset))
    fail('date_offset_days', 'must be a whole number (-1: the day before)');
  const priority = table.priority;
  if (priority !== undefined && !Number.isSafeInteger(priority)) fail('priority', 'must be a whole number');
  const sla = table.sla === undefined ? undefined : readSla(table.sla, timezone);
  if (typeof sla === 'string') fail('sla', sla);
  return {
    name,
    cron,
    timezone,
    pipeline: str('pipeline', true)!,
    task: str('task', true)!,
    params,
    each,
    ...(dateParam !== undefined ? { dateParam } : {}),
    dateOffsetDays: (offset as number | undefined) ?? 0,
    ...(timeParam !== undefined ? { timeParam } : {}),
    priority: (priority as number | undefined) ?? 0,
    ...(table.concurrency_key !== undefined ? { concurrencyKey: str('concurrency_key', false)! } : {}),
    onConflict: oneOf('on_conflict', ['wait', 'skip'] as const, 'wait'),
    catchUp: oneOf('catch_up', ['all', 'latest', 'none'] as const, 'latest'),
    catchUpLimit: int('catch_up_limit', 100, 1),
    ...(sla !== undefined ? { sla: sla as Sla } : {}),
  };
}

/**
 * The `schedules` value of plumb.toml: an array of tables, or a table of named tables.
 * `failAt(index or name, key, detail)` throws the ConfigError with the right line.
 */
export function parseSchedules(
  value: unknown,
  failAt: (where: number | string | undefined, key: string | undefined, detail: string) => never,
): Schedule[] {
  const out: Schedule[] = [];
  if (Array.isArray(value)) {
    value.forEach((table, i) => {
      if (!isTable(table)) failAt(i, undefined, 'must be a table ([[schedules]])');
      out.push(parseSchedule(table as Record<string, unknown>, undefined, (k, d) => failAt(i, k, d)));
    });
  } else if (isTable(value)) {
    for (const [name, table] of Object.entries(value)) {
      if (!isTable(table)) failAt(undefined, name, `must be a table ([schedules.${name}])`);
      out.push(parseSchedule(table as Record<string, unknown>, name, (k, d) => failAt(name, k, d)));
    }
  } else {
    failAt(undefined, undefined, 'must be [[schedules]] tables or [schedules.<name>] tables');
  }
  const seen = new Map<string, number>();
  out.forEach((s, i) => {
    if (seen.has(s.name))
      failAt(Array.isArray(value) ? i : s.name, 'name', `another schedule is named ${s.name}`);
    seen.set(s.name, i);
  });
  return out;
}

/**
 * The 1-based line of `key` in the `index`-th `[[schedules]]` table (or the table's own line),
 * found in the text because the TOML parser gives positions only for syntax errors.
 */
export function arrayTableLine(
  source: string,
  array: string,
  index: number,
  key: string | undefined,
): number | undefined {
  const lines = source.split(/\r?\n/);
  let seen = -1;
  let tableLine: number | undefined;
  const keyPattern = key
    ? new RegExp(`^\\s*["']?${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*=`)
    : undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (/^\[/.test(line)) {
      if (tableLine !== undefined) break;
      const m = /^\[\[\s*([^\]]+?)\s*\]\]/.exec(line);
      if (m && m[1]!.replace(/["'\s]/g, '') === array && ++seen === index) tableLine = i + 1;
      continue;
    }
    if (tableLine !== undefined && keyPattern?.test(line)) return i + 1;
  }
  return tableLine;
}
