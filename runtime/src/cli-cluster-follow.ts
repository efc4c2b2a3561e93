// `plumb run --cluster` as three processes, so the submitter can die and come back:
//   follower (what the user started): starts the relay, then shows the run's events from Redis;
//   relay (detached, outlives the follower): runs the scheduler and stores each event line in the
//     run's Redis stream, and a crashed scheduler's run-finished;
//   scheduler: `plumb run … --events jsonl` whose attempts are jobs on the cluster (cli-cluster.ts).
// `plumb run --attach <runId>` is a follower of a run already going. Killing the follower leaves the
// run going; Ctrl-C in it cancels the run, as in a local run.
import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { UsageError } from './cli-args';
import { drainStdout } from './cli-output';
import { createReporter } from './cli-reporter';
import { EVENT_SCHEMA_VERSION, EXIT_CODES, type RunEvent } from './events';
import { TaskGraph } from './graph';
import { summarize } from './summary';

/** What the follower takes from the run command line; the rest goes to the scheduler. */
export interface FollowOptions {
  events?: string;
  eventsFile?: string;
  quiet: boolean;
  noColor: boolean;
}

/** How long the relay waits, once the run is over, for the scheduler to exit and Redis to take the last lines. */
const GIVE_UP_MS = 30_000;

/** Which process of a cluster run this is (set by the process that starts it). */
export const ROLE_ENV = 'PLUMB_CLUSTER_ROLE';

/** The stream side of plumb-cluster (run-stream.ts). */
export interface RunStreams {
  runStreamWriter(
    redis: string,
    runId: string,
  ): { info(i: { host: string; pid: number }): void; append(line: string): void; end(): Promise<void> };
  readRunInfo(redis: string, runId: string): Promise<{ host: string; pid: number } | undefined>;
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
  const report = createReporter({ out: human, err: process.stderr, color, quiet: options.quiet });
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

/** The follower of a new run: starts its relay (detached), then follows it. */
export async function submitAndFollow(
  streams: RunStreams,
  redis: string,
  schedulerArgv: string[],
  options: FollowOptions,
  cliScript: string,
): Promise<number> {
  const relay = spawn(process.execPath, [...process.execArgv, cliScript, ...schedulerArgv], {
    detached: true,
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    env: { ...process.env, [ROLE_ENV]: 'relay' },
  });
  const started = await new Promise<{ runId: string } | { error: string }>((resolve) => {
    relay.on('message', (m: { runId: string } | { error: string } | { note: string }) => {
      // What the scheduler says before its run starts (waiting for a lock or a key) is shown here.
      if ('note' in m) process.stderr.write(m.note);
      else resolve(m);
    });
    relay.once('exit', (code, signal) =>
      resolve({ error: `the run's relay exited (${signal ?? `code ${code}`}) before the run started` }),
    );
  });
  relay.removeAllListeners('exit');
  relay.removeAllListeners('message');
  relay.disconnect();
  relay.unref();
  if ('error' in started) {
    process.stderr.write(`plumb: ${started.error}\n`);
    return EXIT_CODES.crashed;
  }
  process.stderr.write(
    `plumb: run ${started.runId} is on the cluster (plumb run --attach ${started.runId} follows it from anywhere)\n`,
  );
  return follow(streams, redis, started.runId, options, () => {
    try {
      process.kill(relay.pid!, 'SIGINT');
    } catch {
      /* the run has ended */
    }
  });
}

/** `plumb run --attach <runId>`: follows a run in progress (or finished) from its first event. */
export async function attach(
  streams: RunStreams,
  redis: string,
  runId: string,
  options: FollowOptions,
): Promise<number> {
  const info = await streams.readRunInfo(redis, runId);
  return follow(streams, redis, runId, options, () => {
    // Ctrl-C cancels the run when its relay is on this host; elsewhere, only this follower stops.
    if (info && info.host === os.hostname()) {
      try {
        process.kill(info.pid, 'SIGINT');
        return;
      } catch {
        /* gone */
      }
    }
    process.stderr.write(
      `plumb: stopped following run ${runId}; it goes on (on ${info?.host ?? 'the cluster'})\n`,
    );
    process.exit(EXIT_CODES.cancelled);
  });
}

/** The relay: runs the scheduler, stores its event lines in the run's stream, tells the follower the run id. */
export async function relay(
  streams: RunStreams,
  redis: string,
  cliScript: string,
  argv: string[],
): Promise<number> {
  const scheduler = spawn(process.execPath, [...process.execArgv, cliScript, ...argv, '--events', 'jsonl'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, [ROLE_ENV]: 'scheduler' },
  });
  const forward = (signal: NodeJS.Signals) => () => scheduler.kill(signal);
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  // The follower may be gone: nothing written to it may fail the relay.
  process.on('disconnect', () => undefined);
  // A scheduler that exited while something it started still holds its stdout: stop reading anyway.
  scheduler.once('exit', () => setTimeout(() => scheduler.stdout.destroy(), 5000).unref());
  let stderr = '';
  let writer: ReturnType<RunStreams['runStreamWriter']> | undefined;
  scheduler.stderr.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    stderr = (stderr + text).slice(-8000);
    if (!writer && process.connected) process.send?.({ note: text });
  });
  let runId: string | undefined;
  let lastSeq = -1;
  let finished = false;
  const started = Date.now();
  for await (const line of createInterface({ input: scheduler.stdout })) {
    if (!line.startsWith('{')) continue;
    if (!writer) {
      runId = (JSON.parse(line) as RunEvent).runId;
      writer = streams.runStreamWriter(redis, runId);
      writer.info({ host: os.hostname(), pid: process.pid });
      if (process.connected) process.send?.({ runId });
    }
    writer.append(line);
    const event = JSON.parse(line) as RunEvent;
    lastSeq = event.seq;
    if (event.type === 'run-finished') {
      finished = true;
      // Its run is over: a scheduler that cannot close its connections (Redis gone) is not waited for.
      setTimeout(() => scheduler.kill('SIGKILL'), GIVE_UP_MS).unref();
    }
  }
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
    if (scheduler.exitCode !== null || scheduler.signalCode !== null)
      resolve([scheduler.exitCode, scheduler.signalCode]);
    else scheduler.once('exit', (c, s) => resolve([c, s]));
  });
  const why = `the run's scheduler exited (${signal ?? `code ${code}`}) before the run finished${stderr.trim() ? `:\n${stderr.trim()}` : ''}`;
  if (!writer) {
    if (process.connected) process.send?.({ error: why });
    return EXIT_CODES.crashed;
  }
  if (!finished) {
    // Whoever follows the run, now or later, still learns how it ended.
    writer.append(
      JSON.stringify({
        v: EVENT_SCHEMA_VERSION,
        runId,
        seq: lastSeq + 1,
        time: Date.now(),
        type: 'run-finished',
        outcome: 'crashed',
        exitCode: EXIT_CODES.crashed,
        durationMs: Date.now() - started,
        summary: summarize(new TaskGraph(), []),
        message: why,
      }),
    );
  }
  // Redis gone for good: the lines are lost to followers (the run log on disk has them); stop anyway.
  await Promise.race([writer.end(), new Promise((r) => setTimeout(r, GIVE_UP_MS).unref())]);
  return code ?? EXIT_CODES.crashed;
}
