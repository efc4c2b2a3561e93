// Ranges (Luigi's RangeDaily/RangeHourly): one task over every day, hour or few minutes of a
// window for any family with a date-like parameter. It requires only the instances that are
// missing (decided in bulk), at most `maxTasks` of them, newest or oldest first; so the scheduler,
// the summary and the events see ordinary tasks, and running it again converges to complete.
import { DateHour, DateTime, PlainDate } from '../calendar';
import { type ParamDef, ParamError, type ParamKind, param } from '../parameter';
import { paramSchemaOf, type Task, WrapperTask } from '../task';
import { CompletenessPlan } from './bulk-completeness';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** A family: a task class, constructed from an object of parameters. */
export type Family = abstract new (...args: never[]) => Task;

export type RangeStep = 'day' | 'hour' | 'minutes';

/** What a range's start and stop are, by step: days, hours, or date-times for minutes. */
type Point<S extends RangeStep> = S extends 'day' ? PlainDate : S extends 'hour' ? DateHour : DateTime;

/** The range's parameters in code: start and stop (both included), or a window back from now. */
export type RangeInput<S extends RangeStep> = {
  /** Parameters of the family other than the ranged one, fixed for every instance. */
  ofParams?: Record<string, unknown>;
  /** Require at most this many missing instances per run (0: all of them). */
  maxTasks?: number;
  /** Newest instances first (default: oldest first). */
  newestFirst?: boolean;
  /** The clock for a window back from now (default: PLUMB_NOW, else the system clock). */
  now?: Date;
} & (
  | { start: Point<S>; stop: Point<S> }
  | (S extends 'day'
      ? { daysBack: number }
      : S extends 'hour'
        ? { hoursBack: number }
        : { minutesBack: number })
);

export interface RangeTask extends WrapperTask {
  readonly of: string;
  readonly start: PlainDate | DateHour | DateTime;
  readonly stop: PlainDate | DateHour | DateTime;
  readonly ofParams: Readonly<Record<string, unknown>>;
  readonly maxTasks: number;
  readonly newestFirst: boolean;
  /** Every instance of the window, oldest first. */
  instances(): Task[];
  /** The instances that are not complete, oldest first (asynchronous checks count as missing). */
  missing(): Task[];
  requires(): Task[];
  /** The missing instances maxTasks left out of requires(): the next run's work. */
  leftForNextRun(): Task[];
}

export type RangeClass<S extends RangeStep> = {
  new (params: RangeInput<S>): RangeTask;
  readonly family: Family;
  readonly step: S;
  readonly stepMs: number;
  /** The family's parameter the range goes over. */
  readonly paramName: string;
};

export interface RangeOptions {
  /** The family's parameter to range over (default: its only date-like parameter of a fitting kind). */
  param?: string;
}

/** The kinds of parameter each step can fill. */
const KINDS: Record<RangeStep, readonly ParamKind[]> = {
  day: ['date', 'datetime'],
  hour: ['hour', 'datetime'],
  minutes: ['datetime'],
};

const BACK: Record<RangeStep, 'daysBack' | 'hoursBack' | 'minutesBack'> = {
  day: 'daysBack',
  hour: 'hoursBack',
  minutes: 'minutesBack',
};

/** Ranges already made, so one family always gets one class (one id, one class). */
const made = new WeakMap<Family, Map<string, RangeClass<RangeStep>>>();

/** A range over every day of a window: `class Backfill extends rangeDaily(Streams) {}`. */
export function rangeDaily(family: Family, options: RangeOptions = {}): RangeClass<'day'> {
  return rangeOf(family, 'day', 1, options) as RangeClass<'day'>;
}

/** A range over every hour of a window. */
export function rangeHourly(family: Family, options: RangeOptions = {}): RangeClass<'hour'> {
  return rangeOf(family, 'hour', 1, options) as RangeClass<'hour'>;
}

/** A range over every `minutes` minutes of a window (the family's parameter must be a datetime). */
export function rangeByMinutes(
  family: Family,
  minutes: number,
  options: RangeOptions = {},
): RangeClass<'minutes'> {
  if (!Number.isSafeInteger(minutes) || minutes < 1 || minutes > 1440)
    throw new RangeError(`rangeByMinutes: minutes must be a whole number from 1 to 1440, got ${minutes}`);
  return rangeOf(family, 'minutes', minutes, options) as RangeClass<'minutes'>;
}

function rangeOf(
  family: Family,
  step: RangeStep,
  every: number,
  options: RangeOptions,
): RangeClass<RangeStep> {
  const key = `${step}/${every}/${options.param ?? ''}`;
  let byKey = made.get(family);
  if (!byKey) made.set(family, (byKey = new Map()));
  const known = byKey.get(key);
  if (known) return known;
  const paramName = rangedParam(family, step, options.param);
  const schema = paramSchemaOf(family);
  const kind = schema[paramName]!.kind;
  const stepMs = step === 'day' ? DAY_MS : step === 'hour' ? HOUR_MS : every * MINUTE_MS;
  const point: ParamDef<PlainDate | DateHour | DateTime> =
    step === 'day' ? param.date() : step === 'hour' ? param.hour() : param.datetime();
  const back = BACK[step];
  const name = step === 'day' ? 'RangeDaily' : step === 'hour' ? 'RangeHourly' : 'RangeByMinutes';
  const familyName = family.name;

  const Base = WrapperTask.with({
    of: param.enum([familyName], { default: familyName, description: 'the family the range covers' }),
    start: point,
    stop: point,
    ofParams: param.json<Record<string, unknown>>({
      default: {},
      description: `the parameters of ${familyName} other than ${paramName}`,
    }),
    [back]: param.int({
      default: 0,
      significant: false,
      description: 'a window back from now instead of start/stop',
    }),
    maxTasks: param.int({
      default: 0,
      significant: false,
      description: 'at most this many per run (0: no limit)',
    }),
    newestFirst: param.bool({ default: false, significant: false, description: 'newest instances first' }),
  } as Record<string, ParamDef<unknown>>) as unknown as new (params: object) => WrapperTask;

  const holder = {
    [name]: class extends Base {
      static readonly family = family;
      static readonly step = step;
      static readonly stepMs = stepMs;
      static readonly paramName = paramName;
      private fixed?: Record<string, unknown>;
      private all?: Task[];
      private batch?: Task[];
      private plan?: CompletenessPlan;
      /** Missing instances beyond maxTasks: not required in this run. */
      private left?: Task[];

      constructor(params: Record<string, unknown>) {
        const window = resolveWindow(name, step, stepMs, back, params);
        // The fixed parameters in their canonical strings: `--limit 5` and `{ limit: 5 }` are one range.
        const fixed = fixedParams(
          name,
          family,
          paramName,
          (window.ofParams ?? {}) as Record<string, unknown>,
        );
        super({ ...window, ofParams: canonical(family, fixed) });
        const self = this as unknown as RangeTask;
        if (self.maxTasks < 0)
          throw new ParamError(name, 'maxTasks', '', `must be 0 (no limit) or more, got ${self.maxTasks}`);
        this.fixed = fixedParams(name, family, paramName, self.ofParams);
        // Validates the fixed parameters now, where the error names the range, not later in requires().
        this.instances();
      }

      instances(): Task[] {
        if (this.all) return this.all;
        const self = this as unknown as RangeTask;
        const from = pointMs(self.start, step);
        const to = pointMs(self.stop, step);
        const Cls = family as unknown as new (params: object) => Task;
        const out: Task[] = [];
        for (let ms = Math.ceil(from / stepMs) * stepMs; ms <= to; ms += stepMs) {
          out.push(new Cls({ ...this.fixed, [paramName]: valueAt(ms, kind) }));
        }
        return (this.all = out);
      }

      missing(): Task[] {
        const all = this.instances();
        // Built once per range: the scheduler asks complete() at discovery, after the batch, at the end.
        const done = (this.plan ??= new CompletenessPlan(all)).check();
        return all.filter((_, i) => done[i] !== true);
      }

      /**
       * The missing instances, up to maxTasks, decided once per range instance: within a run the
       * range stands for this batch (Luigi's task_limit), and the next run takes the next one.
       */
      requires(): Task[] {
        if (this.batch) return this.batch;
        const self = this as unknown as RangeTask;
        const missing = this.missing();
        if (self.newestFirst) missing.reverse();
        if (self.maxTasks > 0 && missing.length > self.maxTasks) {
          this.left = missing.slice(self.maxTasks);
          return (this.batch = missing.slice(0, self.maxTasks));
        }
        return (this.batch = missing);
      }

      leftForNextRun(): Task[] {
        this.requires();
        return this.left ?? [];
      }
    },
  };
  const cls = holder[name] as unknown as RangeClass<RangeStep>;
  rangeClasses.add(cls);
  rangeClassesMade++;
  byKey.set(key, cls);
  return cls;
}

const rangeClasses = new WeakSet<object>();
/** How many range classes were ever made: none (most runs) spares every task's prototype walk. */
let rangeClassesMade = 0;

/** What every task that is not a limited range leaves: one shared empty list, not one per task. */
const NONE_LEFT: readonly string[] = Object.freeze([]);

/**
 * The ids of the instances a range's maxTasks left for the next run, or none for any other task:
 * a run whose range left work is not complete (notRun, exit 6), though the range's batch is.
 */
export function leftByRangeLimit(task: Task): readonly string[] {
  if (rangeClassesMade === 0) return NONE_LEFT;
  let cls: unknown = task.constructor;
  while (typeof cls === 'function' && !rangeClasses.has(cls)) cls = Object.getPrototypeOf(cls);
  if (typeof cls !== 'function') return NONE_LEFT;
  return (task as unknown as RangeTask).leftForNextRun().map((t) => t.taskId);
}

/** Which parameter of the family the range fills: the one named, or its only fitting one. */
function rangedParam(family: Family, step: RangeStep, wanted: string | undefined): string {
  const schema = paramSchemaOf(family);
  const kinds = KINDS[step];
  const fitting = Object.keys(schema).filter((n) => kinds.includes(schema[n]!.kind));
  const what = `a range by ${step === 'minutes' ? 'minutes' : `${step}s`} fills a parameter of kind ${kinds.join(' or ')}`;
  if (wanted !== undefined) {
    if (!(wanted in schema)) throw new RangeError(`${family.name} has no parameter '${wanted}'`);
    if (!kinds.includes(schema[wanted]!.kind))
      throw new RangeError(`${family.name}.${wanted} is a ${schema[wanted]!.kind}: ${what}`);
    return wanted;
  }
  if (fitting.length === 1) return fitting[0]!;
  throw new RangeError(
    fitting.length === 0
      ? `${family.name} has no parameter a range can fill: ${what}`
      : `${family.name} has several parameters a range can fill (${fitting.join(', ')}): name one ({ param: '${fitting[0]}' })`,
  );
}

/** start/stop as given, or computed from `<unit>Back` and now; both at once is an error. */
function resolveWindow(
  family: string,
  step: RangeStep,
  stepMs: number,
  back: string,
  params: Record<string, unknown>,
): Record<string, unknown> {
  const { now, ...rest } = params;
  const n = rest[back];
  if (n === undefined || n === 0) {
    if (rest.start === undefined || rest.stop === undefined)
      throw new ParamError(
        family,
        rest.start === undefined ? 'start' : 'stop',
        '',
        `is required: give start and stop (both included), or ${back}`,
      );
    return rest;
  }
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1)
    throw new ParamError(family, back, '', `expected a whole number ≥ 1, got ${String(n)}`);
  if (rest.start !== undefined || rest.stop !== undefined)
    throw new ParamError(
      family,
      back,
      '',
      'cannot be given with start or stop: the window is one or the other',
    );
  const nowMs = now instanceof Date ? now.getTime() : currentTimeMs();
  // The last whole step before now: today's data (this hour's) is not all there yet.
  const stopMs = Math.floor(nowMs / stepMs) * stepMs - stepMs;
  const startMs = stopMs - (n - 1) * stepMs;
  return {
    ...rest,
    start: valueAt(startMs, step === 'day' ? 'date' : step === 'hour' ? 'hour' : 'datetime'),
    stop: valueAt(stopMs, step === 'day' ? 'date' : step === 'hour' ? 'hour' : 'datetime'),
  };
}

/** Now, in ms: PLUMB_NOW (an ISO date-time, UTC) when set, for tests and replays; else the clock. */
export function currentTimeMs(): number {
  const injected = process.env.PLUMB_NOW;
  if (injected === undefined || injected === '') return Date.now();
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(injected) ? injected : `${injected}Z`);
  if (Number.isNaN(ms))
    throw new RangeError(`PLUMB_NOW is not a date-time: '${injected}' (e.g. 2026-11-27T10:00:00Z)`);
  return ms;
}

/** The family's other parameters, each read by its own definition (strings parsed, values checked). */
function fixedParams(
  range: string,
  family: Family,
  paramName: string,
  given: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const schema = paramSchemaOf(family);
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(given)) {
    const def = schema[name];
    if (name === paramName)
      throw new ParamError(range, 'ofParams', '', `sets ${name}, which the range fills`);
    if (!def)
      throw new ParamError(
        range,
        'ofParams',
        '',
        `'${name}' is not a parameter of ${family.name} (it takes ${Object.keys(schema).join(', ')})`,
      );
    try {
      out[name] = def.fromConfig(value);
    } catch (e) {
      throw new ParamError(family.name, name, `${range} ofParams`, (e as Error).message);
    }
  }
  return out;
}

function canonical(family: Family, fixed: Record<string, unknown>): Record<string, string> {
  const schema = paramSchemaOf(family);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(fixed)) out[name] = schema[name]!.format(value);
  return out;
}

function pointMs(value: PlainDate | DateHour | DateTime, step: RangeStep): number {
  return step === 'day' ? (value as PlainDate).epochDay * DAY_MS : (value as DateHour | DateTime).epochMs;
}

function valueAt(ms: number, kind: ParamKind): PlainDate | DateHour | DateTime {
  if (kind === 'date') return PlainDate.fromEpochDay(Math.floor(ms / DAY_MS));
  if (kind === 'hour') return new DateHour(ms);
  return new DateTime(ms);
}
