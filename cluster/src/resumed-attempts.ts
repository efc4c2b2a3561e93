// A run's attempts, exact across coordinators. The scheduler counts each task's attempts by its
// policy and each attempt is a job whose id is fixed by (run, task, attempt), so an attempt added
// twice (by a scheduler that died and the one resuming its run) is one job. Two rules keep that true:
// - a failed attempt the scheduler retries keeps its job until the run ends (superseded: hidden from
//   the dead-letter list, removed by the coordinator then), so the highest attempt a task has had is
//   always there to be found, and an id once used is never added again while the run lives;
// - a resumed scheduler's first attempt of each task follows the highest attempt job the run has,
//   whatever its state, and tells the scheduler that attempt's number: its retries count from there
//   and its task-running names the real attempt (run-splice.ts then drops what the log already says).
// A cancelled attempt is waited for until its worker has stopped it (run-cancel.ts), then removed;
// an attempt stopped for a cancel this scheduler was not yet told of waits for the run's cancel.
import { Queue, type Job } from 'bullmq';
import {
  type AttemptHooks,
  type AttemptNode,
  type AttemptOutcome,
  type AttemptRunner,
  type CliHost,
} from './host';
import { connectionOf, jobIdOf, TASK_QUEUE } from './job';
import { runCancelKey } from './run-job';
import { clusterSubmitter as newSubmitter, type ClusterSubmitter, type SubmitOptions } from './submit';

/** Set by the coordinator for a scheduler that resumes a run (coordinator.ts). */
export const RESUMED_ENV = 'PLUMB_CLUSTER_RESUMED';

/** Every superseded attempt's job id (queue-command.ts leaves them out of the dead-letter list). */
export const SUPERSEDED_KEY = 'plumb:tasks:superseded';
/** A run's superseded attempts, removed when the run ends (coordinator.ts). */
export const runSupersededKey = (runId: string) => `plumb:run:${runId}:superseded`;

/** How long a cancelled attempt's worker has to stop it before the run stops waiting for it. */
const CANCEL_GRACE_MS = Number(process.env.PLUMB_CLUSTER_CANCEL_GRACE_MS) || 10_000;
/** A run's keys outlive it by this at most (coordinator.ts expires them sooner). */
const KEEP_S = 7 * 24 * 3600;

// KEYS: global set, run's set; ARGV: job id, seconds.
const SUPERSEDE = `redis.call('sadd', KEYS[1], ARGV[1])
redis.call('sadd', KEYS[2], ARGV[1])
redis.call('expire', KEYS[2], ARGV[2])
return 1`;

/** The run's submitter: attempts numbered as the run has them, whichever scheduler makes them. */
export function clusterSubmitter(host: CliHost, options: SubmitOptions): ClusterSubmitter {
  const inner = newSubmitter(host, options);
  const resumed = Boolean(process.env[RESUMED_ENV]);
  const queue = new Queue(TASK_QUEUE, { connection: connectionOf(options.redis) });
  const client = queue.client.then((c) => {
    c.defineCommand('plumbSupersede', { numberOfKeys: 2, lua: SUPERSEDE });
    return c;
  });
  const supersede = async (jobId: string) =>
    (await client).runCommand('plumbSupersede', [
      SUPERSEDED_KEY,
      runSupersededKey(options.runId),
      jobId,
      String(KEEP_S),
    ]);
  /**
   * Its coordinator is about to cancel the whole run as Ctrl-C cancels it (a SIGINT to this process,
   * within its watch's 250 ms): the attempt is settled once it has, or the run could end "incomplete"
   * first. Not a signal of our own: a second SIGINT would end the run at once.
   */
  const runCancelled = (hooks: AttemptHooks) =>
    new Promise<void>((resolve) => {
      if (hooks.signal.aborted) return resolve();
      const timer = setTimeout(resolve, CANCEL_GRACE_MS);
      hooks.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
  const cancelled = async () =>
    (await (await client).get(runCancelKey(options.runId)).catch(() => null)) !== null;
  /** Tasks whose attempts this scheduler has begun (a resumed one looks for earlier ones once). */
  const begun = new Set<string>();

  const runner: AttemptRunner = async (node, hooks, attempt, spawned) => {
    let number = attempt;
    let announce = spawned;
    if (resumed && !begun.has(node.id)) {
      begun.add(node.id);
      const found = await highestAttempt(queue, options.runId, node.id, options.retriesOf(node.task) + 1);
      if (found) {
        number = found.number;
        let said = false;
        // Said once, with the real number (the job's own report or its end may come later).
        announce = (pid, worker) => {
          if (said) return;
          said = true;
          spawned(pid, worker, found.number);
        };
        const state = await found.job.getState();
        if (state === 'active' && found.job.processedBy) announce(undefined, found.job.processedBy);
        // Its end came before this scheduler listened for it.
        if (state === 'completed') {
          announce(undefined, found.job.processedBy);
          return { kind: 'done' };
        }
        if (state === 'failed') {
          announce(undefined, found.job.processedBy);
          return settled(node, hooks, number, { kind: 'failed', error: new Error(found.job.failedReason) });
        }
      }
    } else begun.add(node.id);
    return settled(node, hooks, number, await inner.runner(node, hooks, number, announce));
  };

  /** A failed attempt the scheduler retries is superseded; a cancelled one is stopped, then removed. */
  async function settled(
    node: AttemptNode,
    hooks: AttemptHooks,
    number: number,
    outcome: AttemptOutcome,
  ): Promise<AttemptOutcome> {
    if (outcome.kind !== 'failed') return outcome;
    const jobId = jobIdOf(options.runId, node.id, number);
    // Its worker stopped it for a cancel this scheduler has not been told of yet (run-cancel.ts).
    if (!outcome.cancelled && (await cancelled())) {
      await runCancelled(hooks);
      outcome = { ...outcome, cancelled: true };
    }
    if (outcome.cancelled) await stopped(jobId);
    else if (number <= options.retriesOf(node.task)) await supersede(jobId).catch(() => undefined);
    return outcome;
  }

  /** Waits until a cancelled attempt's worker has stopped it, then takes its job off the queue. */
  async function stopped(jobId: string): Promise<void> {
    const deadline = Date.now() + CANCEL_GRACE_MS;
    for (;;) {
      const job = await queue.getJob(jobId).catch(() => undefined);
      if (!job) return;
      const state = await job.getState().catch(() => 'unknown');
      if (state !== 'active' || Date.now() > deadline) {
        await queue.remove(jobId).catch(() => supersede(jobId).catch(() => undefined));
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  return {
    runner,
    ready: inner.ready,
    async close() {
      await Promise.allSettled([inner.close(), queue.close()]);
    },
  };
}

/** The task's highest attempt job in the run (failed attempts before the run's end are kept). */
async function highestAttempt(
  queue: Queue,
  runId: string,
  taskId: string,
  most: number,
): Promise<{ number: number; job: Job } | undefined> {
  const jobs = await Promise.all(
    Array.from({ length: most }, (_, i) => queue.getJob(jobIdOf(runId, taskId, i + 1))),
  );
  for (let k = most; k >= 1; k--) if (jobs[k - 1]) return { number: k, job: jobs[k - 1] as Job };
  return undefined;
}

// KEYS: global set, run's set; ARGV: the run's job ids removed.
const FORGET = `for i = 1, #ARGV do redis.call('srem', KEYS[1], ARGV[i]) end
return redis.call('del', KEYS[2])`;

/** Removes a finished run's superseded attempts (coordinator.ts, when the run ends). */
export async function removeSuperseded(queue: Queue, runId: string): Promise<void> {
  const c = await queue.client;
  const ids = await c.smembers(runSupersededKey(runId));
  for (const id of ids) await queue.remove(id).catch(() => undefined);
  c.defineCommand('plumbForgetSuperseded', { numberOfKeys: 2, lua: FORGET });
  await c.runCommand('plumbForgetSuperseded', [SUPERSEDED_KEY, runSupersededKey(runId), ...ids]);
}
