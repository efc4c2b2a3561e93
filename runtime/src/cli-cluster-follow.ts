// `plumb run --cluster` from the submitter's side: the run's coordination (its scheduler and the
// relay of its events into Redis) is a job on the cluster's runs queue, taken by any `plumb worker`
// (plumb-cluster's coordinator.ts) and resumed by another if that worker's host dies. The command the
// user started only adds that job and shows the run's events from Redis, exiting with the run's code;
// `plumb run --attach <runId>` follows a run already going. Killing the follower leaves the run going;
// Ctrl-C in the submitter cancels the run, as in a local run (a second one exits at once), Ctrl-C in
// an attached follower only stops following, and `plumb run --cancel <runId>` cancels it from any host.
import { appendFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from './cli-args';
import { drainStdout } from './cli-output';
import { createReporter } from './cli-reporter';
import { newRunId } from './event-stream';
import { EXIT_CODES, type RunEvent } from './events';

/** What the follower takes from the run command line; the rest goes to the scheduler. */
export interface FollowOptions {
  events?: string;
  eventsFile?: string;
  quiet: boolean;
  noColor: boolean;
}

/** Which process of a cluster run this is (set by the coordinator for the scheduler it starts). */
export const ROLE_ENV = 'PLUMB_CLUSTER_ROLE';
/** The run id a scheduler (or a schedule's fire: the same fire, the same run) runs under. */
export const RUN_ID_ENV = 'PLUMB_CLUSTER_RUN_ID';
/** The coordinator's pid: a scheduler dies with it. */
export const PARENT_ENV = 'PLUMB_CLUSTER_PARENT';

/** The run job's data (plumb-cluster's run-job.ts). */
export interface RunJobData {
  runId: string;
  cwd: string;
  argv: string[];
  env: Record<string, string>;
  submitter: { host: string; pid: number };
}

/** The run side of plumb-cluster (run-job.ts, run-stream.ts). */
export interface RunStreams {
  submitRun(
    redis: string,
    data: RunJobData,
    onNote: (text: string) => void,
    priority?: number,
  ): { added: Promise<void>; failed: Promise<string>; cancel(): Promise<void>; close(): Promise<void> };
  /** Cancels a run from any host (plumb-cluster's run-job.ts cancelRunById). */
  cancelRun(redis: string, runId: string): Promise<'cancelled' | 'finished' | 'unknown'>;
  tailRun(
    redis: string,
    runId: string,
    onLine: (line: string) => void,
    missing?: { graceMs: number; onMissing(): void },
  ): { finished: Promise<string>; stop(): Promise<void> };
}

/** Pulls --events, --events-file, --quiet and --no-color out of `argv` (the follower shows them). */
export function followOptions(argv: string[]): { follow: FollowOptions; rest: string[] } {
  const follow: FollowOptions = { quiet: false, noColor: false };
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    if (flag === '--events' || flag === '--events-file') {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`${flag} needs a value`);
      if (flag === '--events') follow.events = value;
      else follow.eventsFile = path.resolve(value);
    } else if (flag === '--quiet') {
      follow.quiet = true;
      rest.push(arg);
    } else if (flag === '--no-color') follow.noColor = true;
    else rest.push(arg);
  }
  if (follow.events !== undefined && follow.events !== 'jsonl' && follow.events !== 'ipc')
    throw new UsageError(`--events takes 'jsonl' or 'ipc', got '${follow.events}'`);
  if (follow.events === 'ipc' && !process.send)
    throw new UsageError('--events ipc needs an IPC channel (spawn plumb with one)');
  return { follow, rest };
}

/** Shows a run's event lines as a local run shows its events; resolves with the run's exit code. */
async function follow(
  streams: RunStreams,
  redis: string,
  runId: string,
  options: FollowOptions,
  cancel: () => void,
): Promise<number> {
  const jsonl = options.events === 'jsonl';
  const human = jsonl ? process.stderr : process.stdout;
  const color = !options.noColor && !process.env.NO_COLOR && human.isTTY === true;
  const report = createReporter({
    out: human,
    err: process.stderr,
    color,
    quiet: options.quiet,
    cluster: true,
  });
  let ipcPending = Promise.resolve();
  const tail = streams.tailRun(
    redis,
    runId,
    (line) => {
      const event = JSON.parse(line) as RunEvent;
      report(event);
      if (jsonl) process.stdout.write(`${line}\n`);
      if (options.eventsFile) appendFileSync(options.eventsFile, `${line}\n`);
      if (options.events === 'ipc')
        ipcPending = new Promise((resolve) => process.send!(event, undefined, undefined, () => resolve()));
    },
    {
      graceMs: 3000,
      onMissing: () => process.stderr.write(`plumb: no events of run ${runId} yet on ${redis}; waiting…\n`),
    },
  );
  let signals = 0;
  const onSignal = () => {
    if (++signals > 1) process.exit(EXIT_CODES.cancelled);
    cancel();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const last = await tail.finished;
    const finished = JSON.parse(last) as { exitCode: number };
    await ipcPending;
    await drainStdout();
    return finished.exitCode;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await tail.stop();
  }
}

/**
 * The follower of a new run: adds its run job (any worker coordinates it) and follows its events.
 * `schedulerArgv` is the run's command line without --cluster and what the follower shows.
 */
export async function submitAndFollow(
  streams: RunStreams,
  redis: string,
  schedulerArgv: string[],
  options: FollowOptions,
  priority: number | undefined,
): Promise<number> {
  const runId = process.env[RUN_ID_ENV] || newRunId();
  // Settings given to this run through the environment go with it to whichever host coordinates it.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      (e): e is [string, string] =>
        e[0].startsWith('PLUMB_') &&
        e[1] !== undefined &&
        e[0] !== ROLE_ENV &&
        e[0] !== RUN_ID_ENV &&
        e[0] !== PARENT_ENV,
    ),
  );
  const run = streams.submitRun(
    redis,
    {
      runId,
      cwd: process.cwd(),
      argv: schedulerArgv,
      env,
      submitter: { host: os.hostname(), pid: process.pid },
    },
    // What the run's scheduler says before its run starts (waiting for a lock or a key) is shown here.
    (note) => process.stderr.write(note),
    priority,
  );
  try {
    await run.added;
    process.stderr.write(
      `plumb: run ${runId} is on the cluster (plumb run --attach ${runId} follows it from anywhere)\n`,
    );
    const failed = run.failed.then((reason) => {
      process.stderr.write(`plumb: run ${runId} could not be coordinated: ${reason}\n`);
      return EXIT_CODES.crashed;
    });
    return await Promise.race([
      follow(streams, redis, runId, options, () => void run.cancel().catch(() => undefined)),
      failed,
    ]);
  } finally {
    await run.close();
  }
}

/** `plumb run --attach <runId>`: follows a run in progress (or finished) from its first event. */
export async function attach(
  streams: RunStreams,
  redis: string,
  runId: string,
  options: FollowOptions,
): Promise<number> {
  return follow(streams, redis, runId, options, () => {
    // Only the run's submitter cancels it; an attached follower stops following.
    process.stderr.write(`plumb: stopped following run ${runId}; it goes on on the cluster\n`);
    process.exit(EXIT_CODES.cancelled);
  });
}

/**
 * `plumb run --cancel <runId>`: cancels a cluster run from any host (its scheduler stops as Ctrl-C
 * stops a local run; its attempts on workers are killed), then follows it to its end and exits with
 * its code: 130 once cancelled, or the code of a run that had already ended.
 */
export async function cancelAndFollow(
  streams: RunStreams,
  redis: string,
  runId: string,
  options: FollowOptions,
): Promise<number> {
  const state = await streams.cancelRun(redis, runId);
  if (state === 'unknown') throw new UsageError(`no run ${runId} on ${redis} (plumb history lists runs)`);
  process.stderr.write(
    state === 'cancelled'
      ? `plumb: cancelling run ${runId}…\n`
      : `plumb: run ${runId} had already ended; nothing to cancel\n`,
  );
  return follow(streams, redis, runId, options, () => {
    process.stderr.write(`plumb: stopped following run ${runId}\n`);
    process.exit(EXIT_CODES.cancelled);
  });
}
