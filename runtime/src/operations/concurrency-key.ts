// Concurrency keys: two runs with the same key never overlap on this machine, whether a schedule
// or a person started them. A key is a lock file under .plumb/locks/ taken by cli-lock's
// identity-checked locks, so a holder that died never counts. Keys come from `--concurrency-key`
// and from plumb.toml `[tasks.<Family>] concurrency_key`, templates filled from each root task's
// parameters (`customer-{customer}`).
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../cli-args';
import { sha1Hex } from '../sha1';
import { isLock, tryLock, type LockHolder, type RunLock } from '../cli-lock';
import { ConfigError, type PlumbConfig } from '../config';
import type { Task } from '../task';
import { fillKey } from './schedule-plan';

/** The keys one run takes, sorted and distinct: the flag's and each root family's, filled from the root's parameters. */
export function concurrencyKeys(
  roots: readonly Task[],
  flag: string | undefined,
  config: PlumbConfig,
): string[] {
  const keys = new Set<string>();
  for (const root of roots) {
    const fill = (template: string, onMissing: (name: string) => never) => {
      const filled = fillKey(template, root.params);
      keys.add(typeof filled === 'string' ? filled : onMissing(filled.missing));
    };
    const known = () => Object.keys(root.params).join(', ') || 'none';
    if (flag !== undefined)
      fill(flag, (name) => {
        throw new UsageError(
          `--concurrency-key ${flag}: {${name}} is not a parameter of ${root.taskFamily} (it has ${known()})`,
        );
      });
    const family = config.tasks[root.taskFamily]?.concurrencyKey;
    if (family !== undefined)
      fill(family, (name) => {
        throw new ConfigError(
          config.file ?? 'plumb.toml',
          undefined,
          `tasks.${root.taskFamily}.concurrency_key`,
          `{${name}} is not a significant parameter of ${root.taskFamily} (it has ${known()})`,
        );
      });
  }
  return [...keys].sort();
}

function lockFileForKey(projectRoot: string, key: string): string {
  let root = projectRoot;
  try {
    root = realpathSync(projectRoot);
  } catch {
    /* not there yet: the lock makes it */
  }
  const hash = sha1Hex(`concurrency-key\n${key}`).slice(0, 16);
  return path.join(root, '.plumb', 'locks', `key-${hash}.lock`);
}

export interface KeyHeld {
  key: string;
  holder: LockHolder;
}

/** Takes every key (sorted: no deadlock between two runs), all or none; or says which key is held and by whom. */
export function tryLockKeys(
  projectRoot: string,
  keys: readonly string[],
  holderName: string,
): RunLock | KeyHeld {
  const taken: RunLock[] = [];
  for (const key of [...new Set(keys)].sort()) {
    const got = tryLock(lockFileForKey(projectRoot, key), holderName);
    if (!isLock(got)) {
      for (const lock of taken.reverse()) lock.release();
      return { key, holder: got };
    }
    taken.push(got);
  }
  return {
    file: taken.map((l) => l.file).join(path.delimiter),
    release: () => {
      for (const lock of taken.reverse()) lock.release();
    },
  };
}

export function isKeyHeld(x: RunLock | KeyHeld): x is KeyHeld {
  return 'holder' in x;
}

/** What the refusal says: the key and who holds it. */
export function keyHeldMessage({ key, holder }: KeyHeld): string {
  return `concurrency key '${key}' is held by a run of ${holder.root} (pid ${holder.pid}, since ${new Date(holder.since).toISOString()})`;
}

/** tryLockKeys every 200 ms until all are free; undefined when `signal` aborts first. */
export async function waitForKeys(
  projectRoot: string,
  keys: readonly string[],
  holderName: string,
  signal?: AbortSignal,
): Promise<RunLock | undefined> {
  for (;;) {
    const got = tryLockKeys(projectRoot, keys, holderName);
    if (!isKeyHeld(got)) return got;
    if (signal?.aborted) return undefined;
    await new Promise((r) => setTimeout(r, 200));
  }
}
