// The run lock: one run of a given root task (same module, same parameters) at a time on this
// machine. A lock file whose process is gone is stale and taken over.
import { createHash } from 'node:crypto';
import { mkdirSync, openSync, readFileSync, unlinkSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';

export interface RunLock {
  file: string;
  release(): void;
}

export interface LockHolder {
  pid: number;
  root: string;
  since: number;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockFileFor(projectRoot: string, modulePath: string, rootId: string): string {
  const hash = createHash('sha1')
    .update(`${path.resolve(modulePath)}\n${rootId}`)
    .digest('hex')
    .slice(0, 16);
  return path.join(projectRoot, '.plumb', 'locks', `${hash}.lock`);
}

/** Takes the lock, or returns who holds it. */
export function tryLock(file: string, rootId: string): RunLock | LockHolder {
  mkdirSync(path.dirname(file), { recursive: true });
  for (let i = 0; i < 3; i++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, root: rootId, since: Date.now() }));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
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
      if (holder && alive(holder.pid)) return holder;
      if (holder || i > 0) {
        try {
          unlinkSync(file); // stale: its process is gone
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
