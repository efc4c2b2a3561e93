// Whether a pool member still has child processes after an attempt (Linux; elsewhere it says no):
// any thread may have started one (the main thread, a worker thread), and each thread lists its own
// in /proc/self/task/<tid>/children. Asked after every attempt, so each thread's file stays open
// and is read again from its start (procfs regenerates it): a path lookup per thread per attempt
// cost more than the rest of the check.
import { closeSync, openSync, readdirSync, readSync } from 'node:fs';

const open = new Map<string, number>();
const byte = Buffer.alloc(1);

/** Whether a process this one started still runs (or is not reaped yet). */
export function hasChildren(): boolean {
  let threads: string[];
  try {
    threads = readdirSync('/proc/self/task');
  } catch {
    return false;
  }
  const live = new Set(threads);
  for (const [tid, fd] of open)
    if (!live.has(tid)) {
      open.delete(tid); // the thread ended: its tid may come back as another thread's
      closeQuietly(fd);
    }
  for (const tid of threads) if (childrenListed(tid)) return true;
  return false;
}

function childrenListed(tid: string): boolean {
  for (let tries = 0; tries < 2; tries++) {
    let fd = open.get(tid);
    try {
      if (fd === undefined) open.set(tid, (fd = openSync(`/proc/self/task/${tid}/children`, 'r')));
      return readSync(fd, byte, 0, 1, 0) > 0;
    } catch {
      // A file of an ended thread (whose tid a new thread took) fails: open the new one once.
      open.delete(tid);
      if (fd !== undefined) closeQuietly(fd);
    }
  }
  return false; // thread gone, or no children file on this kernel
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    /* already closed */
  }
}
