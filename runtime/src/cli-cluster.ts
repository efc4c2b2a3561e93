// The CLI's door to plumb-cluster (a package of its own, so local users install no queue client):
// loaded only for `plumb worker` and `plumb run --cluster`, with the CLI's loader, task factory and
// isolated runner handed to it. Without the package installed, a clear "install plumb-cluster" error.
import { createRequire } from 'node:module';
import path from 'node:path';
import { setDurableWrites } from './atomic-write';
import { clusterScheduleCommand, CLUSTER_SCHEDULE_HELP, fireRunArguments } from './cli-cluster-schedule';
import { configuredRedis, isClusterValue } from './cli-cluster-url';
import { parseArgs, UsageError } from './cli-args';
import { isolatedRunner } from './cli-isolate';
import { runGuardedAttempt } from './guarded-attempt';
import { loadPipeline } from './cli-loader';
import { runCommand, type KeyLocks, type Prepared } from './cli-run';
import { type KeyHeld } from './operations/concurrency-key';
import { loadConfig } from './config';
import { type IsolatedRunner } from './scheduler';
import { findProjectRoot, setProjectRoot } from './project-root';
import { policyFor } from './run';
import { isOptionalRequirement, outputsOf, requirementsOf, setParamConfigDefaults, type Task } from './task';
import { buildTask, taskParamStrings } from './task-factory';
import { watchParent } from './cli-parent-watch';
import { TaskTimeoutError } from './worker';
import {
  attach,
  cancelAndFollow,
  followOptions,
  PARENT_ENV,
  ROLE_ENV,
  RUN_ID_ENV,
  submitAndFollow,
  type RunStreams,
} from './cli-cluster-follow';

/** A cluster run's tasks queued or running at once, without --workers. */
const CLUSTER_IN_FLIGHT = 1000;

/** What the CLI uses of plumb-cluster (its index.ts). */
interface ClusterModule extends RunStreams {
  registerSchedules(
    redis: string,
    projectRoot: string,
    entries: { item: string; cron: string; timezone: string }[],
  ): Promise<{ registered: string[]; removed: string[] }>;
  WORKER_HELP: string;
  workerCommand(argv: string[], host: unknown): Promise<number>;
  QUEUE_HELP: string;
  queueCommand(argv: string[], host: unknown): Promise<number>;
  isolateEveryTask(config: { tasks: Record<string, object> }): void;
  clusterKeyLocks(redis: string, runId: string): Omit<KeyLocks, 'heldMessage'> & { close(): Promise<void> };
  clusterKeyHeldMessage(held: KeyHeld): string;
  clusterSubmitter(
    host: unknown,
    options: {
      redis: string;
      runId: string;
      module: string;
      projectRoot: string;
      retriesOf(task: Task): number;
      timeoutOf(task: Task): number;
      priority?: number;
    },
  ): { runner: IsolatedRunner; ready: Promise<void>; close(): Promise<void> };
}

function loadCluster(): ClusterModule {
  // The project's own copy first (installed beside plumb-pipelines), then the one beside this CLI.
  for (const from of [path.join(process.cwd(), 'noop.js'), __filename]) {
    try {
      return createRequire(from)('plumb-cluster') as ClusterModule;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw e;
    }
  }
  throw new UsageError(
    'a cluster needs the plumb-cluster package: npm install plumb-cluster (it brings BullMQ; Redis runs apart)',
  );
}

function host(cliScript: string) {
  return {
    cliScript,
    loadPipeline,
    buildTask: (cls: never, params: Record<string, string>) => buildTask(cls, params),
    taskParamStrings,
    findProjectRoot,
    /** The worker's pool obeys the project's plumb.toml ([run] isolate_recycle_after, isolate_max_rss_mb) as a local run's does. */
    isolatedRunner(script: string, modulePath: string, projectRoot: string): IsolatedRunner {
      const { run } = loadConfig(projectRoot);
      return isolatedRunner(script, modulePath, projectRoot, {
        recycleAfter: run.isolateRecycleAfter,
        maxRssMb: run.isolateMaxRssMb,
      });
    },
    usageError: (message: string) => new UsageError(message),
    timeoutError: (taskId: string, timeoutMs: number) => new TaskTimeoutError(taskId, timeoutMs),
    /** A task not isolated by its own policy runs in the worker's process, as `plumb run` runs it. */
    isolates: (task: Task, projectRoot: string) => policyFor(task, loadConfig(projectRoot)).isolate,
    runInProcess: runGuardedAttempt,
    fireRunArguments,
    requiredInputs: (task: Task) =>
      requirementsOf(task)
        .filter((r) => !isOptionalRequirement(r))
        .flatMap((r) => outputsOf(r)),
    /** plumb.toml's [cluster] section of the project around the working directory. */
    clusterSettings(): Record<string, unknown> {
      const root = findProjectRoot(process.cwd()) ?? process.cwd();
      return loadConfig(root).integrations?.cluster ?? {};
    },
    enterProject(projectRoot: string) {
      setProjectRoot(projectRoot);
      const config = loadConfig(projectRoot);
      setParamConfigDefaults(config.params);
      setDurableWrites(config.run.durable);
    },
  };
}

/** `plumb worker …` */
export function workerCommand(argv: string[], cliScript: string): Promise<number> {
  const cluster = loadCluster();
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(cluster.WORKER_HELP);
    return Promise.resolve(0);
  }
  return cluster.workerCommand(argv, host(cliScript));
}

/** `plumb queue …` */
export function queueCommand(argv: string[], cliScript: string): Promise<number> {
  const cluster = loadCluster();
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(cluster.QUEUE_HELP);
    return Promise.resolve(0);
  }
  return cluster.queueCommand(argv, host(cliScript));
}

/** `plumb schedule --cluster …` (plumb schedule without --cluster runs them on this machine). */
export function wantsClusterSchedule(argv: string[]): boolean {
  return argv[0] === 'schedule' && argv.some((a) => a === '--cluster' || a.startsWith('--cluster='));
}

export function clusterSchedule(argv: string[], cliScript: string): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(CLUSTER_SCHEDULE_HELP);
    return Promise.resolve(0);
  }
  return clusterScheduleCommand(argv, loadCluster(), () => host(cliScript).clusterSettings());
}

/** Whether a run command line asks for the cluster (--cluster <url>, --attach or --cancel <runId>). */
export function wantsCluster(argv: string[]): boolean {
  return (
    argv[0] === 'run' &&
    argv.some((a) => ['--cluster', '--attach', '--cancel'].some((f) => a === f || a.startsWith(`${f}=`)))
  );
}

/**
 * `plumb run … --cluster [<url>] [--priority N]`: the run as ever, each attempt a job on the cluster,
 * followed from its events in Redis (cli-cluster-follow.ts); `plumb run --attach <runId>` follows one,
 * `plumb run --cancel <runId>` cancels one.
 */
export async function clusterRunCommand(argv: string[], cliScript: string): Promise<number> {
  const role = process.env[ROLE_ENV];
  const rest: string[] = [];
  let redis: string | undefined;
  let priority: number | undefined;
  let attachTo: string | undefined;
  let cancel: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=') && arg.startsWith('--') ? arg.split(/=(.*)/s) : [arg, undefined];
    if (flag === '--cluster' && inline === undefined && !isClusterValue(argv[i + 1])) {
      redis = ''; // alone: the environment's or plumb.toml's cluster (below)
    } else if (flag === '--cluster' || flag === '--priority' || flag === '--attach' || flag === '--cancel') {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`${flag} needs a value`);
      if (flag === '--cluster') redis = value;
      else if (flag === '--attach') attachTo = value;
      else if (flag === '--cancel') cancel = value;
      else {
        priority = Number(value);
        if (!Number.isSafeInteger(priority) || priority < 1)
          throw new UsageError(
            `--priority expects a whole number ≥ 1 (1 runs first, default 100), got '${value}'`,
          );
      }
    } else rest.push(arg);
  }
  const followed = attachTo ?? cancel;
  if (attachTo !== undefined && cancel !== undefined)
    throw new UsageError('--attach follows a run and --cancel cancels one: give one of them');
  if (redis === 'env' || redis === '' || (redis === undefined && followed !== undefined))
    redis = configuredRedis(() => host(cliScript).clusterSettings());
  if (followed !== undefined) {
    const flag = attachTo !== undefined ? '--attach' : '--cancel';
    const cluster = loadCluster();
    if (!redis)
      throw new UsageError(
        `${flag} needs the cluster: --cluster <url>, PLUMB_REDIS_URL or plumb.toml [cluster] redis`,
      );
    const { follow, rest: others } = followOptions(rest.slice(1));
    const extra = others.filter((a) => a !== '--quiet');
    if (extra.length > 0)
      throw new UsageError(`${flag} takes a run id and how to show it, not '${extra.join(' ')}'`);
    if (cancel !== undefined)
      // What a cancel shows is how the run ended (its summary), unless asked for every event.
      return cancelAndFollow(cluster, redis, cancel, {
        ...follow,
        quiet: follow.events === undefined || follow.quiet,
      });
    return attach(cluster, redis, followed, follow);
  }
  if (!redis)
    throw new UsageError(
      '--cluster needs a Redis URL: --cluster <url>, PLUMB_REDIS_URL or plumb.toml [cluster] redis',
    );
  const cluster = loadCluster();
  if (role === undefined) {
    const { follow, rest: schedulerArgv } = followOptions(rest);
    if (priority !== undefined) schedulerArgv.push('--priority', String(priority));
    return submitAndFollow(cluster, redis, schedulerArgv, follow, priority);
  }
  // The scheduler, started by a worker's coordinator for its run job: it never outlives it.
  if (process.env[PARENT_ENV]) watchParent(Number(process.env[PARENT_ENV]));
  const runId = process.env[RUN_ID_ENV];
  let submitter: ReturnType<ClusterModule['clusterSubmitter']> | undefined;
  let keyLocks: ReturnType<ClusterModule['clusterKeyLocks']> | undefined;
  try {
    return await runCommand(parseArgs(rest), cliScript, undefined, {
      ...(runId ? { runId } : {}),
      runnerFor(prepared: Prepared, runId: string) {
        cluster.isolateEveryTask(prepared.config);
        // plumb.toml's [run] workers is one machine's: on a cluster the workers' --concurrency decides
        // what runs at once, and the run puts every ready task on the queue (--workers N caps it).
        if (!rest.some((a) => a === '--workers' || a.startsWith('--workers=')))
          prepared.config.run.workers = CLUSTER_IN_FLIGHT;
        submitter = cluster.clusterSubmitter(host(cliScript), {
          redis: redis!,
          runId,
          module: prepared.file,
          projectRoot: prepared.projectRoot,
          retriesOf: (task) => policyFor(task, prepared.config).retries,
          timeoutOf: (task) => policyFor(task, prepared.config).timeoutMs,
          ...(priority !== undefined ? { priority } : {}),
        });
        return submitter.runner;
      },
      keyLocks(runId: string) {
        keyLocks = cluster.clusterKeyLocks(redis!, runId);
        return { ...keyLocks, heldMessage: cluster.clusterKeyHeldMessage };
      },
    });
  } finally {
    await Promise.all([submitter?.close(), keyLocks?.close()]);
  }
}
