// An isolated task's process never outlives the run that started it. In the child, a worker
// thread polls the parent pid (it keeps polling while the task's code blocks the main thread) and
// kills the child's whole process group once the parent is gone (SIGKILL, OOM killer). In the
// parent, the first isolated attempt of a run kills what a dead run of the same project left
// behind, so a rerun never runs a second copy beside a survivor.
import { readdirSync, readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { holderAlive, processStartTime } from './cli-lock';
import { killProcessGroup } from './child-processes';

/** Who started an isolated child: the pid and its start time (a pid alone may be reused). */
export interface ParentIdentity {
  pid: number;
  startTime?: string;
}

export function thisProcess(): ParentIdentity {
  const startTime = processStartTime(process.pid);
  return { pid: process.pid, ...(startTime !== undefined ? { startTime } : {}) };
}

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

/** In the isolated child: dies (with its process group) as soon as `parentPid` is no longer its parent. */
export function watchParent(parentPid: number): void {
  if (process.platform === 'win32') return;
  const worker = new Worker(WATCHDOG, {
    eval: true,
    workerData: { parent: parentPid, self: process.pid, pollMs: POLL_MS },
    stdout: false,
    stderr: false,
  });
  worker.unref(); // never what keeps the child alive
}

interface TaskProcess {
  pid: number;
  projectRoot?: string;
  parent?: ParentIdentity;
}

/** Isolated task processes (`<cli> __task <json>`) running on this machine. */
function taskProcesses(): TaskProcess[] {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return [];
  }
  const out: TaskProcess[] = [];
  for (const name of names) {
    if (name.charCodeAt(0) > 57) continue; // not a pid
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    const at = argv.indexOf('__task');
    if (at < 0) continue;
    try {
      const req = JSON.parse(argv[at + 1] ?? '') as { projectRoot?: string; parent?: ParentIdentity };
      out.push({ pid: Number(name), ...req });
    } catch {
      /* not ours */
    }
  }
  return out;
}

/**
 * Kills isolated task processes of `projectRoot` whose parent run is dead (their watchdog should
 * have done it; this also covers one that has not yet). Waits up to a second for them to be gone.
 */
export function killOrphansOf(projectRoot: string): number[] {
  const orphans = taskProcesses().filter(
    (p) =>
      p.projectRoot === projectRoot &&
      p.parent !== undefined &&
      p.pid !== process.pid &&
      !holderAlive({
        pid: p.parent.pid,
        root: '',
        since: 0,
        ...(p.parent.startTime ? { startTime: p.parent.startTime } : {}),
      }),
  );
  for (const p of orphans) killProcessGroup(p.pid);
  const until = Date.now() + 1000;
  let left = orphans.map((p) => p.pid);
  while (left.length > 0 && Date.now() < until) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    left = left.filter((pid) => processStartTime(pid) !== undefined && !zombie(pid));
  }
  return orphans.map((p) => p.pid);
}

function zombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] === 'Z';
  } catch {
    return true;
  }
}
