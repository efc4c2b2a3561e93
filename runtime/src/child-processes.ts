// Child processes that belong to a task: `taskSpawn` starts one from a run(), in a process group
// of its own, and the runtime kills that whole group (the command and everything it started) when
// the task's attempt ends: finished, failed, timed out or cancelled, and at the latest when the
// run ends. A task that starts processes any other way owns them itself.
import { type ChildProcess, type SpawnOptions } from 'node:child_process';
import { childProcessModule } from './builtins-on-demand';
import { OWNER_ENV, ownedProcesses, ownerTag, sameProcess, selfIdentity } from './process-identity';
import { getProjectRoot } from './project-root';
import { currentTaskHooks, whenAttemptEnds, type TaskRunHooks } from './task-context';

/** Every tracked child still running, so the end of a run can stop what attempts left behind. */
const live = new Set<ChildProcess>();
/** Whether this process started processes tagged as its own (taskSpawn, isolated attempts). */
let startedTagged = false;

/** What else ends with the run (the isolated-task pool's members), once each. */
const runEndHooks = new Set<() => void>();

export function atRunEnd(fn: () => void): void {
  runEndHooks.add(fn);
}

/** Says this process started processes tagged with its identity (OWNER_ENV). */
export function noteTaggedProcesses(): void {
  startedTagged = true;
}
/** In an isolated task's process the children stay in its group, which its parent kills as a whole. */
let ownGroups = process.platform !== 'win32';

export function setChildGroups(own: boolean): void {
  ownGroups = own && process.platform !== 'win32';
}

/** Kills a process group (or, where there are none, the process). Quiet when it is already gone. */
export function killProcessGroup(pid: number | undefined, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (pid === undefined || pid <= 0) return;
  try {
    process.kill(process.platform === 'win32' ? pid : -pid, signal);
  } catch {
    /* gone already */
  }
}

function kill(child: ChildProcess): void {
  if (ownGroups) killProcessGroup(child.pid);
  else if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/**
 * Starts `command` as a child process of the running task (call it from run()): same arguments as
 * node's `spawn`. The process and everything it starts are killed when the task's attempt ends,
 * however it ends, so a timeout or a cancel never leaves them running.
 */
export function taskSpawn(
  command: string,
  args: readonly string[] = [],
  options: SpawnOptions = {},
): ChildProcess {
  const hooks = currentTaskHooks();
  if (!hooks) throw new Error(`taskSpawn(${command}) must be called from a task's run()`);
  if (hooks.stopped) throw new Error(`${hooks.taskId} was stopped: not starting ${command}`);
  // Tagged with the run, so the next run can stop it should this one die before it could.
  const env = { ...(options.env ?? process.env), [OWNER_ENV]: ownerTag(getProjectRoot()) };
  if (!process.env[OWNER_ENV]) noteTaggedProcesses(); // tagged as ours, not inherited from a parent run
  const child = childProcessModule().spawn(command, args, { ...options, env, detached: ownGroups });
  track(hooks, child);
  return child;
}

function track(hooks: TaskRunHooks, child: ChildProcess): void {
  live.add(child);
  const stop = () => kill(child);
  const signal = hooks.signal;
  signal.addEventListener('abort', stop, { once: true });
  const ends = whenAttemptEnds(hooks, stop);
  // The group outlives its leader only in processes it left behind: those are killed at the
  // attempt's end, so the listeners stay until then; only the run-wide list forgets it here.
  child.once('exit', () => {
    if (!ownGroups) {
      signal.removeEventListener('abort', stop);
      ends();
    }
  });
  child.once('close', () => live.delete(child));
  child.once('error', () => live.delete(child));
}

/**
 * The end of a run: kills every tracked child still running, and every process carrying this
 * process's tag (what those children started, even outside their process group). Nothing a task
 * started outlives the run.
 */
export function killTrackedProcesses(): void {
  for (const fn of runEndHooks) fn();
  runEndHooks.clear();
  for (const child of live) kill(child);
  live.clear();
  if (!startedTagged) return; // nothing to look for: no /proc scan for runs that started no process
  startedTagged = false;
  const self = selfIdentity();
  for (const p of ownedProcesses()) {
    if (!sameProcess(p.owner, self)) continue;
    killProcessGroup(p.pid);
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}
