// The submitter's side of `plumb run --cluster`: the run's scheduler stays where it is (the graph is
// resolved once, completions release dependents, retries follow each task's policy), and each attempt
// becomes a job on the task queue; QueueEvents brings back its progress, logs, worker and end.
import { Queue, QueueEvents } from 'bullmq';
import {
  type AttemptHooks,
  type AttemptNode,
  type AttemptOutcome,
  type AttemptRunner,
  type CliHost,
} from './host';
import { trace } from './trace';
import {
  connectionOf,
  jobIdOf,
  sourceHash,
  TASK_QUEUE,
  timedOutMessage,
  type TaskJobData,
  type TaskJobProgress,
  type TaskJobResult,
} from './job';

/** How long a job may go without news before its state is asked for (a missed completion). */
const RECONCILE_MS = Number(process.env.PLUMB_CLUSTER_RECONCILE_MS) || 5000;

/** The id of a stream's last entry ('0-0' while it has none). */
const LAST_ID = `local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
return last[1] and last[1][1] or '0-0'`;

/** Where runs without --priority stand: ad-hoc runs go ahead with a smaller number (1 first). */
export const DEFAULT_PRIORITY = 100;

interface Pending {
  hooks: AttemptHooks;
  spawned: (pid: number | undefined, worker?: string) => void;
  announced: boolean;
  /** When it was added or last asked about (reconcile). */
  since: number;
  /** The attempt's timeout, kept by its worker (0: none). */
  timeoutMs: number;
  resolve(outcome: AttemptOutcome): void;
}

export interface ClusterSubmitter {
  runner: AttemptRunner;
  ready: Promise<void>;
  close(): Promise<void>;
}

export interface SubmitOptions {
  redis: string;
  runId: string;
  module: string;
  projectRoot: string;
  /** How many retries the task's own policy gives it (the scheduler's). */
  retriesOf(task: AttemptNode['task']): number;
  /** The task's timeout by its policy (0: none), which its worker keeps. */
  timeoutOf(task: AttemptNode['task']): number;
  /** BullMQ priority: 1 runs first; by default DEFAULT_PRIORITY, so an ad-hoc run can jump ahead. */
  priority?: number;
}

export function clusterSubmitter(host: CliHost, options: SubmitOptions): ClusterSubmitter {
  const connection = connectionOf(options.redis);
  const queue = new Queue<TaskJobData>(TASK_QUEUE, {
    connection,
    // Room for every event of a big run's jobs while this submitter reads them.
    streams: { events: { maxLen: 100_000 } },
  });
  const hash = sourceHash(options.module);
  const pending = new Map<string, Pending>();
  const announce = (p: Pending, pid: number | undefined, worker?: string) => {
    if (p.announced) return;
    p.announced = true;
    p.spawned(pid, worker);
  };
  const onProgress = ({ jobId, data }: { jobId: string; data: unknown }) => {
    const p = pending.get(jobId);
    if (!p || typeof data !== 'object' || data === null) return;
    const progress = data as TaskJobProgress;
    for (const report of progress.kind === 'batch' ? progress.reports : [progress]) {
      if (report.kind === 'running') {
        announce(p, report.pid, report.worker);
        p.hooks.log('info', `running on worker ${report.worker}`);
      } else if (report.kind === 'log') p.hooks.log(report.level, report.text);
      else if (report.kind === 'progress') p.hooks.progress(report.fraction);
      else if (report.kind === 'status') p.hooks.status(report.message, report.rows);
    }
  };
  const completed = (jobId: string, result: unknown) => {
    trace('sub-completed', jobId);
    const p = pending.get(jobId);
    if (!p) return;
    pending.delete(jobId);
    // A quick task's worker said where it ran only in its result.
    const r = result as Partial<TaskJobResult> | null | undefined;
    if (!p.announced && typeof r?.worker === 'string' && typeof r.pid === 'number') {
      announce(p, r.pid, r.worker);
      p.hooks.log('info', `running on worker ${r.worker}`);
    }
    announce(p, undefined);
    p.resolve({ kind: 'done' });
  };
  const failed = (jobId: string, failedReason: string) => {
    const p = pending.get(jobId);
    if (!p) return;
    pending.delete(jobId);
    announce(p, undefined);
    // An attempt the scheduler retries stays until the run ends, hidden from the dead-letter list
    // (resumed-attempts.ts): its id stays taken, so a resumed run counts it.
    const timedOut = p.timeoutMs > 0 && failedReason === timedOutMessage(p.hooks.taskId, p.timeoutMs);
    p.resolve({ kind: 'failed', error: new Error(failedReason), ...(timedOut ? { timedOut } : {}) });
  };
  // QueueEvents alone reads from '$' only once its loop is going, and a job added before that loses
  // the events it fires meanwhile (its worker's name, even its end): it reads from the stream's last
  // entry as it was before this submitter added anything.
  const queueEvents = (async () => {
    const client = await queue.client;
    client.defineCommand('plumbLastEventId', { numberOfKeys: 1, lua: LAST_ID });
    const lastEventId = (await client.runCommand('plumbLastEventId', [queue.keys.events])) as string;
    const events = new QueueEvents(TASK_QUEUE, { connection, lastEventId });
    events.on('progress', onProgress);
    events.on('completed', ({ jobId, returnvalue }) => completed(jobId, returnvalue));
    events.on('failed', ({ jobId, failedReason }) => failed(jobId, failedReason));
    await events.waitUntilReady();
    return events;
  })();
  // QueueEvents reads a capped stream: a submitter that falls behind (a loaded machine, thousands of
  // jobs) can find an end trimmed away. Jobs with no news for a while are asked for their state.
  const reconcile = setInterval(() => {
    const now = Date.now();
    for (const [jobId, p] of pending) {
      if (now - p.since < RECONCILE_MS) continue;
      p.since = now;
      void queue
        .getJob(jobId)
        .then(async (job) => {
          const state = job ? await job.getState() : undefined;
          if (state === 'completed') completed(jobId, job!.returnvalue);
          else if (state === 'failed') failed(jobId, job!.failedReason);
        })
        .catch(() => undefined);
    }
  }, RECONCILE_MS / 2);
  reconcile.unref();
  const ready = Promise.all([queue.waitUntilReady(), queueEvents]).then(() => undefined);

  const runner: AttemptRunner = async (node: AttemptNode, hooks, attempt, spawned) => {
    await ready;
    const task = node.task;
    const jobId = jobIdOf(options.runId, node.id, attempt);
    trace('sub-dispatch', jobId);
    const timeoutMs = options.timeoutOf(task);
    const outcome = new Promise<AttemptOutcome>((resolve) =>
      pending.set(jobId, {
        hooks,
        spawned,
        announced: false,
        since: Date.now(),
        timeoutMs,
        resolve,
      }),
    );
    const data: TaskJobData = {
      runId: options.runId,
      taskId: node.id,
      module: options.module,
      sourceHash: hash,
      projectRoot: options.projectRoot,
      family: task.taskFamily,
      params: host.taskParamStrings(task),
      attempt,
      ...(timeoutMs > 0 ? { timeoutMs } : {}),
    };
    await queue.add(task.taskFamily, data, {
      jobId,
      // The scheduler retries by the task's policy, each attempt a job of its own; a job is retried
      // here only when its worker died (stalled), which BullMQ does by itself.
      attempts: 1,
      // Kept a while, so a completion whose event was missed is still found (reconcile).
      removeOnComplete: { age: 3600, count: 100_000 },
      removeOnFail: false,
      // Every job has a priority: BullMQ runs jobs without one before all prioritised jobs.
      priority: options.priority ?? DEFAULT_PRIORITY,
    });
    trace('sub-added', jobId);
    const onAbort = () => {
      const p = pending.get(jobId);
      if (!p) return;
      // The scheduler's own timer counts from the dispatch, waits in the queue included: the worker
      // keeps the timeout from the attempt's start and stops it there, and its failure says so. Not
      // settling here is what keeps a retry from starting beside an attempt still running.
      if (
        timeoutMs > 0 &&
        hooks.signal.reason instanceof Error &&
        hooks.signal.reason.name === 'TaskTimeoutError'
      )
        return;
      pending.delete(jobId);
      void queue.remove(jobId).catch(() => undefined);
      const reason: unknown = hooks.signal.reason;
      p.resolve({ kind: 'failed', error: reason, cancelled: true });
    };
    hooks.signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await outcome;
    } finally {
      hooks.signal.removeEventListener('abort', onAbort);
    }
  };
  return {
    runner,
    ready,
    async close() {
      clearInterval(reconcile);
      await Promise.allSettled([queueEvents.then((events) => events.close()), queue.close()]);
    },
  };
}
