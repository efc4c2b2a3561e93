// plumb-cluster: the same pipelines on many hosts through BullMQ on Redis. The plumb CLI loads it
// only when a cluster is asked for (`plumb worker`, `plumb run --cluster`); the core never imports it.
import { redisUrl, type CliHost } from './host';
import { runWorker, defaultWorkerName } from './worker';

export { queueCommand, queueStats, QUEUE_HELP, type QueueStats } from './queue-command';
export { type ClusterSubmitter, type SubmitOptions } from './submit';
export { clusterSubmitter } from './resumed-attempts';
export { runStreamWriter, readRunInfo, tailRun, runStreamKey } from './run-stream';
export { submitRun, cancelRunById as cancelRun, RUN_QUEUE, type RunJobData } from './run-job';
export { registerSchedules, SCHEDULE_QUEUE, type ScheduleEntry } from './schedules';
export { clusterKeyLocks, clusterKeyHeldMessage, type ClusterKeyLocks } from './key-lock';
export { TASK_QUEUE, sourceHash, connectionOf, type TaskJobData } from './job';
export type { CliHost, AttemptRunner } from './host';

export const WORKER_HELP = `usage: plumb worker [--redis <url>] [--concurrency N] [--runs N] [--name <name>]

Runs task jobs from the cluster's queue until stopped (SIGINT/SIGTERM finish the active jobs first),
and coordinates cluster runs (their schedulers); a run whose worker's host dies is resumed by another
worker, and a stopping worker hands its runs over. Every host needs the same pipeline files at the
same path, and outputs every host can see.

options:
  --redis <url>       the cluster's Redis (default: PLUMB_REDIS_URL, else plumb.toml [cluster] redis)
  --concurrency N     jobs at once on this worker (default 1)
  --runs N            runs coordinated at once on this worker (default 8; 0: tasks only)
  --name <name>       shown on each task it runs (default: <hostname>:<pid>)

exit codes: 0 stopped by SIGINT/SIGTERM after its active jobs, 2 usage error (command line,
plumb.toml, plumb-cluster not installed), 70 plumb itself crashed
`;

/** `plumb worker …`. */
export function workerCommand(argv: string[], host: CliHost): Promise<number> {
  let redis: string | undefined;
  let concurrency = 1;
  let runs = 8;
  let name = defaultWorkerName();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw host.usageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--redis') redis = value();
    else if (flag === '--concurrency') {
      const text = value();
      concurrency = Number(text);
      if (!Number.isSafeInteger(concurrency) || concurrency < 1)
        throw host.usageError(`--concurrency expects a whole number ≥ 1, got '${text}'`);
    } else if (flag === '--runs') {
      const text = value();
      runs = Number(text);
      if (!Number.isSafeInteger(runs) || runs < 0)
        throw host.usageError(`--runs expects a whole number ≥ 0, got '${text}'`);
    } else if (flag === '--name') name = value();
    else throw host.usageError(`unknown option '${arg}'\n\n${WORKER_HELP}`);
  }
  redis = redisUrl(host, redis);
  if (!redis)
    throw host.usageError(
      `plumb worker needs --redis <url>, PLUMB_REDIS_URL or plumb.toml [cluster] redis\n\n${WORKER_HELP}`,
    );
  return runWorker(host, { redis, concurrency, name, runs });
}

/**
 * The run's config with every task that has run() isolated: on a cluster every attempt runs on a
 * worker, never in the submitter.
 */
export function isolateEveryTask<T extends { tasks: Record<string, object> }>(config: T): void {
  const tasks = config.tasks;
  config.tasks = new Proxy(tasks, {
    get: (target, family) =>
      typeof family === 'string' ? { ...(target[family] ?? {}), isolate: true } : undefined,
  });
}
