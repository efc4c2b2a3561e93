// `plumb run`: load the pipeline, build the root task from the command line, take the run lock,
// wire the event stream to its listeners (run log, stdout/file, terminal) and run.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { checkCommandLine, type CommandShape, type ParsedArgs, taskRequests, UsageError } from './cli-args';
import { isolatedRunnerOnDemand } from './cli-isolate-on-demand';
import { SLA_FLAGS, slaOptions } from './cli-sla';
import { loadPipeline, PipelineLoadError, sourceLocator, type LoadedPipeline } from './cli-loader';
import { lockFileFor, tryLockRoots, waitForRootLocks, type RunLock } from './cli-lock';
import { drainStdout } from './cli-output';
import { checkProjectConfig } from './cli-project-families';
import { ThreadedLines } from './cli-threaded-lines';
import { createReporter, reportedEvents } from './cli-reporter';
import { ConfigError, loadConfig, type PlumbConfig } from './config';
import { didYouMean } from './did-you-mean';
import {
  concurrencyKeys,
  isKeyHeld,
  type KeyHeld,
  keyHeldMessage,
  tryLockKeys,
  waitForKeys,
} from './operations/concurrency-key';
import { ParamError } from './parameter';
import { EventStream, newRunId } from './event-stream';
import { EXIT_CODES, type RunOutcome } from './events';
import { enterTestMode } from './operations/test-mode';
import { findProjectRoot, setProjectRoot } from './project-root';
import { type RunLogRetention, RunLogWriter } from './run-log';
import { type RunResult, runTasks } from './run';
import { type IsolatedRunner } from './scheduler';
import { setParamConfigDefaults, type Task } from './task';
import { buildTask, TaskConstructionError } from './task-factory';
import { summarize } from './summary';
import { TaskGraph } from './graph';

/** A mistake of the user's: the command line, plumb.toml, a parameter, the pipeline file (exit 2). */
function isUsageError(e: unknown): boolean {
  return (
    e instanceof UsageError ||
    e instanceof ParamError ||
    e instanceof ConfigError ||
    e instanceof PipelineLoadError
  );
}

/** Mistakes of the user's read as their message; anything else keeps its stack. */
export function errorText(e: unknown): string {
  if (isUsageError(e) || e instanceof TaskConstructionError) return (e as Error).message;
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

/**
 * Which outcome an error thrown outside any task's attempt means: the user's mistake (error, 2),
 * a root task whose constructor throws (pipeline-error, 5), or plumb's own failure (crashed, 70).
 */
export function outcomeOfError(e: unknown): RunOutcome {
  if (isUsageError(e)) return 'error';
  if (e instanceof TaskConstructionError) return 'pipeline-error';
  return 'crashed';
}

export interface Prepared {
  file: string;
  projectRoot: string;
  config: PlumbConfig;
  pipeline: LoadedPipeline;
  /** The requested root tasks, in the order given (at least one). */
  roots: Task[];
}

/** A path to a pipeline file, or a module name resolved from the working directory (`my-pipelines/daily`). */
function resolvePipeline(arg: string): string {
  const file = path.resolve(arg);
  if (existsSync(file)) return file;
  try {
    return createRequire(path.join(process.cwd(), 'noop.js')).resolve(arg);
  } catch {
    throw new UsageError(`no such pipeline file or module: ${arg}`);
  }
}

export const RUN_SHAPE: CommandShape = {
  usage:
    'usage: plumb run <file-or-module> <TaskName> [--<param> value …] [<TaskName> [--<param> value …] …] [options]',
  flags: [
    'workers',
    'events',
    'events-file',
    'unit',
    'lock',
    'no-color',
    'quiet',
    'durable',
    'concurrency-key',
    'test-mode',
    'max-tasks',
    ...SLA_FLAGS,
  ],
  positionals: [2, Infinity],
  takesParams: true,
};

/** The shared start of run and graph: file → project root → config → module → root tasks. */
/** Builds the roots from the loaded pipeline instead of task names (plumb backfill: a range). */
export type RootsOf = (pipeline: LoadedPipeline, fileArg: string) => Task[];

export function prepare(args: ParsedArgs, shape: CommandShape, rootsOf?: RootsOf): Prepared {
  checkCommandLine(args, shape);
  const fileArg = args.positionals[0]!;
  const requests = taskRequests(args, 1);
  const file = resolvePipeline(fileArg);
  const projectRoot = findProjectRoot(path.dirname(file)) ?? process.cwd();
  setProjectRoot(projectRoot);
  const config = loadConfig(projectRoot);
  setParamConfigDefaults(config.params);
  // Before the pipeline loads: targets built at load time must already point at the test area.
  if (shape.flags.includes('test-mode') && (args.flags.has('test-mode') || config.run.testMode)) {
    config.run.testMode = true;
    enterTestMode(projectRoot, config.testModeRoot);
  }
  const pipeline = loadPipeline(file);
  checkProjectConfig(config, projectRoot);
  const roots = rootsOf
    ? rootsOf(pipeline, fileArg)
    : requests.map(({ name, params }) => {
        const cls = pipeline.families.get(name);
        if (!cls) {
          const known = [...pipeline.families.keys()].sort();
          throw new UsageError(
            `${name} is not a task exported by ${fileArg}${didYouMean(name, known)}${known.length ? ` (it exports ${known.join(', ')})` : ' (it exports no tasks)'}`,
          );
        }
        return buildTask(cls, params, shape.flags);
      });
  return { file, projectRoot, config, pipeline, roots };
}

/**
 * Wraps the run once its locks are held (plumb rerun: moves outputs aside before, puts back or
 * drops them after); `run` starts it.
 */
export type RunWrapper = (
  prepared: Prepared,
  events: EventStream,
  run: () => Promise<RunResult>,
) => Promise<RunResult>;

/** Concurrency keys held elsewhere than .plumb/locks/ (on a cluster: in Redis, seen by every host). */
export interface KeyLocks {
  tryLock(keys: readonly string[], holderName: string): Promise<RunLock | KeyHeld>;
  wait(keys: readonly string[], holderName: string, signal: AbortSignal): Promise<RunLock | undefined>;
  heldMessage(held: KeyHeld): string;
}

/** What plumb run --cluster changes in a run (runtime/src/cli-cluster.ts). */
export interface ClusterRun {
  /** The run's id, chosen by its submitter (the same for a run resumed on another worker). */
  runId?: string;
  /** Where attempts run instead of this host's isolated pool. */
  runnerFor(prepared: Prepared, runId: string): IsolatedRunner;
  keyLocks(runId: string): KeyLocks;
}

export async function runCommand(
  args: ParsedArgs,
  cliScript: string,
  custom?: { shape: CommandShape; rootsOf: RootsOf; wrap?: RunWrapper },
  /** plumb run --cluster: where attempts run, and where concurrency keys are held. */
  cluster?: ClusterRun,
): Promise<number> {
  const runId = cluster?.runId ?? newRunId();
  const events = new EventStream(runId);
  const eventsMode = args.flags.get('events');
  const jsonl = eventsMode === 'jsonl';
  const ipc = eventsMode === 'ipc';
  if (eventsMode !== undefined && !jsonl && !ipc) {
    throw new UsageError(`--events takes 'jsonl' or 'ipc', got '${eventsMode}'`);
  }
  if (ipc && !process.send) throw new UsageError('--events ipc needs an IPC channel (spawn plumb with one)');
  const human = jsonl ? process.stderr : process.stdout;
  const color = !args.flags.has('no-color') && !process.env.NO_COLOR && human.isTTY === true;
  const reporting = { out: human, err: process.stderr, color, quiet: args.flags.has('quiet') };
  events.onEvent(createReporter(reporting), reportedEvents(reporting));
  // Written by a thread of their own: batched, and never held back by a run() blocking this one.
  const sinks: ThreadedLines[] = [];
  if (jsonl) sinks.push(new ThreadedLines(1));
  const eventsFile = args.flags.get('events-file');
  if (eventsFile) sinks.push(new ThreadedLines(path.resolve(eventsFile)));
  for (const s of sinks) events.onLine((line) => s.push(line));
  let ipcPending = Promise.resolve();
  if (ipc) {
    // Objects over the parent's IPC channel, in order; the run waits for the last one to leave.
    events.onEvent((e) => {
      ipcPending = new Promise((resolve) => process.send!(e, undefined, undefined, () => resolve()));
    });
  }

  let runLog: RunLogWriter | undefined = undefined;
  let retention: RunLogRetention | undefined;
  const finish = async (code: number): Promise<number> => {
    for (const s of sinks) s.close();
    runLog?.close();
    if (runLog && retention) runLog.applyRetention(retention);
    await ipcPending;
    await drainStdout();
    return code;
  };
  const refuse = (outcome: RunOutcome, message: string) => {
    events.emit({
      type: 'run-finished',
      outcome,
      exitCode: EXIT_CODES[outcome],
      durationMs: 0,
      summary: summarize(new TaskGraph(), []),
      message,
    });
    return finish(EXIT_CODES[outcome]);
  };

  try {
    return await prepareAndRun();
  } catch (e) {
    // Whatever no task can be blamed for still ends the run with its run-finished and exit code.
    return refuse(outcomeOfError(e), errorText(e));
  }

  async function prepareAndRun(): Promise<number> {
    const prepared = prepare(args, custom?.shape ?? RUN_SHAPE, custom?.rootsOf);
    runLog = new RunLogWriter(prepared.projectRoot, runId);
    retention = {
      maxRuns: prepared.config.run.keepRunLogs,
      maxBytes: Math.floor(prepared.config.run.keepRunLogsMb * 1024 * 1024),
    };
    events.onLine((line) => runLog!.append(line));

    const workersFlag = args.flags.get('workers');
    const workers = workersFlag === undefined ? undefined : Number(workersFlag);
    if (workers !== undefined && !(Number.isSafeInteger(workers) && workers >= 1)) {
      return refuse('error', `--workers expects a whole number ≥ 1, got '${workersFlag}'`);
    }
    if (args.flags.has('durable')) prepared.config.run.durable = true;
    const maxTasksFlag = args.flags.get('max-tasks');
    const maxTasks = maxTasksFlag === undefined ? undefined : Number(maxTasksFlag);
    if (maxTasks !== undefined && !(Number.isSafeInteger(maxTasks) && maxTasks >= 1))
      return refuse('error', `--max-tasks expects a whole number ≥ 1, got '${maxTasksFlag}'`);
    const sla = slaOptions(args);

    const lockMode = args.flags.get('lock') ?? 'fail';
    if (lockMode !== 'fail' && lockMode !== 'wait')
      return refuse('error', `--lock takes 'wait' or 'fail', got '${lockMode}'`);
    const rootIds = prepared.roots.map((r) => r.taskId);
    const keys = concurrencyKeys(prepared.roots, args.flags.get('concurrency-key'), prepared.config);
    const controller = new AbortController();
    let signals = 0;
    const onSignal = () => {
      if (++signals > 1) process.exit(EXIT_CODES.cancelled); // a second Ctrl-C: stop now
      controller.abort();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);

    // On a cluster the root lock is held in Redis like the keys: every host sees it, it lapses when
    // its holder's host dies, and the same run resumed on another worker takes its own lock over.
    const remote = cluster?.keyLocks(runId);
    const rootKeys = remote
      ? rootIds.map(
          (id) => `run-lock:${path.basename(lockFileFor(prepared.projectRoot, prepared.file, id), '.lock')}`,
        )
      : [];
    const rootsTaken = remote
      ? await remote.tryLock(rootKeys, rootIds.join(' '))
      : tryLockRoots(prepared.projectRoot, prepared.file, rootIds);
    let lock: RunLock;
    if ('release' in rootsTaken) lock = rootsTaken;
    else {
      const holder = 'holder' in rootsTaken ? rootsTaken.holder : rootsTaken;
      const where =
        'holder' in rootsTaken
          ? ` on the cluster (run ${(holder as { runId?: string }).runId}, host ${holder.host}, `
          : ' (';
      const message = `another run of ${holder.root} is in progress${where}pid ${holder.pid}, since ${new Date(holder.since).toISOString()})`;
      if (lockMode === 'fail') return refuse('locked', `${message}; use --lock wait to wait for it`);
      process.stderr.write(`plumb: ${message}; waiting…\n`);
      const got = remote
        ? await remote.wait(rootKeys, rootIds.join(' '), controller.signal)
        : await waitForRootLocks(prepared.projectRoot, prepared.file, rootIds, controller.signal);
      if (!got) return refuse('cancelled', 'cancelled while waiting for the run lock');
      lock = got;
    }
    // Concurrency keys after the root lock: a run waiting for its own root holds no key meanwhile.
    let keyLock: RunLock | undefined;
    if (keys.length > 0) {
      const held = remote
        ? await remote.tryLock(keys, rootIds.join(' '))
        : tryLockKeys(prepared.projectRoot, keys, rootIds.join(' '));
      const message = () => (remote ? remote.heldMessage(held as KeyHeld) : keyHeldMessage(held as KeyHeld));
      if (!isKeyHeld(held)) keyLock = held;
      else if (lockMode === 'fail') {
        lock.release();
        return refuse('locked', `${message()}; use --lock wait to wait for it`);
      } else {
        process.stderr.write(`plumb: ${message()}; waiting…\n`);
        keyLock = remote
          ? await remote.wait(keys, rootIds.join(' '), controller.signal)
          : await waitForKeys(prepared.projectRoot, keys, rootIds.join(' '), controller.signal);
        if (!keyLock) {
          lock.release();
          return refuse('cancelled', 'cancelled while waiting for a concurrency key');
        }
      }
    }
    try {
      const run = () =>
        runTasks(prepared.roots, {
          module: args.positionals[0]!,
          ...(workers !== undefined ? { workers } : {}),
          ...(maxTasks !== undefined ? { maxTasks } : {}),
          sla,
          unit: args.flags.has('unit'),
          config: prepared.config,
          events,
          runIsolated:
            cluster?.runnerFor(prepared, runId) ??
            isolatedRunnerOnDemand(cliScript, prepared.file, prepared.projectRoot, {
              recycleAfter: prepared.config.run.isolateRecycleAfter,
              maxRssMb: prepared.config.run.isolateMaxRssMb,
            }),
          sourceOf: sourceLocator(),
          signal: controller.signal,
          // Terminal output is written as it happens and the event sinks by their own thread; IPC
          // messages leave on this thread's event loop. The run log is history, not a live view: it
          // may lag while a run() blocks.
          yieldBeforeUserCode: ipc,
        });
      const result = await (custom?.wrap ? custom.wrap(prepared, events, run) : run());
      return await finish(result.exitCode);
    } finally {
      keyLock?.release();
      lock.release();
    }
  }
}
