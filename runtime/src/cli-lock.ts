// The run lock: one run of a given root task (same module, same parameters) at a time on this
// machine. A lock names its holder by more than a pid (start time, boot id, host), so a holder that
// is gone is never honoured, even when its pid now belongs to another process (pid reuse, or pid 1
// of a restarted container). Paths are real paths: a pipeline reached through a symlink takes the
// same lock. Several roots take one lock each, in sorted order, all or none (no deadlock between two
// runs whose root sets overlap, no half-locked run).
import { closeSync, mkdirSync, openSync, readFileSync, realpathSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { sha1Hex } from './sha1';
import { identityAlive, thisProcess, type ProcessIdentity } from './process-identity';
import { killProcessesOwnedBy } from './cli-parent-watch';

export { bootId, processStartTime } from './process-identity';

export interface RunLock {
  file: string;
  release(): void;
}

export interface LockHolder extends ProcessIdentity {
  root: string;
  since: number;
}

/** Whether the process that wrote `holder` may still be running. */
export function holderAlive(holder: LockHolder): boolean {
  return identityAlive(holder);
}

function realOrResolved(p: string): string {
  try {
    // The system's realpath: one call, where node:fs's own walks the path in JS (an lstat a part).
    return realpathSync.native(p);
  } catch {
    return path.resolve(p);
  }
}

export function lockFileFor(projectRoot: string, modulePath: string, rootId: string): string {
  const hash = sha1Hex(`${realOrResolved(modulePath)}\n${rootId}`).slice(0, 16);
  return path.join(realOrResolved(projectRoot), '.plumb', 'locks', `${hash}.lock`);
}

function ownRecord(rootId: string): LockHolder {
  return { ...thisProcess(), root: rootId, since: Date.now() };
}

/** Takes the lock, or returns who holds it. */
export function tryLock(file: string, rootId: string): RunLock | LockHolder {
  mkdirSync(path.dirname(file), { recursive: true });
  for (let i = 0; i < 3; i++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify(ownRecord(rootId)));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.removeListener('exit', release);
        try {
          unlinkSync(file);
        } catch {
          /* gone already */
        }
      };
      process.once('exit', release);
      return { file, release };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let holder: LockHolder | undefined;
      try {
        holder = JSON.parse(readFileSync(file, 'utf8')) as LockHolder;
      } catch {
        holder = undefined; // being written right now, or garbage: look again
      }
      if (holder && holderAlive(holder)) return holder;
      // Stale: its run is gone. What that run started and left running goes first, so this run
      // never works beside a survivor of the last one.
      if (holder) killProcessesOwnedBy(holder);
      if (holder || i > 0) {
        try {
          unlinkSync(file);
        } catch {
          /* someone else took it over */
        }
      }
    }
  }
  return { pid: -1, root: rootId, since: Date.now() };
}

export function isLock(x: RunLock | LockHolder): x is RunLock {
  return 'release' in x;
}

/** Waits until the lock is free (mode 'wait'), checking every 200 ms. */
export async function waitForLock(
  file: string,
  rootId: string,
  signal?: AbortSignal,
): Promise<RunLock | undefined> {
  for (;;) {
    const got = tryLock(file, rootId);
    if (isLock(got)) return got;
    if (signal?.aborted) return undefined;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Locks every root of one invocation: one lock file per root id, taken in sorted order, all or none.
 * Returns one RunLock releasing them all, or the holder of the first one that is taken.
 */
export function tryLockRoots(
  projectRoot: string,
  modulePath: string,
  rootIds: readonly string[],
): RunLock | LockHolder {
  const sorted = [...new Set(rootIds)].sort();
  const taken: RunLock[] = [];
  for (const id of sorted) {
    const got = tryLock(lockFileFor(projectRoot, modulePath, id), id);
    if (!isLock(got)) {
      for (const lock of taken.reverse()) lock.release();
      return got;
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

/** tryLockRoots, waiting (every 200 ms) until all are free; undefined when `signal` aborts first. */
export async function waitForRootLocks(
  projectRoot: string,
  modulePath: string,
  rootIds: readonly string[],
  signal?: AbortSignal,
): Promise<RunLock | undefined> {
  for (;;) {
    const got = tryLockRoots(projectRoot, modulePath, rootIds);
    if (isLock(got)) return got;
    if (signal?.aborted) return undefined;
    await new Promise((r) => setTimeout(r, 200));
  }
}
