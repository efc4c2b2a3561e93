// SLAs: a deadline for a task or a whole run — a time of day in a zone, or a duration after the
// scheduled start. The shapes, their parsing, the deadline they give, and the run's clock (PLUMB_NOW
// injects it, then it moves with real time, so a deadline can pass during a test run).
import { Cron } from 'croner';

/** As declared: `{ deadline: '06:00', timeZone: 'Europe/Berlin' }` or `{ within: '2h' }`. */
export interface Sla {
  /** A time of day, HH:MM or HH:MM:SS, in `timeZone`: the first one at or after the scheduled start. */
  deadline?: string;
  /** An IANA zone for `deadline` (default: the schedule's zone, else UTC). */
  timeZone?: string;
  /** A duration after the scheduled start: 90m, 2h, 1h30m, 1d, 45s. */
  within?: string;
}

const DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;
const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** `2h`, `90m`, `1h30m`, `1d`, `45s` in ms; undefined when it is not one. */
export function durationMs(text: string): number | undefined {
  const m = DURATION.exec(text);
  if (!m || text === '') return undefined;
  const [d, h, min, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number];
  return (((d * 24 + h) * 60 + min) * 60 + s) * 1000;
}

/**
 * Checks an SLA from code (`static sla`) or plumb.toml (`timezone` is the TOML spelling of
 * `timeZone`); returns the problem, or the SLA in its code shape.
 */
export function readSla(value: unknown, defaultZone?: string): Sla | string {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return 'must be { deadline = "06:00", timezone = "Europe/Berlin" } or { within = "2h" }';
  const v = value as Record<string, unknown>;
  for (const key of Object.keys(v))
    if (!['deadline', 'timeZone', 'timezone', 'within'].includes(key))
      return `unknown key '${key}' (known: deadline, timezone, within)`;
  const zone = v.timeZone ?? v.timezone;
  if (v.deadline !== undefined && v.within !== undefined) return 'give deadline or within, not both';
  if (v.within !== undefined) {
    if (typeof v.within !== 'string' || durationMs(v.within) === undefined || durationMs(v.within) === 0)
      return `within must be a duration such as "90m", "2h", "1h30m", "1d" (got ${JSON.stringify(v.within)})`;
    if (zone !== undefined) return 'timezone goes with deadline, not within';
    return { within: v.within };
  }
  if (typeof v.deadline !== 'string' || !TIME_OF_DAY.test(v.deadline))
    return `deadline must be a time of day "HH:MM" (got ${JSON.stringify(v.deadline)})`;
  if (zone !== undefined && (typeof zone !== 'string' || !isTimeZone(zone)))
    return `timezone must be an IANA zone such as "Europe/Berlin" (got ${JSON.stringify(zone)})`;
  const timeZone = (zone as string | undefined) ?? defaultZone;
  return { deadline: v.deadline, ...(timeZone !== undefined ? { timeZone } : {}) };
}

/** What is wrong with an SLA as written, or undefined (for config checks). */
export function slaProblem(value: unknown): string | undefined {
  const sla = readSla(value);
  return typeof sla === 'string' ? sla : undefined;
}

/** The command-line form `plumb schedule` hands its runs: `06:00@Europe/Berlin` or `2h`. */
export function slaFlag(sla: Sla): string {
  return sla.within ?? `${sla.deadline}${sla.timeZone ? `@${sla.timeZone}` : ''}`;
}

export function parseSlaFlag(text: string): Sla | string {
  const at = text.indexOf('@');
  if (TIME_OF_DAY.test(at < 0 ? text : text.slice(0, at)))
    return readSla(
      at < 0 ? { deadline: text } : { deadline: text.slice(0, at), timeZone: text.slice(at + 1) },
    );
  return readSla({ within: text });
}

/** The deadline in ms: `within` after `scheduledAt`, or the first `deadline` time of day at or after it. */
export function deadlineOf(sla: Sla, scheduledAt: number): number {
  if (sla.within !== undefined) return scheduledAt + durationMs(sla.within)!;
  const [, h, m, s] = TIME_OF_DAY.exec(sla.deadline!)!;
  // croner knows the zone's offsets and DST; its next run strictly after a second before is "at or after".
  const cron = new Cron(`${Number(s ?? 0)} ${Number(m)} ${Number(h)} * * *`, {
    timezone: sla.timeZone ?? 'UTC',
    paused: true,
  });
  return cron.nextRun(new Date(scheduledAt - 1000))!.getTime();
}

/** `06:00 Europe/Berlin` or `within 2h`, for messages. */
export function describeSla(sla: Sla): string {
  return sla.within !== undefined ? `within ${sla.within}` : `by ${sla.deadline} ${sla.timeZone ?? 'UTC'}`;
}

/**
 * The run's clock, ms: the system clock, or PLUMB_NOW (ISO, UTC when it names no zone) plus the
 * time elapsed since this clock was made, so tests set "now" a moment before a deadline.
 */
export function runClock(): () => number {
  const injected = process.env.PLUMB_NOW;
  if (injected === undefined || injected === '') return () => Date.now();
  const base = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(injected) ? injected : `${injected}Z`);
  if (Number.isNaN(base))
    throw new RangeError(`PLUMB_NOW is not a date-time: '${injected}' (e.g. 2026-11-27T10:00:00Z)`);
  const started = performance.now();
  return () => base + Math.round(performance.now() - started);
}
