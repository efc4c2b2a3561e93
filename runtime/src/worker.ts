// Runs one attempt of one task in this process: plain, async or generator run(), inside the
// task's context, stopped by its abort signal (cancel or timeout). It never decides what runs next.
import { endAttemptWrites, isDurable } from './atomic-write';
import { runInTaskContext, type TaskRunHooks } from './task-context';
import { type Requirements, type Task, type TaskMethods } from './task';

export type AttemptOutcome =
  | { kind: 'done' }
  | { kind: 'failed'; error: unknown; timedOut?: boolean; cancelled?: boolean }
  /** run() yielded dynamic requirements; call resume with their outputs once they are complete. */
  | {
      kind: 'yield';
      tasks: Requirements;
      resume: (outputs: unknown) => AttemptOutcome | Promise<AttemptOutcome>;
    };

/** The outcome of every attempt that succeeded: one shared object, none made per attempt. */
const DONE: AttemptOutcome = Object.freeze({ kind: 'done' });

export class TaskTimeoutError extends Error {
  constructor(
    readonly taskId: string,
    readonly timeoutMs: number,
  ) {
    super(`${taskId} timed out after ${timeoutMs} ms`);
    this.name = 'TaskTimeoutError';
  }
}

export class TaskCancelledError extends Error {
  constructor(readonly taskId: string) {
    super(`${taskId} was cancelled`);
    this.name = 'TaskCancelledError';
  }
}

type AnyIterator = Iterator<unknown, unknown, unknown> | AsyncIterator<unknown, unknown, unknown>;

function isIterator(value: unknown): value is AnyIterator {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { next?: unknown }).next === 'function' &&
    (Symbol.iterator in value || Symbol.asyncIterator in value)
  );
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function'
  );
}

function stopped(signal: AbortSignal, error: unknown): AttemptOutcome {
  const reason: unknown = signal.reason;
  if (reason instanceof TaskTimeoutError) return { kind: 'failed', error: reason, timedOut: true };
  if (reason instanceof TaskCancelledError) return { kind: 'failed', error: reason, cancelled: true };
  return { kind: 'failed', error };
}

/** Resolves with the promise's outcome, or as soon as the signal aborts (the task cannot commit after that). */
function raceAbort(promise: PromiseLike<AttemptOutcome>, signal: AbortSignal): Promise<AttemptOutcome> {
  if (signal.aborted) {
    // Decided already; the run()'s own later rejection is that outcome, not an unhandled one.
    Promise.resolve(promise).then(undefined, () => undefined);
    return Promise.resolve(stopped(signal, signal.reason));
  }
  return new Promise((resolve) => {
    const onAbort = () => resolve(stopped(signal, signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (outcome) => {
        signal.removeEventListener('abort', onAbort);
        resolve(signal.aborted ? stopped(signal, signal.reason) : outcome);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        resolve(signal.aborted ? stopped(signal, error) : { kind: 'failed', error });
      },
    );
  });
}

/** Starts one attempt. Synchronous run() methods finish synchronously: no promise, no tick. */
export function runAttempt(task: Task, hooks: TaskRunHooks): AttemptOutcome | Promise<AttemptOutcome> {
  const outcome = runCode(task, hooks);
  return isDurable() ? committed(hooks, outcome) : outcome;
}

/**
 * Durable mode: an attempt counts only once the outputs it wrote are on disk (atomic-write.ts,
 * endAttemptWrites); a failed one throws its deferred writes away.
 */
function committed(
  hooks: TaskRunHooks,
  outcome: AttemptOutcome | Promise<AttemptOutcome>,
): AttemptOutcome | Promise<AttemptOutcome> {
  if (outcome instanceof Promise) return outcome.then((o) => committed(hooks, o));
  if (outcome.kind === 'yield') {
    const resume = outcome.resume;
    return { ...outcome, resume: (outputs) => committed(hooks, resume(outputs)) };
  }
  const writes = endAttemptWrites(hooks, outcome.kind === 'done');
  if (!writes) return outcome;
  const counted = writes.then(
    () => outcome,
    (error: unknown): AttemptOutcome =>
      hooks.stopped ? stopped(hooks.signal, error) : { kind: 'failed', error },
  );
  // Only fsyncs and renames are left: the slot may run the next task meanwhile (bounded, since
  // each commit holds open files until its fsync), so `--workers 1` overlaps them too.
  if (!hooks.commitOutsideSlot || committingOutside >= MAX_COMMITTING_OUTSIDE) return counted;
  committingOutside++;
  return hooks.commitOutsideSlot(counted.finally(() => committingOutside--));
}

/** Attempts whose durable commit goes on after they gave their worker slot back. */
let committingOutside = 0;
const MAX_COMMITTING_OUTSIDE = 64;

function runCode(task: Task, hooks: TaskRunHooks): AttemptOutcome | Promise<AttemptOutcome> {
  const run = (task as TaskMethods).run;
  if (typeof run !== 'function') return DONE;
  if (hooks.stopped) return stopped(hooks.signal, hooks.signal.reason); // cancelled before it began
  let result: unknown;
  try {
    result = runInTaskContext(hooks, run, task);
  } catch (error) {
    return { kind: 'failed', error };
  }
  if (isIterator(result)) return step(result, undefined, hooks);
  if (isPromiseLike(result)) {
    return raceAbort(
      Promise.resolve(result).then(() => DONE),
      hooks.signal,
    );
  }
  return DONE;
}

/** Advances a generator run() to its next yield (or its end). */
function step(
  gen: AnyIterator,
  input: unknown,
  hooks: TaskRunHooks,
): AttemptOutcome | Promise<AttemptOutcome> {
  if (hooks.signal.aborted) {
    void Promise.resolve(gen.return?.(undefined)).catch(() => undefined);
    return stopped(hooks.signal, hooks.signal.reason);
  }
  let next: IteratorResult<unknown> | Promise<IteratorResult<unknown>>;
  try {
    next = runInTaskContext(hooks, () => gen.next(input), undefined);
  } catch (error) {
    return { kind: 'failed', error };
  }
  const handle = (r: IteratorResult<unknown>): AttemptOutcome =>
    r.done
      ? DONE
      : { kind: 'yield', tasks: r.value as Requirements, resume: (outputs) => step(gen, outputs, hooks) };
  if (isPromiseLike(next)) return raceAbort(Promise.resolve(next).then(handle), hooks.signal);
  return handle(next);
}
