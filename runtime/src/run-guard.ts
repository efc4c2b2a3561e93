// While a run is under way, user code cannot end or stall the runner behind its back: an uncaught
// error or unhandled rejection fails the task whose async context it came from, process.exit()
// called by a task fails that task, and a run() whose promise can never settle (the event loop
// ran empty while it was pending) fails with that message. Whatever no task can be blamed for
// crashes the run (outcome 'crashed'), which still ends with its summary.
//
// Blame needs no async_hooks of our own: since Node 20 the 'uncaughtException' and
// 'unhandledRejection' handlers run in the async context of the failing callback, respectively of
// the rejected promise's creation, so AsyncLocalStorage names the task (run-guard.test.ts pins
// this down, so a Node release that changes it fails the tests rather than users).
import { killTrackedProcesses } from './child-processes';
import { currentTaskHooks } from './task-context';

/** Something went wrong that no task can be blamed for: the run ends as 'crashed'. */
export class RunnerCrashError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RunnerCrashError';
  }
}

/** process.exit() called by a task's code, turned into that task's failure. */
export class ProcessExitError extends Error {
  constructor(
    readonly taskId: string,
    readonly code: string | number | null | undefined,
  ) {
    super(`${taskId}: run() called process.exit(${code ?? ''})`);
    this.name = 'ProcessExitError';
  }
}

/** What the guard needs of a scheduler (Scheduler implements it). */
export interface GuardedScheduler {
  /** Fails every attempt running in this process with errorFor(taskId); returns their ids. */
  failRunning(errorFor: (taskId: string) => Error): string[];
  cancel(): void;
}

export interface RunGuard {
  /** Rejects with a RunnerCrashError when something no task can be blamed for went wrong. */
  readonly crashed: Promise<never>;
  /** The scheduler whose attempts a stalled event loop fails. */
  watch(scheduler: GuardedScheduler): void;
  remove(): void;
}

interface ActiveGuard {
  scheduler?: GuardedScheduler;
  /** Attempts already failed as never settling: if the loop empties again with only these, it is stuck. */
  stalled: Set<string>;
  crash(error: RunnerCrashError): void;
}

const active = new Set<ActiveGuard>();
/** Errors that already failed their task: when they surface again (a rejection of the promise they
 * ended), they are not a second error, and not one without a task. */
const blamed = new WeakSet<object>();
let originalExit: typeof process.exit | undefined;
let channelWasRefed = false;

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Fails the task whose context we are in; false when there is none (or its attempt is over). */
function blame(error: unknown): boolean {
  if (typeof error === 'object' && error !== null) {
    if (blamed.has(error)) return true;
    blamed.add(error);
  }
  const hooks = currentTaskHooks();
  if (!hooks) return false;
  if (hooks.fail?.(error)) return true;
  // Its attempt already ended (the error came from code it left running): say so on the task.
  hooks.log(
    'error',
    `after its attempt ended: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  return true;
}

function crashAll(error: RunnerCrashError): void {
  for (const guard of active) guard.crash(error);
}

function onUncaught(error: unknown): void {
  if (!blame(error))
    crashAll(new RunnerCrashError(`uncaught error outside any task: ${errorText(error)}`, { cause: error }));
}

function onUnhandled(reason: unknown): void {
  if (!blame(reason))
    crashAll(
      new RunnerCrashError(`unhandled rejection outside any task: ${errorText(reason)}`, { cause: reason }),
    );
}

/** The event loop is empty: whatever a running in-process attempt awaits can never happen. */
function onBeforeExit(): void {
  for (const guard of [...active]) {
    if (!guard.scheduler) {
      guard.crash(new RunnerCrashError('the run stalled before scheduling: a promise that can never settle'));
      continue;
    }
    const failed = guard.scheduler.failRunning(
      (id) =>
        new Error(`${id}: run() returned a promise that can never settle (nothing left could settle it)`),
    );
    const fresh = failed.filter((id) => !guard.stalled.has(id));
    for (const id of fresh) guard.stalled.add(id);
    if (fresh.length === 0) {
      guard.crash(
        new RunnerCrashError(
          `the run stalled: nothing can make progress${failed.length ? ` (still waiting for ${failed.join(', ')})` : ''}`,
        ),
      );
    }
  }
}

function guardedExit(code?: string | number | null): never {
  const hooks = currentTaskHooks();
  if (!hooks) return originalExit!.call(process, code);
  const error = new ProcessExitError(hooks.taskId, code);
  blamed.add(error);
  hooks.fail?.(error);
  throw error; // unwinds the task's code, which expected exit() never to return
}

function install(): void {
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUnhandled);
  process.on('beforeExit', onBeforeExit);
  originalExit = process.exit;
  process.exit = guardedExit as typeof process.exit;
  // An IPC channel to a parent (--events ipc) keeps the loop alive forever: a stalled run would
  // hang instead of reaching beforeExit. Messages still go out while it is unref'd.
  const channel = process.channel;
  if (channel && channelWasRefed === false && typeof channel.unref === 'function') {
    channel.unref();
    channelWasRefed = true;
  }
}

function uninstall(endsRun: boolean): void {
  if (endsRun) killTrackedProcesses(); // nothing a task started outlives the run
  process.removeListener('uncaughtException', onUncaught);
  process.removeListener('unhandledRejection', onUnhandled);
  process.removeListener('beforeExit', onBeforeExit);
  if (originalExit) process.exit = originalExit;
  originalExit = undefined;
  if (channelWasRefed) process.channel?.ref();
  channelWasRefed = false;
}

/**
 * Guards one run until remove(); several runs at once share the process-wide handlers. A guard with
 * `endsRun: false` guards one attempt in a process that lives on (a cluster worker): its removal
 * must not end what the process's other jobs are running (the isolated pool's members, their
 * children), so only the attempt's own children die with it (taskSpawn's attempt-end hook).
 */
export function installRunGuard(options: { endsRun?: boolean } = {}): RunGuard {
  let reject!: (e: RunnerCrashError) => void;
  const crashed = new Promise<never>((_, r) => (reject = r));
  crashed.catch(() => undefined); // nobody may be racing it yet: not itself an unhandled rejection
  const guard: ActiveGuard = {
    stalled: new Set(),
    crash: (error) => {
      guard.scheduler?.cancel();
      reject(error);
    },
  };
  if (active.size === 0) install();
  active.add(guard);
  return {
    crashed,
    watch: (scheduler) => {
      guard.scheduler = scheduler;
    },
    remove: () => {
      if (!active.delete(guard)) return;
      if (active.size === 0) uninstall(options.endsRun ?? true);
    },
  };
}
