// `plumb queue stats|failed|retry`: the task queue as BullMQ sees it. stats --json is what an
// autoscaler reads (scale out while waiting > 0, in when active = 0); failed is the dead-letter list
// (attempts whose task exhausted its retries), retry puts them back on the queue. An attempt its run
// retried is kept until the run ends (resumed-attempts.ts) but is no dead letter: left out of all three.
import { Queue } from 'bullmq';
import { redisUrl, type CliHost } from './host';
import { connectionOf, TASK_QUEUE, type TaskJobData } from './job';
import { SUPERSEDED_KEY } from './resumed-attempts';
import { RUN_QUEUE } from './run-job';

// Failed jobs that are superseded attempts (KEYS: superseded set, failed zset).
const SUPERSEDED_FAILED = `local n = 0
for _, id in ipairs(redis.call('smembers', KEYS[1])) do
  if redis.call('zscore', KEYS[2], id) then n = n + 1 end
end
return n`;

export const QUEUE_HELP = `usage: plumb queue stats [--json] | failed [--json] | retry <job-id …|--all>  [--redis <url>]

  stats     jobs waiting (incl. prioritised), active, delayed, failed, and connected workers
            (runs waiting for a worker to coordinate them, or coordinated, count as waiting, active)
  failed    the dead-letter list: each task attempt that exhausted its retries, with its error
  retry     puts failed jobs back on the queue (--all: every one)

options:
  --redis <url>   the cluster's Redis (default: PLUMB_REDIS_URL, else plumb.toml [cluster] redis)
  --json          one JSON document on stdout

exit codes: 0 done, 2 usage error (command line, plumb.toml, no such failed job, plumb-cluster not
installed), 70 plumb itself crashed
`;

export interface QueueStats {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  workers: number;
}

/**
 * The task queue's counts, with the runs queue's (when given) in waiting and active: a run nobody
 * coordinates yet needs a worker as much as a task does (with no worker up, a submitted run adds no
 * task job until one starts), and a run being coordinated still needs its worker.
 */
export async function queueStats(queue: Queue, runs?: Queue): Promise<QueueStats> {
  const counts = await queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed');
  const runCounts = runs ? await runs.getJobCounts('waiting', 'prioritized', 'active') : {};
  const workers = await queue.getWorkersCount();
  const client = await queue.client;
  client.defineCommand('plumbSupersededFailed', { numberOfKeys: 2, lua: SUPERSEDED_FAILED });
  const superseded = (await client.runCommand('plumbSupersededFailed', [
    SUPERSEDED_KEY,
    queue.keys.failed!,
  ])) as number;
  return {
    waiting:
      (counts.waiting ?? 0) +
      (counts.prioritized ?? 0) +
      (runCounts.waiting ?? 0) +
      (runCounts.prioritized ?? 0),
    active: (counts.active ?? 0) + (runCounts.active ?? 0),
    delayed: counts.delayed ?? 0,
    failed: Math.max(0, (counts.failed ?? 0) - superseded),
    workers,
  };
}

export async function queueCommand(argv: string[], host: CliHost): Promise<number> {
  let redis: string | undefined;
  let json = false;
  let all = false;
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--redis' || arg.startsWith('--redis=')) {
      redis = arg.includes('=') ? arg.slice('--redis='.length) : argv[++i];
      if (!redis) throw host.usageError('--redis needs a value');
    } else if (arg === '--json') json = true;
    else if (arg === '--all') all = true;
    else if (arg.startsWith('-')) throw host.usageError(`unknown option '${arg}'\n\n${QUEUE_HELP}`);
    else positionals.push(arg);
  }
  const [verb, ...ids] = positionals;
  if (verb !== 'stats' && verb !== 'failed' && verb !== 'retry')
    throw host.usageError(`plumb queue needs stats, failed or retry\n\n${QUEUE_HELP}`);
  if (verb === 'retry' && all === ids.length > 0)
    throw host.usageError('plumb queue retry takes job ids or --all (one of them)');
  if (verb !== 'retry' && (all || ids.length > 0))
    throw host.usageError(`plumb queue ${verb} takes no arguments but --json`);
  redis = redisUrl(host, redis);
  if (!redis)
    throw host.usageError('plumb queue needs --redis <url>, PLUMB_REDIS_URL or plumb.toml [cluster] redis');
  const queue = new Queue<TaskJobData>(TASK_QUEUE, { connection: connectionOf(redis) });
  try {
    if (verb === 'stats') {
      const runs = new Queue(RUN_QUEUE, { connection: connectionOf(redis) });
      const stats = await queueStats(queue, runs).finally(() => runs.close());
      process.stdout.write(
        json
          ? `${JSON.stringify(stats)}\n`
          : `waiting ${stats.waiting}, active ${stats.active}, delayed ${stats.delayed}, failed ${stats.failed}, workers ${stats.workers}\n`,
      );
      return 0;
    }
    const deadLetters = async () => {
      const jobs = await queue.getFailed();
      const superseded = new Set(await (await queue.client).smembers(SUPERSEDED_KEY));
      return jobs.filter((job) => !superseded.has(job.id!));
    };
    if (verb === 'failed') {
      const jobs = await deadLetters();
      const rows = jobs.map((job) => ({
        id: job.id,
        taskId: job.data.taskId,
        runId: job.data.runId,
        attempt: job.data.attempt,
        error: job.failedReason,
        failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : undefined,
      }));
      if (json) process.stdout.write(`${JSON.stringify(rows)}\n`);
      else if (rows.length === 0) process.stdout.write('no failed jobs\n');
      else for (const r of rows) process.stdout.write(`${r.id}  ${r.taskId}  ${r.error}\n`);
      return 0;
    }
    if (all) {
      const jobs = await deadLetters();
      for (const job of jobs) await job.retry('failed');
      process.stdout.write(`requeued ${jobs.length} failed job${jobs.length === 1 ? '' : 's'}\n`);
      return 0;
    }
    const letters = new Set((await deadLetters()).map((job) => job.id));
    for (const id of ids) {
      const job = await queue.getJob(id);
      if (!job || !letters.has(id))
        throw host.usageError(`no failed job ${id} (plumb queue failed lists them)`);
      await job.retry('failed');
      process.stdout.write(`requeued ${id} (${job.data.taskId})\n`);
    }
    return 0;
  } finally {
    await queue.close();
  }
}
