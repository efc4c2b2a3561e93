// Nothing a run started outlives it. The pool's guard process (cli-isolate-guard.ts) kills an
// isolated task's process and its whole group once the run is gone (SIGKILL, OOM killer); where there
// is none, a worker thread in that process polls the parent pid (it keeps polling while the task's
// code blocks the main thread) and does the same. Every process a run starts
// carries the run's identity in its environment (process-identity.ts OWNER_ENV), so the next run
// finds what a dead run left behind and kills it before it starts work: when it takes over the
// dead run's lock, and at its first isolated attempt (any dead run of the same project).
import { workerThreadsModule } from './builtins-on-demand';
import { killProcessGroup } from './child-processes';
import { exited, identityAlive, ownedProcesses, sameProcess, type ProcessIdentity } from './process-identity';

const POLL_MS = 100;

const WATCHDOG = `
const { workerData } = require('node:worker_threads');
const check = () => {
  if (process.ppid === workerData.parent) return;
  try { process.kill(-workerData.self, 'SIGKILL'); } catch {}
  process.kill(workerData.self, 'SIGKILL');
};
check();
setInterval(check, workerData.pollMs);
`;

/**
 * In the isolated child: dies (with its process group) if `parentPid` is no longer its parent, now
 * and, with `thread`, as soon as that happens later (where the run has no guard process to do it).
 */
export function watchParent(parentPid: number, thread = true): void {
  if (process.platform === 'win32') return;
  // The run may have died while this process was starting (slow under load).
  if (process.ppid !== parentPid) {
    killProcessGroup(process.pid);
    process.kill(process.pid, 'SIGKILL');
  }
  if (!thread) return;
  const worker = new (workerThreadsModule().Worker)(WATCHDOG, {
    eval: true,
    workerData: { parent: parentPid, self: process.pid, pollMs: POLL_MS },
    stdout: false,
    stderr: false,
  });
  worker.unref(); // never what keeps the child alive
}

/** Kills each process (and its group) and waits, up to a second, until they have exited. */
export function killAndWait(pids: number[]): void {
  for (const pid of pids) {
    killProcessGroup(pid);
    try {
      process.kill(pid, 'SIGKILL'); // one that left its group
    } catch {
      /* gone */
    }
  }
  const until = Date.now() + 1000;
  let left = pids;
  while (left.length > 0 && Date.now() < until) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    left = left.filter((pid) => !exited(pid));
  }
}

/** Kills what the dead run `owner` started and left running. Returns their pids. */
export function killProcessesOwnedBy(owner: ProcessIdentity): number[] {
  const pids = ownedProcesses()
    .filter((p) => sameProcess(p.owner, owner))
    .map((p) => p.pid);
  killAndWait(pids);
  return pids;
}

/** Kills what dead runs of `projectRoot` left running. Returns their pids. */
export function killOrphansOf(projectRoot: string): number[] {
  const pids = ownedProcesses()
    .filter((p) => p.owner.projectRoot === projectRoot && !identityAlive(p.owner))
    .map((p) => p.pid);
  killAndWait(pids);
  return pids;
}
