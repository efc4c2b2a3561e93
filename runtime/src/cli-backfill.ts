// `plumb backfill <file> <Family> --start … --stop …`: a range over the family (operations/range.ts)
// run as one `plumb run` root, so the lock, events, summary and exit codes are run's own.
import { type CommandShape, type ParsedArgs, taskRequests, UsageError } from './cli-args';
import { prepare, type RootsOf, RUN_SHAPE, runCommand } from './cli-run';
import { type DateInterval } from './calendar';
import { didYouMean } from './did-you-mean';
import { EXIT_CODES } from './events';
import {
  rangeByMinutes,
  rangeDaily,
  rangeHourly,
  type Family,
  type RangeClass,
  type RangeStep,
  type RangeTask,
} from './operations/range';
import { kebabCase, param, ParamError, type ParamDef } from './parameter';
import { paramSchemaOf, type Task } from './task';

const USAGE =
  'usage: plumb backfill <file-or-module> <Family> (--start A --stop B | --dates <interval> | --days-back N | --hours-back N) [--every day|hour|<n>m] [--max N] [--newest-first] [--<param> value …] [options]';

export const BACKFILL_HELP = `${USAGE}

Runs every instance of Family over a window of days, hours or minutes that is not complete yet:
one run whose root is a range (RangeDaily, RangeHourly, RangeByMinutes) requiring the missing
instances. Missing is decided from one listing of each output folder when Family's outputs are
files. Run it again to pick up where it stopped: it converges to complete.

window (start and stop are both included, as in date intervals):
  --start A --stop B      first and last instance: days (2026-11-01), hours (2026-11-01T08) or
                          date-times (2026-11-01T08:15:00) as the step needs
  --dates <interval>      the days of a date interval: 2026, 2026-11, 2026-W48, 2026-11-01-2026-11-07
  --days-back N           the N whole days before today (UTC); --hours-back, --minutes-back the same
                          (PLUMB_NOW=2026-11-27T10:00:00Z sets "now", for tests and replays)
range:
  --every day|hour|<n>m   the step (default: by Family's date-like parameter: date → day, hour → hour)
  --of-param name         the parameter to fill, when Family has several that fit
  --max N                 require at most N missing instances in this run: the rest are notRun and
                          the run exits ${EXIT_CODES.incomplete} (incomplete) until a run finds none left
  --newest-first          the newest missing instances first (default: oldest first)
  --list                  run nothing: print the window's instances as JSON on stdout, each with
                          its value and whether it is complete, and how many this run would take
  --<param> value         Family's other parameters, fixed for every instance (--param name=value too)
options: --workers N, --max-tasks N, --events jsonl|ipc, --events-file <path>, --lock wait|fail, --durable, --quiet,
  --no-color, as in plumb run.

exit codes: ${Object.entries(EXIT_CODES)
  .map(([k, v]) => `${v} ${k}`)
  .join(', ')}
`;

const SHAPE: CommandShape = {
  usage: USAGE,
  flags: RUN_SHAPE.flags.filter((f) => f !== 'unit'),
  positionals: [2, 2],
  takesParams: true,
};

/** The range's own options; every other parameter belongs to the family. */
const RANGE_OPTIONS = [
  'start',
  'stop',
  'dates',
  'days-back',
  'hours-back',
  'minutes-back',
  'every',
  'of-param',
  'max',
  'newest-first',
  'list',
];

export function backfillCommand(args: ParsedArgs, cliScript: string): Promise<number> {
  const rootsOf: RootsOf = (pipeline, fileArg) => {
    const [request] = taskRequests(args, 1);
    const name = request!.name;
    const family = pipeline.families.get(name) as Family | undefined;
    if (!family) {
      const known = [...pipeline.families.keys()].sort();
      throw new UsageError(
        `${name} is not a task exported by ${fileArg}${didYouMean(name, known)}${known.length ? ` (it exports ${known.join(', ')})` : ''}`,
      );
    }
    const own = new Map<string, string | undefined>();
    const ofParams: Record<string, string> = {};
    for (const [key, value] of request!.params) {
      if (RANGE_OPTIONS.includes(key)) own.set(key, value);
      else ofParams[familyParamName(family, key)] = requireValue(key, value, family);
    }
    return [buildRange(family, own, ofParams)];
  };
  if (taskRequests(args, 1)[0]?.params.has('list')) return Promise.resolve(listInstances(args, rootsOf));
  return runCommand(args, cliScript, { shape: SHAPE, rootsOf });
}

/** `--list`: which instances of the window are complete and which missing, as JSON; nothing runs (the editor's Backfill… shows it before it runs). */
function listInstances(args: ParsedArgs, rootsOf: RootsOf): number {
  const range = prepare(args, SHAPE, rootsOf).roots[0] as RangeTask;
  const param = (range.constructor as RangeClass<RangeStep>).paramName;
  const missing = new Set(range.missing());
  const instances = range.instances().map((t) => ({
    value: String(t.params[param]),
    id: t.taskId,
    complete: !missing.has(t),
  }));
  const listing = {
    range: range.taskId,
    family: range.of,
    param,
    start: String(range.start),
    stop: String(range.stop),
    instances,
    complete: instances.length - missing.size,
    missing: missing.size,
    runNow: range.requires().length,
  };
  process.stdout.write(`${JSON.stringify(listing)}\n`);
  return EXIT_CODES.success;
}

function buildRange(
  family: Family,
  own: Map<string, string | undefined>,
  ofParams: Record<string, string>,
): Task {
  const text = (key: string) => {
    const v = own.get(key);
    if (own.has(key) && v === undefined) throw new UsageError(`--${key}: missing value\n${USAGE}`);
    return v;
  };
  const every = text('every');
  const paramOption = text('of-param');
  const options = paramOption === undefined ? {} : { param: paramOption };
  let Range: RangeClass<RangeStep>;
  try {
    Range = rangeFor(family, every, options);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError((e as Error).message);
  }
  const step = Range.step;
  const point: ParamDef<unknown> =
    step === 'day' ? param.date() : step === 'hour' ? param.hour() : param.datetime();
  const parse = (key: string, def: ParamDef<unknown>) => {
    const v = text(key);
    if (v === undefined) return undefined;
    try {
      return def.parse(v);
    } catch (e) {
      throw new ParamError(Range.name, key, `--${key}`, (e as Error).message);
    }
  };
  const input: Record<string, unknown> = { ofParams };
  const dates = parse('dates', param.dateInterval()) as DateInterval | undefined;
  if (dates) {
    if (own.has('start') || own.has('stop'))
      throw new UsageError(`--dates and --start/--stop: give one window\n${USAGE}`);
    input.start = point.parse(
      step === 'day'
        ? String(dates.start)
        : step === 'hour'
          ? `${dates.start}T00`
          : `${dates.start}T00:00:00`,
    );
    input.stop = point.parse(
      step === 'day' ? String(dates.end) : step === 'hour' ? `${dates.end}T23` : `${dates.end}T23:59:59`,
    );
  } else {
    input.start = parse('start', point);
    input.stop = parse('stop', point);
  }
  const backOption = step === 'day' ? 'days-back' : step === 'hour' ? 'hours-back' : 'minutes-back';
  for (const other of ['days-back', 'hours-back', 'minutes-back'])
    if (other !== backOption && own.has(other))
      throw new UsageError(
        `--${other} does not fit a range by ${step === 'minutes' ? 'minutes' : `${step}s`}: use --${backOption}`,
      );
  const back = parse(backOption, param.int());
  if (back !== undefined)
    input[step === 'day' ? 'daysBack' : step === 'hour' ? 'hoursBack' : 'minutesBack'] = back;
  const max = parse('max', param.int());
  if (max !== undefined) input.maxTasks = max;
  if (own.has('newest-first')) input.newestFirst = param.bool().parse(own.get('newest-first') ?? 'true');
  const range = new Range(input as never);
  const missing = range.missing().length;
  const all = range.instances().length;
  const now = range.requires().length;
  process.stderr.write(
    `plumb: ${range.taskId}: ${all} instance${all === 1 ? '' : 's'} of ${family.name}, ${all - missing} complete, ${missing} missing${now < missing ? `; running ${now} now (--max ${range.maxTasks}), ${missing - now} left: run again to continue` : ''}\n`,
  );
  return range;
}

function rangeFor(
  family: Family,
  every: string | undefined,
  options: { param?: string },
): RangeClass<RangeStep> {
  if (every === undefined) {
    const kinds = Object.values(paramSchemaOf(family)).map((d) => d.kind);
    return kinds.includes('date') ? rangeDaily(family, options) : rangeHourly(family, options);
  }
  if (every === 'day') return rangeDaily(family, options);
  if (every === 'hour') return rangeHourly(family, options);
  const m = /^(\d+)m$/.exec(every);
  if (m) return rangeByMinutes(family, Number(m[1]), options);
  throw new UsageError(`--every takes day, hour or a number of minutes (15m), got '${every}'`);
}

/** A family parameter as written (declared or kebab-case) → its declared name. */
function familyParamName(family: Family, written: string): string {
  const names = Object.keys(paramSchemaOf(family));
  const name = names.find((n) => n === written || kebabCase(n) === written);
  if (name !== undefined) return name;
  throw new ParamError(
    family.name,
    written,
    '',
    `is not a parameter of ${family.name} nor an option of plumb backfill${didYouMean(written, [...names.map(kebabCase), ...RANGE_OPTIONS], (n) => `--${n}`)}`,
  );
}

function requireValue(key: string, value: string | undefined, family: Family): string {
  if (value !== undefined) return value;
  const def = paramSchemaOf(family)[familyParamName(family, key)]!;
  if (def.kind === 'bool') return 'true';
  throw new ParamError(family.name, key, `--${key}`, `missing value (expected a ${def.kind})`);
}
