// plumb.toml's schedules run from the queue: `plumb schedule --cluster` turns each schedule item into
// a BullMQ job scheduler (its cron and time zone), and every `plumb worker` takes the fires. Redis
// holds the schedules, so no host is special and a dead host loses none: the next fire is a job any
// worker takes, and a fire whose worker died is stalled and taken by another.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { Queue, Worker, type Job } from 'bullmq';
import { type CliHost } from './host';
import { connectionOf } from './job';

export const SCHEDULE_QUEUE = 'plumb-schedules';

/** One schedule item (a fan-out value set of a schedule), as plumb.toml names it. */
export interface ScheduleEntry {
  /** itemName: `nightly` or `per-customer[customer=a]`. */
  item: string;
  cron: string;
  timezone: string;
}

export interface FireJobData {
  projectRoot: string;
  item: string;
}

/** A job scheduler per project and item: two projects on one Redis keep their own. */
const schedulerId = (projectRoot: string, item: string) => `${projectRoot}#${item}`;

/** Registers the project's schedule items (replacing what it registered before); returns what changed. */
export async function registerSchedules(
  redis: string,
  projectRoot: string,
  entries: readonly ScheduleEntry[],
): Promise<{ registered: string[]; removed: string[] }> {
  const queue = new Queue<FireJobData>(SCHEDULE_QUEUE, { connection: connectionOf(redis) });
  try {
    const wanted = new Set(entries.map((e) => schedulerId(projectRoot, e.item)));
    const removed: string[] = [];
    for (const existing of await queue.getJobSchedulers(0, -1)) {
      const id = existing.key;
      if (id.startsWith(`${projectRoot}#`) && !wanted.has(id)) {
        await queue.removeJobScheduler(id);
        removed.push(id.slice(projectRoot.length + 1));
      }
    }
    for (const e of entries)
      await queue.upsertJobScheduler(
        schedulerId(projectRoot, e.item),
        { pattern: e.cron, tz: e.timezone },
        {
          name: e.item,
          data: { projectRoot, item: e.item },
          // A run's own failures are in its run log; a fire is done once its run has ended.
          opts: { attempts: 1, removeOnComplete: 100, removeOnFail: 100 },
        },
      );
    return { registered: entries.map((e) => e.item), removed };
  } finally {
    await queue.close();
  }
}

/** When a fire job was due: the job scheduler's next time it was made for. */
function fireTime(job: Job<FireJobData>): number {
  return job.opts.prevMillis ?? job.timestamp + (job.opts.delay ?? 0);
}

/**
 * A fire's run id, the same however often the fire is taken (a worker that fired it died): the fire
 * taken again follows the run already going rather than starting a second one.
 */
export function fireRunId(job: Job<FireJobData>): string {
  const stamp = new Date(fireTime(job)).toISOString().replace(/[-:.]/g, '');
  const which = createHash('sha1').update(`${job.data.projectRoot}#${job.data.item}`).digest('hex');
  return `${stamp}-${which.slice(0, 4)}`;
}

/**
 * The worker's side: each fire becomes `plumb run … --cluster` (its tasks are jobs like any other),
 * waited for, so the fire's job lasts as long as its run.
 */
export function scheduleWorker(
  host: CliHost,
  options: { redis: string; name: string; concurrency: number },
): Worker<FireJobData> {
  const processor = async (job: Job<FireJobData>) => {
    const { projectRoot, item } = job.data;
    const args = host.fireRunArguments(projectRoot, item, new Date(fireTime(job)));
    if (!args) {
      process.stderr.write(
        `plumb worker ${options.name}: schedule ${item} is no longer in ${projectRoot}/plumb.toml; run plumb schedule --cluster there to update the queue\n`,
      );
      return { skipped: true };
    }
    const child = spawn(process.execPath, [host.cliScript, ...args, '--cluster', options.redis], {
      cwd: projectRoot,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', PLUMB_CLUSTER_RUN_ID: fireRunId(job) },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    const runId = /run (\S+) is on the cluster/.exec(stderr)?.[1];
    process.stderr.write(
      `plumb worker ${options.name}: schedule ${item} fired run ${runId ?? '?'} (exit ${code})\n`,
    );
    return { runId, exitCode: code };
  };
  return new Worker<FireJobData>(SCHEDULE_QUEUE, processor, {
    connection: connectionOf(options.redis),
    concurrency: options.concurrency,
    name: options.name,
    // A fire whose worker died is found as soon as a task's job would be, and fired again elsewhere.
    lockDuration: Number(process.env.PLUMB_CLUSTER_LOCK_MS) || 10_000,
    stalledInterval: Number(process.env.PLUMB_CLUSTER_STALLED_MS) || 5_000,
  });
}
