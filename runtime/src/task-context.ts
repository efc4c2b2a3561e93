// The running task, per async call chain: progress, status, logs and dynamic dependencies reach
// the scheduler through here, and console output is attributed to the task that printed it.
import { AsyncLocalStorage } from 'node:async_hooks';
import { setAttemptLookup } from './atomic-write';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** What a running task can tell or ask the run. The worker creates one per attempt. */
export interface TaskRunHooks {
  readonly taskId: string;
  readonly signal: AbortSignal;
  /** Whether the attempt was stopped, without creating a signal just to ask. */
  readonly stopped: boolean;
  progress(fraction: number): void;
  status(message: string, rows?: number): void;
  log(level: LogLevel, text: string): void;
  /** Schedules tasks as dynamic requirements; resolves with their outputs once they are complete. */
  dependOn(tasks: unknown): Promise<unknown>;
  /**
   * Fails the attempt with `error` (run-guard.ts: an uncaught error, an unhandled rejection or
   * process.exit() from this task's code); false when the attempt is already over.
   */
  fail?(error: unknown): boolean;
  /**
   * Durable mode: the attempt's code is over and only its outputs' commit (fsyncs, renames) is
   * left: the scheduler may give its worker slot to another task until `commit` settles. The
   * attempt still counts, and its dependents start, only after that.
   */
  commitOutsideSlot?<T>(commit: Promise<T>): Promise<T>;
}

const current = new AsyncLocalStorage<TaskRunHooks>();

/**
 * What runs when an attempt's code is over (child-processes.ts: kill what it started). Only
 * attempts that registered something pay for watching their end: the others keep one WeakMap entry
 * (their pending promise), never an extra promise reaction.
 */
const endListeners = new WeakMap<TaskRunHooks, Set<() => void>>();
/**
 * The pending promise of an attempt's run() (or generator step), until someone needs its end: a
 * slot on the hooks object (a WeakMap entry per attempt cost ~9 µs in garbage collection).
 */
const PENDING = Symbol('plumb.pendingRun');
type WithPending = TaskRunHooks & { [PENDING]?: Promise<unknown> | undefined };

/** Calls `fn` once the attempt's run() is over (returned, threw, settled); returns an unsubscribe. */
export function whenAttemptEnds(hooks: TaskRunHooks, fn: () => void): () => void {
  let set = endListeners.get(hooks);
  if (!set) {
    endListeners.set(hooks, (set = new Set()));
    const pending = (hooks as WithPending)[PENDING];
    if (pending) watchEnd(hooks, pending);
  }
  set.add(fn);
  return () => set.delete(fn);
}

function attemptEnded(hooks: TaskRunHooks): void {
  const set = endListeners.get(hooks);
  if (!set) return;
  endListeners.delete(hooks);
  for (const fn of set) fn();
}

function watchEnd(hooks: TaskRunHooks, promise: Promise<unknown>): void {
  (hooks as WithPending)[PENDING] = undefined;
  promise.then(
    (value) => goesOn(value) || attemptEnded(hooks),
    () => attemptEnded(hooks),
  );
}

/** A generator step that yielded (the attempt goes on), or a generator not started yet. */
function goesOn(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const v = value as { done?: unknown; next?: unknown };
  return v.done === false || typeof v.next === 'function';
}

/**
 * Runs user code (run(), or one step of a generator run()) in the task's context: `method` called
 * on `self` (no closure per attempt). The attempt is over when that code throws, returns, or its
 * promise settles, except when a step yielded.
 */
export function runInTaskContext<T, R>(hooks: TaskRunHooks, method: (this: T) => R, self: T): R {
  let result: R;
  try {
    result = current.run(hooks, callOn<T, R>, method, self);
  } catch (error) {
    attemptEnded(hooks);
    throw error;
  }
  if (result instanceof Promise) {
    if (endListeners.has(hooks)) watchEnd(hooks, result);
    else (hooks as WithPending)[PENDING] = result;
  } else if (!goesOn(result)) attemptEnded(hooks);
  return result;
}

function callOn<T, R>(method: (this: T) => R, self: T): R {
  return method.call(self);
}

export function currentTaskHooks(): TaskRunHooks | undefined {
  return current.getStore();
}

// Atomic writes ask the attempt writing them whether it may still commit (not once it was cancelled
// or timed out), note on it what it committed, and tie durable synchronous writes to it (worker.ts).
setAttemptLookup(() => current.getStore());
