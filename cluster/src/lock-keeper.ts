// Keeps the locks of a worker's jobs alive from a thread of its own. BullMQ renews a job's lock on
// the worker's event loop; a task run in the worker's process whose run() blocks that loop (a long
// synchronous computation, fine in a local run) would let its lock lapse, and that of the runs this
// worker coordinates: another worker would run the job a second time while this one still runs it.
// The thread goes on renewing while the loop is blocked, and dies with the process (SIGKILL) or
// loses Redis with it (a cut-off host), so a job whose worker is really gone is still found stalled
// and retried elsewhere.
import { Worker as Thread } from 'node:worker_threads';
import { type ConnectionOptions, type Job, type Worker } from 'bullmq';

export interface LockKeeper {
  /** Renews the lock of each job `worker` (of `queue`) takes, until the job ends. */
  watch(worker: Worker, queue: string): void;
  /** Resolves once the thread is connected for every queue watched: before the worker takes jobs. */
  ready(): Promise<void>;
  /** Stops renewing (a stopping worker hands its runs over: their locks must lapse). */
  close(): Promise<void>;
}

// The thread: BullMQ's own extendLock (the script that also takes the job out of the stalled set).
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const { Queue, Job } = require(workerData.bullmq);
const { connection, lockDuration } = workerData;
const queues = new Map();
const held = new Map();
const queueOf = (name) => queues.get(name) ?? queues.set(name, new Queue(name, { connection })).get(name);
const renew = () => {
  for (const { queue, jobId, token } of held.values())
    void new Job(queueOf(queue), '', {}, {}, jobId)
      .extendLock(token, lockDuration)
      .then((ok) => ok || held.delete(queue + '\\0' + jobId)) // no longer ours (taken, ended)
      .catch(() => undefined);
};
const timer = setInterval(renew, lockDuration / 4);
parentPort.on('message', (m) => {
  if (m.type === 'prepare')
    void queueOf(m.queue).waitUntilReady().then(
      () => parentPort.postMessage({ type: 'prepared', queue: m.queue }),
      (e) => parentPort.postMessage({ type: 'prepared', queue: m.queue, error: String(e) }),
    );
  else if (m.type === 'hold') held.set(m.queue + '\\0' + m.jobId, m);
  else if (m.type === 'release') held.delete(m.queue + '\\0' + m.jobId);
  else {
    clearInterval(timer);
    void Promise.allSettled([...queues.values()].map((q) => q.close())).then(() => parentPort.close());
  }
});
`;

/**
 * Started at once, not with the first job: a thread starting while a job's run() blocks the loop
 * (on a loaded machine, longer than a lock) would renew too late.
 */
export function lockKeeper(connection: ConnectionOptions, lockDuration: number): LockKeeper {
  const thread = new Thread(THREAD, {
    eval: true,
    workerData: { bullmq: require.resolve('bullmq'), connection, lockDuration },
  });
  thread.unref();
  thread.on('error', (e) => process.stderr.write(`plumb worker: lock keeper: ${e.message}\n`));
  const post = (m: object) => thread.postMessage(m);
  const preparing = new Map<string, Promise<void>>();
  let closed = false;
  return {
    watch(worker, queue) {
      preparing.set(
        queue,
        new Promise<void>((resolve) => {
          const onMessage = (m: { type: string; queue: string }) => {
            if (m.type !== 'prepared' || m.queue !== queue) return;
            thread.off('message', onMessage);
            resolve();
          };
          thread.on('message', onMessage);
          post({ type: 'prepare', queue });
        }),
      );
      worker.on('active', (job: Job) => {
        if (!closed && job.id && job.token) post({ type: 'hold', queue, jobId: job.id, token: job.token });
      });
      const release = (job: Job | undefined) => {
        if (job?.id) post({ type: 'release', queue, jobId: job.id });
      };
      worker.on('completed', release);
      worker.on('failed', release);
    },
    async ready() {
      await Promise.all(preparing.values());
    },
    async close() {
      closed = true;
      const exited = new Promise((resolve) => thread.once('exit', resolve));
      thread.postMessage({ type: 'close' });
      await exited;
    },
  };
}
