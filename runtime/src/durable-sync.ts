// Durable mode's fsyncs, off the main thread: a file's data on the thread pool, a directory
// output's whole tree, and a directory's entries once for every rename made in it meanwhile (one
// fsync of a directory covers them all).
import { close, closeSync, fsync, open, readdirSync } from 'node:fs';
import path from 'node:path';

/** Test hook: told each fsync as it completes (tests prove the order of syncs, renames and task-done). */
let observer: ((what: 'file' | 'dir', target: string) => void) | undefined;
export function observeDurableSyncs(fn: typeof observer): void {
  observer = fn;
}

/** Flushes the data of an open file to disk on the thread pool, then closes it (also on failure). */
export function fsyncAndClose(fd: number, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    fsync(fd, (error) => {
      try {
        closeSync(fd);
      } catch {
        /* closed already */
      }
      if (error) reject(error);
      else {
        observer?.('file', file);
        resolve();
      }
    });
  });
}

interface DirState {
  /** The last sync asked for (running or queued): the next one starts after it. */
  tail: Promise<void>;
  /** A sync queued and not started yet: renames made before it starts are covered by it, so join it. */
  next: Promise<void> | undefined;
}
const dirs = new Map<string, DirState>();

/**
 * Resolves once `dir`'s entries (every rename made in it before this call) are on disk. A sync
 * already running may have started before the caller's rename, so the caller waits for the next
 * one, which every caller until it starts shares: N renames in one directory cost ~2 fsyncs.
 */
export function syncDirBatched(dir: string): Promise<void> {
  let state = dirs.get(dir);
  if (state?.next) return state.next;
  if (!state) dirs.set(dir, (state = { tail: Promise.resolve(), next: undefined }));
  const s = state;
  const next: Promise<void> = s.tail.then(() => {
    if (s.next === next) s.next = undefined; // started: later renames need the one after
    return fsyncDir(dir);
  });
  s.next = next;
  s.tail = next;
  return next;
}

/** Some file systems refuse fsync on directories: that is not the task's failure (as before). */
function fsyncDir(dir: string): Promise<void> {
  return new Promise((resolve) => {
    open(dir, 'r', (openError, fd) => {
      if (openError) return resolve();
      fsync(fd, (syncError) => {
        close(fd, () => {
          if (!syncError) observer?.('dir', dir);
          resolve();
        });
      });
    });
  });
}

/** Files of a directory output synced at once: more only queue on the thread pool and hold descriptors. */
const TREE_LANES = 16;

/**
 * Every file and folder under `root` on disk (a directory output before the rename that makes it
 * count), on the thread pool. The tree is listed at once: it is complete when its task commits it.
 */
export async function syncTree(root: string): Promise<void> {
  const files: string[] = [];
  const folders: string[] = [];
  const list = (dir: string) => {
    folders.push(dir);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) list(full);
      else files.push(full);
    }
  };
  list(root);
  let next = 0;
  const lane = async () => {
    while (next < files.length) {
      const file = files[next++]!;
      await fsyncAndClose(await openForSync(file), file);
    }
  };
  await Promise.all(Array.from({ length: Math.min(TREE_LANES, files.length) }, lane));
  await Promise.all(folders.map(fsyncDir));
}

function openForSync(file: string): Promise<number> {
  return new Promise((resolve, reject) =>
    open(file, 'r', (error, fd) => (error ? reject(error) : resolve(fd))),
  );
}
