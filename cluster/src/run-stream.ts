// A cluster run's events kept in Redis, one stream per run, so whoever follows the run (the
// submitter, or `plumb run --attach <runId>` after the submitter died) reads them from the first
// and then live, and a run nobody follows still ends with its whole story stored.
import { Queue } from 'bullmq';
import { connectionOf } from './job';

/** How long a finished run's events stay in Redis (its run log on disk stays as long as plumb.toml says). */
const KEEP_FINISHED_S = 7 * 24 * 3600;

export const runStreamKey = (runId: string) => `plumb:run:${runId}:events`;
const runInfoKey = (runId: string) => `plumb:run:${runId}:info`;

/** Where a run's relay lives: attach on the same host can pass Ctrl-C on to it. */
export interface RunInfo {
  host: string;
  pid: number;
}

/** Appends a run's event lines in order (one XADD each, pipelined by the connection). */
export interface RunStreamWriter {
  info(info: RunInfo): void;
  append(line: string): void;
  /** Resolves once every line is stored and the stream is set to expire. */
  end(): Promise<void>;
}

const EXPIRE = `return redis.call('expire', KEYS[1], ARGV[1])`;

export function runStreamWriter(redis: string, runId: string): RunStreamWriter {
  const queue = new Queue('plumb-runs', { connection: connectionOf(redis) });
  let chain: Promise<unknown> = queue.client.then((c) =>
    c.defineCommand('plumbExpire', { numberOfKeys: 1, lua: EXPIRE }),
  );
  const then = (f: (client: Awaited<Queue['client']>) => Promise<unknown>) => {
    chain = chain.then(async () => f(await queue.client));
  };
  return {
    info(info) {
      then((c) => c.hset(runInfoKey(runId), { host: info.host, pid: String(info.pid) }));
    },
    append(line) {
      then((c) => c.xadd(runStreamKey(runId), '*', { e: line }));
    },
    async end() {
      for (const key of [runStreamKey(runId), runInfoKey(runId)])
        then((c) => c.runCommand('plumbExpire', [key, String(KEEP_FINISHED_S)]));
      try {
        await chain;
      } finally {
        await queue.close();
      }
    },
  };
}

export async function readRunInfo(redis: string, runId: string): Promise<RunInfo | undefined> {
  const queue = new Queue('plumb-runs', { connection: connectionOf(redis) });
  try {
    const info = await (await queue.client).hgetall(runInfoKey(runId));
    return info.host ? { host: info.host, pid: Number(info.pid) } : undefined;
  } finally {
    await queue.close();
  }
}

export interface RunTail {
  /** Resolves with the run-finished line once it has been read (every line before it delivered). */
  finished: Promise<string>;
  stop(): Promise<void>;
}

/**
 * Reads a run's event lines from the first, then waits for more (a blocking XREAD, no polling),
 * until run-finished. `missing` is called once when the run has no events after `graceMs`.
 */
export function tailRun(
  redis: string,
  runId: string,
  onLine: (line: string) => void,
  missing?: { graceMs: number; onMissing(): void },
): RunTail {
  const queue = new Queue('plumb-runs', { connection: connectionOf(redis) });
  let stopped = false;
  let blocking: Awaited<Queue['client']> | undefined;
  const finished = (async () => {
    blocking = (await queue.client).duplicate();
    let from = '0-0';
    const started = Date.now();
    let seen = false;
    while (!stopped) {
      let reply;
      try {
        reply = (await blocking.xread([{ key: runStreamKey(runId), id: from }], {
          BLOCK: 1000,
          COUNT: 1000,
        })) as [string, [string, string[]][]][] | null;
      } catch (e) {
        if (stopped) break;
        throw e;
      }
      for (const [, entries] of reply ?? []) {
        for (const [id, fields] of entries) {
          from = id;
          seen = true;
          const line = fields[1]!;
          onLine(line);
          if (line.includes('"type":"run-finished"')) return line;
        }
      }
      if (!seen && missing && Date.now() - started > missing.graceMs) {
        missing.onMissing();
        missing = undefined;
      }
    }
    return '';
  })();
  return {
    finished,
    async stop() {
      stopped = true;
      blocking?.disconnect();
      await queue.close();
    },
  };
}
