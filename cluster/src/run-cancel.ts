// A worker's side of cancelling a cluster run: the attempts it runs for a cancelled run are aborted
// (an isolated attempt's process group is killed, as a local Ctrl-C kills it), whichever host asked.
// Cancels are announced on a stream every worker block-reads (run-job.ts cancelRun), and the run's
// cancel key stays: an attempt that starts after the cancel, or a worker that was away from Redis
// when it was announced, still finds it.
import { Queue } from 'bullmq';
import { connectionOf } from './job';
import { RUN_CANCELS_STREAM, RUN_QUEUE, runCancelKey } from './run-job';

export interface RunCancels {
  /** Aborts `controller` when run `runId` is (or was) cancelled; the returned function stops watching. */
  watch(runId: string, controller: AbortController): () => void;
  close(): Promise<void>;
}

/** The id of a stream's last entry ('0-0' while it has none). */
const LAST_ID = `local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
return last[1] and last[1][1] or '0-0'`;

export function runCancels(redis: string): RunCancels {
  const queue = new Queue(RUN_QUEUE, { connection: connectionOf(redis) });
  const watched = new Map<string, Set<AbortController>>();
  let closed = false;
  const cancel = (runId: string) => {
    for (const controller of watched.get(runId) ?? [])
      controller.abort(new Error(`run ${runId} was cancelled`));
  };
  const check = (runIds: string[]) =>
    void queue.client
      .then(async (c) => {
        for (const runId of runIds) if ((await c.get(runCancelKey(runId))) !== null) cancel(runId);
      })
      .catch(() => undefined);
  let blocking: Awaited<Queue['client']> | undefined;
  const reading = (async () => {
    const c = await queue.client;
    c.defineCommand('plumbLastCancel', { numberOfKeys: 1, lua: LAST_ID });
    let from = (await c.runCommand('plumbLastCancel', [RUN_CANCELS_STREAM])) as string;
    blocking = c.duplicate();
    while (!closed) {
      let reply: [string, [string, string[]][]][] | null;
      try {
        reply = (await blocking.xread([{ key: RUN_CANCELS_STREAM, id: from }], {
          BLOCK: 5000,
          COUNT: 100,
        })) as typeof reply;
      } catch {
        if (closed) break;
        // Away from Redis for a while: a cancel announced meanwhile may be trimmed, its key is not.
        await new Promise((r) => setTimeout(r, 500));
        check([...watched.keys()]);
        continue;
      }
      for (const [, entries] of reply ?? [])
        for (const [id, fields] of entries) {
          from = id;
          cancel(fields[1]!);
        }
    }
  })().catch(() => undefined);
  return {
    watch(runId, controller) {
      let set = watched.get(runId);
      if (!set) watched.set(runId, (set = new Set()));
      set.add(controller);
      check([runId]);
      return () => {
        set.delete(controller);
        if (set.size === 0 && watched.get(runId) === set) watched.delete(runId);
      };
    },
    async close() {
      closed = true;
      blocking?.disconnect();
      await reading;
      await queue.close();
    },
  };
}
