// `plumb schedule`: fires the schedules of plumb.toml on this machine, catches up after downtime,
// and remembers each item's last fire in .plumb/schedules.json; `--list` shows the next fire times.
//
// Each fire is a `plumb run` child process, not an in-process run: a run that crashes, leaks or
// blocks its event loop cannot stop the scheduler; each run has its own run log, run lock,
// concurrency keys and exit code exactly as an ad-hoc `plumb run` of the same task (so the two obey
// the same keys by construction); and a cluster worker can start the same command line from a job.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs as parseOptions } from 'node:util';
import { UsageError } from './cli-args';
import { isLock, tryLock } from './cli-lock';
import { ConfigError, loadConfig, type PlumbConfig } from './config';
import { EXIT_CODES } from './events';
import {
  dueFireTimes,
  fireKey,
  formatInZone,
  itemName,
  MAX_COUNTED,
  nextFireTimes,
  runArguments,
  scheduleItems,
  type Fire,
  type ScheduleItem,
} from './operations/schedule-plan';
import { loadState, saveState, type ScheduleState } from './operations/schedule-state';
import { configRunSla } from './operations/run-operations';
import { describeSla } from './operations/sla';
import { findProjectRoot } from './project-root';

export const SCHEDULE_HELP = `usage: plumb schedule [--once] [--list [--count N] [--json]] [--now <time>] [--max-runs N]

Runs the schedules of plumb.toml ([[schedules]]) on this machine until stopped (Ctrl-C): each fire
is a \`plumb run\` of the schedule's task, one per item of its fan-out (each = { customer = [...] }).
After downtime each schedule catches up on the fires it missed by its catch_up setting (all, latest,
none). The last fire of every item is kept in .plumb/schedules.json, so a restart neither repeats
nor forgets one; a schedule seen for the first time fires from its next fire time on.

options:
  --once          fire what is due now, wait for those runs, and exit
  --list          print each schedule item's next fire times in its time zone, its last fire and outcome
  --count N       with --list: how many next fire times (default 3)
  --json          with --list: as JSON
  --now <time>    the current time, ISO 8601 (default: the clock; PLUMB_NOW does the same)
  --max-runs N    runs at once (default 4); the waiting ones start by priority, then fire time
  --cluster [<redis-url>]  instead, put them on a cluster's queue, fired by its workers (plumb-cluster;
                  plumb schedule --cluster --help)

exit codes: 0 every fired run succeeded (or was skipped by its concurrency key), 1 a fired run did
not succeed (--once), ${EXIT_CODES.error} usage error (command line, plumb.toml), ${EXIT_CODES.locked} another plumb schedule
runs this project's schedules, ${EXIT_CODES.cancelled} stopped by Ctrl-C/SIGTERM
`;

const OUTCOME_BY_CODE = new Map(Object.entries(EXIT_CODES).map(([name, code]) => [code, name]));

interface Options {
  once: boolean;
  list: boolean;
  json: boolean;
  count: number;
  maxRuns: number;
  /** The clock: the real one, or one started at --now. */
  now: () => Date;
  /** Whether the clock was injected (--now or PLUMB_NOW). */
  injected: boolean;
}

function readOptions(argv: string[]): Options {
  let values;
  try {
    ({ values } = parseOptions({
      args: argv,
      options: {
        once: { type: 'boolean' },
        list: { type: 'boolean' },
        json: { type: 'boolean' },
        count: { type: 'string' },
        now: { type: 'string' },
        'max-runs': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n\n${SCHEDULE_HELP}`);
  }
  const whole = (flag: string, text: string | undefined, fallback: number) => {
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n < 1)
      throw new UsageError(`--${flag} expects a whole number ≥ 1, got '${text}'`);
    return n;
  };
  const nowText = values.now ?? process.env.PLUMB_NOW;
  let now = () => new Date();
  if (nowText !== undefined) {
    const base = Date.parse(nowText);
    if (Number.isNaN(base))
      throw new UsageError(
        `${values.now !== undefined ? '--now' : 'PLUMB_NOW'}: not an ISO 8601 time: '${nowText}'`,
      );
    const started = Date.now();
    now = () => new Date(base + Date.now() - started);
  }
  if ((values.json || values.count !== undefined) && !values.list)
    throw new UsageError('--json and --count go with --list');
  return {
    once: values.once === true,
    list: values.list === true,
    json: values.json === true,
    count: whole('count', values.count, 3),
    maxRuns: whole('max-runs', values['max-runs'], 4),
    now,
    injected: nowText !== undefined,
  };
}

export async function scheduleCommand(argv: string[], cliScript: string): Promise<number> {
  const options = readOptions(argv);
  const projectRoot = findProjectRoot(process.cwd()) ?? process.cwd();
  const config = loadConfig(projectRoot);
  if (config.schedules.length === 0)
    throw new UsageError(
      `no schedules in ${config.file ?? path.join(projectRoot, 'plumb.toml')} (add a [[schedules]] table)`,
    );
  for (const s of config.schedules) {
    if (!existsSync(path.resolve(projectRoot, s.pipeline)))
      throw new ConfigError(
        config.file!,
        undefined,
        `schedules.${s.name}.pipeline`,
        `no such file: ${s.pipeline} (relative to ${projectRoot})`,
      );
  }
  const items = config.schedules.flatMap(scheduleItems);
  const state = loadState(projectRoot);
  if (options.list) {
    listSchedules(items, state, options, config);
    return 0;
  }
  // One scheduler per project: two would fire every item twice. A holder that died never counts.
  const lock = tryLock(path.join(projectRoot, '.plumb', 'locks', 'schedule.lock'), 'plumb schedule');
  if (!isLock(lock)) {
    process.stderr.write(
      `plumb: another plumb schedule runs the schedules of ${projectRoot} (pid ${lock.pid}, since ${new Date(lock.since).toISOString()})\n`,
    );
    return EXIT_CODES.locked;
  }
  try {
    return await new ScheduleRunner(projectRoot, cliScript, items, state, options).start();
  } finally {
    lock.release();
  }
}

function listSchedules(
  items: ScheduleItem[],
  state: ScheduleState,
  options: Options,
  config: PlumbConfig,
): void {
  const now = options.now();
  // A schedule without its own sla fires runs that take plumb.toml's [run] sla: show the one that applies.
  const runSla = configRunSla(config);
  const rows = items.map((item) => {
    const s = item.schedule;
    const sla = s.sla ?? runSla;
    const saved = state.items[itemName(item)];
    return {
      schedule: s.name,
      item: item.values,
      name: itemName(item),
      task: s.task,
      pipeline: s.pipeline,
      cron: s.cron,
      timezone: s.timezone,
      next: nextFireTimes(s, now, options.count).map((d) => d.toISOString()),
      ...(saved ? { lastFire: saved.lastFire, lastOutcome: saved.lastOutcome } : {}),
      priority: s.priority,
      ...(s.concurrencyKey !== undefined
        ? { concurrencyKey: s.concurrencyKey, onConflict: s.onConflict }
        : {}),
      catchUp: s.catchUp,
      ...(sla ? { sla, slaFrom: s.sla ? ('schedule' as const) : ('run' as const) } : {}),
    };
  });
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ now: now.toISOString(), schedules: rows }, null, 2)}\n`);
    return;
  }
  for (const row of rows) {
    process.stdout.write(`${row.name}  ${row.task} (${row.pipeline})  cron "${row.cron}" ${row.timezone}\n`);
    if (row.sla)
      process.stdout.write(
        `  sla: done ${describeSla(row.sla)} (${row.slaFrom === 'schedule' ? 'the schedule’s own' : 'plumb.toml [run] sla'})\n`,
      );
    for (const next of row.next)
      process.stdout.write(`  next ${formatInZone(new Date(next), row.timezone)}\n`);
    if (row.lastFire)
      process.stdout.write(
        `  last ${formatInZone(new Date(row.lastFire), row.timezone)}: ${row.lastOutcome ?? '?'}\n`,
      );
  }
}

interface QueuedFire extends Fire {
  /** Fires found in one look at the clock for one item: run one after the other, never skipped for each other. */
  batch: number;
  priority: number;
  /** Runs with the same lane never overlap inside this scheduler: the schedule's key, else the item. */
  lane: string;
}

class ScheduleRunner {
  private queue: QueuedFire[] = [];
  private running = new Map<string, QueuedFire>();
  private children = new Set<ReturnType<typeof spawn>>();
  /** The newest fire time queued per item, so a look at the clock does not queue it again. */
  private queuedUntil = new Map<string, number>();
  private batches = 0;
  private notSucceeded = 0;
  private stopping = false;
  /** Called on every change (a run ended, a signal came): idle() and the sleep check their condition. */
  private listeners = new Set<() => void>();

  constructor(
    private readonly projectRoot: string,
    private readonly cliScript: string,
    private readonly items: ScheduleItem[],
    private readonly state: ScheduleState,
    private readonly options: Options,
  ) {}

  private log(text: string): void {
    process.stdout.write(`plumb schedule: ${text}\n`);
  }

  async start(): Promise<number> {
    const onSignal = () => {
      this.stopping = true;
      for (const child of this.children) child.kill('SIGTERM');
      this.notify();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const now = this.options.now();
    let changed = false;
    for (const item of this.items) {
      const name = itemName(item);
      if (this.state.items[name]) continue;
      // First sight: nothing is owed before now.
      this.state.items[name] = { lastFire: now.toISOString(), lastOutcome: 'new' };
      changed = true;
    }
    if (changed) saveState(this.projectRoot, this.state);
    if (!this.options.once) this.log(`${this.items.length} schedule item(s); Ctrl-C stops`);
    for (;;) {
      this.look(this.options.now());
      this.pump();
      if (this.options.once) {
        await this.idle();
        break;
      }
      await this.sleepUntilNextFire();
      if (this.stopping) break;
    }
    if (this.stopping) {
      await this.idle();
      return EXIT_CODES.cancelled;
    }
    return this.notSucceeded > 0 ? 1 : 0;
  }

  /** Queues every fire each item owes at `now`. */
  private look(now: Date): void {
    for (const item of this.items) {
      const name = itemName(item);
      const saved = this.state.items[name]!;
      const from = Math.max(Date.parse(saved.lastFire), this.queuedUntil.get(name) ?? -Infinity);
      const due = dueFireTimes(item.schedule, new Date(from), now);
      if (due.skipped > 0)
        this.log(
          `${name}: ${due.skipped >= MAX_COUNTED ? 'at least ' : ''}${due.skipped} missed fire(s) not run (catch_up = "${item.schedule.catchUp}")`,
        );
      if (due.times.length === 0) {
        if (due.skipped > 0) this.record(item, now, 'skipped');
        continue;
      }
      const batch = ++this.batches;
      for (const at of due.times) {
        const fire: Fire = { item, at };
        this.queue.push({ ...fire, batch, priority: item.schedule.priority, lane: laneOf(fire) });
      }
      this.queuedUntil.set(name, due.times[due.times.length - 1]!.getTime());
    }
  }

  /** Starts what may start: by priority, then fire time; one run per lane; at most --max-runs. */
  private pump(): void {
    if (this.stopping) return;
    this.queue.sort((a, b) => b.priority - a.priority || a.at.getTime() - b.at.getTime());
    for (const fire of [...this.queue]) {
      if (this.running.size >= this.options.maxRuns) break;
      const busy = this.running.get(fire.lane);
      if (busy) {
        // A missed fire of the same batch waits its turn; a new fire over a run still going is
        // what on_conflict = "skip" is for.
        if (busy.batch !== fire.batch && fire.item.schedule.onConflict === 'skip') {
          this.queue.splice(this.queue.indexOf(fire), 1);
          this.log(`${describe(fire)}: skipped: ${busy.lane} is still running ${describe(busy)}`);
          this.record(fire.item, fire.at, 'skipped');
        }
        continue;
      }
      this.queue.splice(this.queue.indexOf(fire), 1);
      this.launch(fire);
    }
    this.notify();
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private launch(fire: QueuedFire): void {
    this.running.set(fire.lane, fire);
    const args = [...runArguments(fire), '--quiet', '--no-color'];
    const started = Date.now();
    const child = spawn(process.execPath, [...process.execArgv, this.cliScript, ...args], {
      cwd: this.projectRoot,
      // A scheduler on an injected clock (--now) gives its runs the same clock: their SLAs and windows.
      ...(this.options.injected
        ? { env: { ...process.env, PLUMB_NOW: this.options.now().toISOString() } }
        : {}),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.children.add(child);
    this.log(`${describe(fire)}: plumb ${args.join(' ')} (pid ${child.pid})`);
    const prefix = `[${itemName(fire.item)}] `;
    for (const [from, to] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ] as const) {
      let rest = '';
      from.setEncoding('utf8');
      from.on('data', (text: string) => {
        const lines = (rest + text).split('\n');
        rest = lines.pop()!;
        for (const line of lines) to.write(`${prefix}${line}\n`);
      });
      from.on('end', () => rest && to.write(`${prefix}${rest}\n`));
    }
    let done = false;
    const finish = (outcome: string, detail: string) => {
      if (done) return;
      done = true;
      this.children.delete(child);
      this.running.delete(fire.lane);
      if (outcome !== 'success' && outcome !== 'locked') this.notSucceeded++;
      this.log(
        `${describe(fire)}: ${outcome} (${detail}) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      // A run stopped with the scheduler is not handled: the next start owes it again.
      if (!(this.stopping && outcome === 'cancelled')) this.record(fire.item, fire.at, outcome);
      this.pump();
    };
    child.on('error', (e) => finish('crashed', e.message));
    child.on('close', (code, signal) =>
      finish(
        code === null ? 'crashed' : (OUTCOME_BY_CODE.get(code) ?? 'crashed'),
        code === null ? `killed by ${signal}` : `exit ${code}`,
      ),
    );
  }

  private record(item: ScheduleItem, at: Date, outcome: string): void {
    const name = itemName(item);
    const saved = this.state.items[name];
    if (saved && Date.parse(saved.lastFire) > at.getTime()) return;
    this.state.items[name] = { lastFire: at.toISOString(), lastOutcome: outcome };
    saveState(this.projectRoot, this.state);
  }

  /** Until nothing runs and nothing waits (or, once stopping, nothing runs). */
  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.running.size > 0 || (this.queue.length > 0 && !this.stopping)) return;
        this.listeners.delete(check);
        resolve();
      };
      this.listeners.add(check);
      check();
    });
  }

  /** Until the next fire time of any item, at most a minute (the clock may jump), or a signal. */
  private sleepUntilNextFire(): Promise<void> {
    const now = this.options.now();
    const next = Math.min(
      ...this.items.map((i) => nextFireTimes(i.schedule, now, 1)[0]?.getTime() ?? Infinity),
    );
    const ms = Math.max(10, Math.min(60_000, next - now.getTime() + 5));
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve();
      };
      const check = () => {
        if (this.stopping) done();
      };
      const timer = setTimeout(done, ms);
      this.listeners.add(check);
    });
  }
}

function laneOf(fire: Fire): string {
  const key = fireKey(fire);
  return key !== undefined ? `key ${key}` : itemName(fire.item);
}

function describe(fire: Fire): string {
  return `${itemName(fire.item)} @ ${formatInZone(fire.at, fire.item.schedule.timezone)}`;
}
