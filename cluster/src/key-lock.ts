// Concurrency keys across the cluster: the same all-or-none, sorted locks as .plumb/locks/ on one
// machine, held in Redis instead (every host sees them). Each key is a Redis key with a TTL that its
// holder renews; a holder that dies (SIGKILL, a lost host) stops renewing and the key lapses after
// the TTL, so nobody has to clean up after it.
import os from 'node:os';
import { Queue } from 'bullmq';
import { connectionOf } from './job';

/** Who holds a key, in the shape plumb's refusal message reads (runtime's LockHolder). */
export interface KeyHolder {
  root: string;
  pid: number;
  host: string;
  since: number;
  runId: string;
}

export interface HeldKeys {
  file: string;
  release(): void;
}

export interface KeyHeldElsewhere {
  key: string;
  holder: KeyHolder;
}

export interface ClusterKeyLocks {
  tryLock(keys: readonly string[], holderName: string): Promise<HeldKeys | KeyHeldElsewhere>;
  wait(keys: readonly string[], holderName: string, signal?: AbortSignal): Promise<HeldKeys | undefined>;
  close(): Promise<void>;
}

/** How long a key outlives its holder's last renewal (renewed every third of it). */
export function keyTtlMs(): number {
  return Number(process.env.PLUMB_CLUSTER_KEY_TTL_MS) || 15_000;
}

const redisKey = (key: string) => `plumb:concurrency-key:${key}`;

// Take a free key, or one the same run held (a scheduler that started again), else say who holds it.
const TAKE = `local held = redis.call('get', KEYS[1])
if held and string.find(held, ARGV[3], 1, true) == nil then return held end
redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2]) return false`;
// Renew or release only a key this run still holds: another run may hold it now, after a lapse.
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;

export function clusterKeyLocks(redis: string, runId: string): ClusterKeyLocks {
  // BullMQ's own connection handling (reconnects, options) for a plain client.
  const queue = new Queue('plumb-keys', { connection: connectionOf(redis) });
  const ttl = keyTtlMs();
  const releases: Promise<unknown>[] = [];

  const client = queue.client.then((c) => {
    c.defineCommand('plumbKeyTake', { numberOfKeys: 1, lua: TAKE });
    c.defineCommand('plumbKeyRenew', { numberOfKeys: 1, lua: RENEW });
    c.defineCommand('plumbKeyRelease', { numberOfKeys: 1, lua: RELEASE });
    return c;
  });

  const tryLock = async (
    keys: readonly string[],
    holderName: string,
  ): Promise<HeldKeys | KeyHeldElsewhere> => {
    const c = await client;
    const holder: KeyHolder = {
      root: holderName,
      pid: process.pid,
      host: os.hostname(),
      since: Date.now(),
      runId,
    };
    const value = JSON.stringify(holder);
    const taken: string[] = [];
    const giveBack = async () => {
      for (const k of taken.reverse()) await c.runCommand('plumbKeyRelease', [redisKey(k), value]);
    };
    for (const key of [...new Set(keys)].sort()) {
      const held = (await c.runCommand('plumbKeyTake', [
        redisKey(key),
        value,
        String(ttl),
        `"runId":${JSON.stringify(runId)}`,
      ])) as string | null;
      if (held) {
        await giveBack();
        return { key, holder: JSON.parse(held) as KeyHolder };
      }
      taken.push(key);
    }
    const renew = setInterval(
      () => {
        for (const k of taken)
          void c.runCommand('plumbKeyRenew', [redisKey(k), value, String(ttl)]).catch(() => undefined);
      },
      Math.max(50, Math.floor(ttl / 3)),
    );
    let released = false;
    return {
      file: taken.map((k) => `redis:${redisKey(k)}`).join(' '),
      release() {
        if (released) return;
        released = true;
        clearInterval(renew);
        releases.push(giveBack().catch(() => undefined));
      },
    };
  };

  return {
    tryLock,
    async wait(keys, holderName, signal) {
      for (;;) {
        const got = await tryLock(keys, holderName);
        if (!('holder' in got)) return got;
        if (signal?.aborted) return undefined;
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    async close() {
      // Keys given back before the connection goes: the next run need not wait for their TTL.
      await Promise.all(releases);
      await queue.close();
    },
  };
}

/** The refusal's wording for a key held on the cluster. */
export function clusterKeyHeldMessage({ key, holder }: KeyHeldElsewhere): string {
  return `concurrency key '${key}' is held on the cluster by run ${holder.runId} of ${holder.root} (host ${holder.host}, pid ${holder.pid}, since ${new Date(holder.since).toISOString()})`;
}
