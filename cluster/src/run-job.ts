// The run job: a cluster run's coordination (its scheduler and the relay of its events into Redis)
// is a BullMQ job on the runs queue, taken by any `plumb worker` (coordinator.ts). Its lock is
// renewed while its coordinator lives; a coordinator whose host dies stops renewing, the job is
// found stalled and another worker takes it and resumes the run. The submitter only adds the job
// (its id is the run id) and follows the run's event stream (run-stream.ts).
import { Queue, QueueEvents } from 'bullmq';
import { connectionOf } from './job';
import { runStreamKey } from './run-stream';

/** One queue for run jobs; run-stream.ts's keys live beside it. */
export const RUN_QUEUE = 'plumb-runs';

export interface RunJobData {
  runId: string;
  /** The submitter's working directory, the same path on every host (a shared file system). */
  cwd: string;
  /** The scheduler's command line (`run <file> <Task> … --cluster <url>`), without --events. */
  argv: string[];
  /** The submitter's PLUMB_* environment (test clocks, TTLs), laid over the worker's own. */
  env: Record<string, string>;
  /** Where the submitter ran, for the record. */
  submitter: { host: string; pid: number };
}

/** What a coordinator reports on the run job before the run's first event (a lock being waited for). */
export interface RunJobProgress {
  note: string;
}

/** Who coordinates the run now: a coordinator writes the run's events only while it is the owner. */
export const runOwnerKey = (runId: string) => `plumb:run:${runId}:owner`;
/** Set by a cancel (the submitter's Ctrl-C, plumb run --cancel): the coordinator stops the run's scheduler as a local Ctrl-C would. */
export const runCancelKey = (runId: string) => `plumb:run:${runId}:cancel`;
/** Where cancels are announced to every worker at once (run-cancel.ts stops the runs' attempts). */
export const RUN_CANCELS_STREAM = 'plumb:run-cancels';

// KEYS: the run's cancel key, the cancels stream; ARGV: run id, seconds.
const CANCEL = `redis.call('set', KEYS[1], '1', 'EX', ARGV[2])
redis.call('xadd', KEYS[2], 'MAXLEN', '~', '1000', '*', 'r', ARGV[1])
return 1`;

/** How long a finished run job is kept: a fire retried after its worker died finds it, not a new run. */
const KEEP_DONE_S = 24 * 3600;

/** A submitter's handle on its run job (notes come through the job's progress). */
export interface SubmittedRun {
  /** Resolves once the job is on the queue (or was already: same run id). */
  added: Promise<void>;
  /** Resolves with the reason when the run job failed outside its run (it could not start a scheduler). */
  failed: Promise<string>;
  cancel(): Promise<void>;
  close(): Promise<void>;
}

export function submitRun(
  redis: string,
  data: RunJobData,
  onNote: (text: string) => void,
  priority?: number,
): SubmittedRun {
  const connection = connectionOf(redis);
  const queue = new Queue<RunJobData>(RUN_QUEUE, { connection });
  const events = new QueueEvents(RUN_QUEUE, { connection });
  let fail: (reason: string) => void = () => undefined;
  const failed = new Promise<string>((resolve) => (fail = resolve));
  events.on('progress', ({ jobId, data: progress }) => {
    if (jobId === data.runId && typeof progress === 'object' && progress !== null && 'note' in progress)
      onNote((progress as RunJobProgress).note);
  });
  events.on('failed', ({ jobId, failedReason }) => {
    if (jobId === data.runId) fail(failedReason);
  });
  // Listening before the job exists: no note of the run is missed.
  const added = events.waitUntilReady().then(async () => {
    await queue.add('run', data, {
      jobId: data.runId,
      attempts: 1,
      removeOnComplete: { age: KEEP_DONE_S },
      removeOnFail: { age: KEEP_DONE_S },
      ...(priority !== undefined ? { priority } : {}),
    });
  });
  return {
    added,
    failed,
    cancel: () => cancelRun(queue, data.runId),
    async close() {
      await Promise.allSettled([events.close(), queue.close()]);
    },
  };
}

/**
 * `plumb run --cancel <runId>`, from any host: 'cancelled' when the run was going (or waiting for a
 * worker), 'finished' when it had already ended, 'unknown' when Redis knows no such run.
 */
export async function cancelRunById(
  redis: string,
  runId: string,
): Promise<'cancelled' | 'finished' | 'unknown'> {
  const queue = new Queue(RUN_QUEUE, { connection: connectionOf(redis) });
  try {
    const job = await queue.getJob(runId);
    const state = job ? await job.getState() : undefined;
    if (state === 'completed' || state === 'failed') return 'finished';
    if (!job) {
      // Its job may have been removed with age while its events are kept longer (run-stream.ts).
      const client = await queue.client;
      client.defineCommand('plumbStreamLength', {
        numberOfKeys: 1,
        lua: `return redis.call('xlen', KEYS[1])`,
      });
      const events = (await client.runCommand('plumbStreamLength', [runStreamKey(runId)])) as number;
      return events > 0 ? 'finished' : 'unknown';
    }
    await cancelRun(queue, runId);
    return 'cancelled';
  } finally {
    await queue.close();
  }
}

/**
 * Cancels a run from anywhere: its coordinator stops its scheduler as Ctrl-C stops a local run, and
 * every worker running one of its attempts kills it (run-cancel.ts). The key stays, so a coordinator
 * that takes the run up later, or a worker that picks up one of its jobs, finds it cancelled.
 */
export async function cancelRun(queue: Queue, runId: string): Promise<void> {
  const client = await queue.client;
  client.defineCommand('plumbRunCancel', { numberOfKeys: 2, lua: CANCEL });
  await client.runCommand('plumbRunCancel', [
    runCancelKey(runId),
    RUN_CANCELS_STREAM,
    runId,
    String(KEEP_DONE_S),
  ]);
}
