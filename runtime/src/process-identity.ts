// Who a process is, beyond its pid: pid + start time (/proc/<pid>/stat field 22) + boot id + host.
// A pid alone is reused (by an unrelated process, or as pid 1 of a restarted container); the four
// together name one process once. Where there is no /proc, the pid is all we can check.
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

export interface ProcessIdentity {
  pid: number;
  /** Start time of `pid` in clock ticks since boot, when known. */
  startTime?: string;
  /** /proc/sys/kernel/random/boot_id of its machine, when known. */
  bootId?: string;
  host?: string;
}

function readOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Field 22 of /proc/<pid>/stat: when the process started. Undefined where there is no /proc. */
export function processStartTime(pid: number): string | undefined {
  const stat = readOrUndefined(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  // Field 2 is the command name in parentheses and may itself hold spaces or ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[22 - 3];
}

let bootIdCache: string | undefined | null = null;
export function bootId(): string | undefined {
  if (bootIdCache === null) bootIdCache = readOrUndefined('/proc/sys/kernel/random/boot_id')?.trim();
  return bootIdCache;
}

export function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** This process, fully named. */
export function thisProcess(): ProcessIdentity {
  const startTime = processStartTime(process.pid);
  const boot = bootId();
  return {
    pid: process.pid,
    ...(startTime !== undefined ? { startTime } : {}),
    ...(boot !== undefined ? { bootId: boot } : {}),
    host: os.hostname(),
  };
}

/** Whether the process named by `id` may still be running (true when it cannot be checked: another host). */
export function identityAlive(id: ProcessIdentity): boolean {
  if (id.host !== undefined && id.host !== os.hostname()) return true;
  if (id.bootId !== undefined && bootId() !== undefined && id.bootId !== bootId()) return false;
  if (!Number.isSafeInteger(id.pid) || id.pid <= 0 || !pidExists(id.pid)) return false;
  // A killed run whose parent has not reaped it yet still has its pid, but holds nothing: a rerun
  // started at once (by a script, a scheduler) must not read it as running and exit 4.
  if (exited(id.pid)) return false;
  if (id.startTime !== undefined) {
    const now = processStartTime(id.pid);
    if (now !== undefined && now !== id.startTime) return false; // the pid was reused
  }
  return true;
}

/** A zombie has exited (its parent has not reaped it yet): it runs nothing. */
export function exited(pid: number): boolean {
  const stat = readOrUndefined(`/proc/${pid}/stat`);
  if (stat === undefined) return !pidExists(pid);
  return stat.slice(stat.lastIndexOf(')') + 2)[0] === 'Z';
}

/**
 * The environment variable that marks every process a run starts (isolated tasks, taskSpawn, and
 * what they start in turn, as long as they pass their environment on) with the run's identity and
 * project root, so the next run can find and stop what a dead one left running.
 */
export const OWNER_ENV = 'PLUMB_RUN_OWNER';

export interface OwnerTag extends ProcessIdentity {
  projectRoot: string;
}

let self: ProcessIdentity | undefined;

export function selfIdentity(): ProcessIdentity {
  return (self ??= thisProcess());
}

/** The tag for processes this run starts: inherited in an isolated task's process, else this process. */
export function ownerTag(projectRoot: string): string {
  const inherited = process.env[OWNER_ENV];
  if (inherited) return inherited;
  return JSON.stringify({ ...selfIdentity(), projectRoot } satisfies OwnerTag);
}

const MARK = `${OWNER_ENV}=`;

/** Processes on this machine that a run started, with the run that started them. */
export function ownedProcesses(): { pid: number; owner: OwnerTag }[] {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return [];
  }
  const out: { pid: number; owner: OwnerTag }[] = [];
  for (const name of names) {
    if (name.charCodeAt(0) > 57 || Number(name) === process.pid) continue; // not a pid, or us
    let environ: string;
    try {
      environ = readFileSync(`/proc/${name}/environ`, 'utf8');
    } catch {
      continue; // gone, or not ours to read
    }
    const at = environ.indexOf(MARK);
    if (at < 0 || (at > 0 && environ.charCodeAt(at - 1) !== 0)) continue;
    const end = environ.indexOf('\0', at);
    try {
      const owner = JSON.parse(environ.slice(at + MARK.length, end < 0 ? undefined : end)) as OwnerTag;
      if (typeof owner.pid === 'number') out.push({ pid: Number(name), owner });
    } catch {
      /* not a tag of ours */
    }
  }
  return out;
}

export function sameProcess(a: ProcessIdentity, b: ProcessIdentity): boolean {
  return a.pid === b.pid && a.startTime === b.startTime && a.bootId === b.bootId && a.host === b.host;
}
