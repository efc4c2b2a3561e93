// Which runs a schedule owes at a given time: its fan-out items, the fire times missed since each
// item's last fire (by its catch-up policy), and the `plumb run` arguments of one fire. Pure: no
// clock, no files, no processes. A fire is named by (schedule, item, fire time) alone, so any host
// computes the same fires from the same state: `plumb schedule` here, a BullMQ job scheduler in a
// cluster (the fire's name is then its job id, and two hosts cannot enqueue it twice).
import { Cron } from 'croner';
import type { Schedule } from './schedule-config';
import { slaFlag } from './sla';

export interface ScheduleItem {
  schedule: Schedule;
  /** The fan-out values of this item (empty for a schedule without `each`). */
  values: Record<string, string>;
  /** `customer=a` (`,`-joined; '' without fan-out): the item's name in the state file and output. */
  key: string;
}

export interface Fire {
  item: ScheduleItem;
  /** The fire time. */
  at: Date;
}

/** A fire time at most this old counts as on time, not missed (the scheduler may wake a little late). */
export const ON_TIME_MS = 60_000;

/** Missed fires left out are counted up to this many (the message says "at least" beyond). */
export const MAX_COUNTED = 1000;

/** One item per combination of the schedule's `each` lists, in the order written. */
export function scheduleItems(schedule: Schedule): ScheduleItem[] {
  let combos: Record<string, string>[] = [{}];
  for (const [name, values] of Object.entries(schedule.each))
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [name]: v })));
  return combos.map((values) => ({
    schedule,
    values,
    key: Object.entries(values)
      .map(([k, v]) => `${k}=${v}`)
      .join(','),
  }));
}

export function itemName(item: ScheduleItem): string {
  return item.key ? `${item.schedule.name}[${item.key}]` : item.schedule.name;
}

function cronOf(schedule: Schedule): Cron {
  return new Cron(schedule.cron, { timezone: schedule.timezone, paused: true });
}

/** The next `n` fire times after `now`. */
export function nextFireTimes(schedule: Schedule, now: Date, n: number): Date[] {
  return cronOf(schedule).nextRuns(n, now);
}

export interface DueFires {
  /** Oldest first. */
  times: Date[];
  /** Missed fire times left out by the catch-up policy (counted up to MAX_COUNTED). */
  skipped: number;
}

/**
 * The fire times in (last, now] an item owes: with catch_up "all" every one, oldest first, but no
 * more than catch_up_limit (the newest); "latest" the newest; "none" only one that is on time.
 */
export function dueFireTimes(schedule: Schedule, last: Date, now: Date): DueFires {
  if (now <= last) return { times: [], skipped: 0 };
  const cron = cronOf(schedule);
  // Forward from the last fire: usually none or one step. After a long absence (a minutely cron
  // after a year away is 525,600 fires) the walk stops, and the newest fires are found backwards
  // from now; the ones left out are then "at least MAX_COUNTED".
  const cap = schedule.catchUpLimit + MAX_COUNTED;
  let missed: Date[] = [];
  for (let t = cron.nextRun(last); t && t <= now && missed.length < cap; t = cron.nextRun(t)) missed.push(t);
  let uncounted = 0;
  if (missed.length === cap) {
    // previousRuns excludes its reference: 1 ms past now makes a fire at exactly now due.
    missed = cron
      .previousRuns(schedule.catchUpLimit, new Date(now.getTime() + 1))
      .filter((t) => t > last)
      .reverse();
    uncounted = MAX_COUNTED;
  }
  if (missed.length === 0) return { times: [], skipped: 0 };
  const latest = missed[missed.length - 1]!;
  let times: Date[];
  if (schedule.catchUp === 'none') times = now.getTime() - latest.getTime() <= ON_TIME_MS ? [latest] : [];
  else if (schedule.catchUp === 'latest') times = [latest];
  else times = missed.slice(-schedule.catchUpLimit);
  return { times, skipped: missed.length - times.length + uncounted };
}

/** YYYY-MM-DD of `at` in `zone`, shifted by whole days. */
export function dateIn(at: Date, zone: string, offsetDays = 0): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const day = new Date(Date.UTC(get('year'), get('month') - 1, get('day') + offsetDays));
  return day.toISOString().slice(0, 10);
}

/** `at` as the zone's wall-clock time with its offset: 2026-11-27 06:00 Europe/Berlin (+01:00). */
export function formatInZone(at: Date, zone: string): string {
  const text = new Intl.DateTimeFormat('sv-SE', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'longOffset',
  }).format(at);
  return `${text.replace(/ GMT(.*)$/, '')} ${zone} (${/GMT(.*)$/.exec(text)?.[1] || '+00:00'})`;
}

/** Every parameter a fire passes to its task: params, the item's values, the date and time. */
export function fireParams(fire: Fire): Record<string, string> {
  const s = fire.item.schedule;
  return {
    ...s.params,
    ...fire.item.values,
    ...(s.dateParam ? { [s.dateParam]: dateIn(fire.at, s.timezone, s.dateOffsetDays) } : {}),
    ...(s.timeParam ? { [s.timeParam]: fire.at.toISOString().slice(0, 19) } : {}),
  };
}

/** `customer-{customer}` filled from `values`; undefined names a placeholder no value fills. */
export function fillKey(template: string, values: Record<string, string>): string | { missing: string } {
  let missing: string | undefined;
  const key = template.replace(/\{([^{}]+)\}/g, (_, name: string) => {
    const v = values[name.trim()];
    if (v === undefined) missing ??= name.trim();
    return v ?? '';
  });
  return missing === undefined ? key : { missing };
}

/** The schedule's own concurrency key for this fire, filled (a placeholder it cannot fill is kept as written). */
export function fireKey(fire: Fire): string | undefined {
  const template = fire.item.schedule.concurrencyKey;
  if (template === undefined) return undefined;
  const filled = fillKey(template, fireParams(fire));
  return typeof filled === 'string' ? filled : template;
}

/** `plumb run` arguments for one fire (after the CLI script). */
export function runArguments(fire: Fire): string[] {
  const s = fire.item.schedule;
  const args = ['run', s.pipeline, s.task];
  for (const [name, value] of Object.entries(fireParams(fire))) args.push('--param', `${name}=${value}`);
  // The template as written: the run fills it from its task's parameters, defaults included.
  if (s.concurrencyKey !== undefined) args.push('--concurrency-key', s.concurrencyKey);
  args.push('--lock', s.onConflict === 'wait' ? 'wait' : 'fail');
  // The run measures its SLAs from the fire time, not from when it got to start.
  args.push('--scheduled-at', fire.at.toISOString(), '--scheduled-by', itemName(fire.item));
  if (s.sla) args.push('--sla', slaFlag(s.sla));
  return args;
}
