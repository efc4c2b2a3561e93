// One attempt of a task guarded in a process that lives on: process.exit(), an uncaught error or
// an unhandled rejection from the task's code fail this attempt only, and its console output goes
// to its log. An isolated task's pool member runs each attempt this way (cli-isolate-member.ts), and
// a cluster worker the tasks that are not isolated, as `plumb run` runs them in its own process.
import { captureTaskConsole } from './console-capture';
import { installRunGuard } from './run-guard';
import { type LogLevel, type TaskRunHooks } from './task-context';
import { type Task } from './task';
import { runAttempt, type AttemptOutcome } from './worker';

/** Where an attempt's progress, status and logs go (nothing of it after its end). */
export interface AttemptReports {
  progress(fraction: number): void;
  status(message: string, rows?: number): void;
  log(level: LogLevel, text: string): void;
}

export type GuardedOutcome = Exclude<AttemptOutcome, { kind: 'yield' }>;

export interface GuardOptions {
  /** Stops the attempt as a cancel stops a local one. */
  signal?: AbortSignal;
  /**
   * The attempt's end ends the process's "run" (every process a task started is killed): true in a
   * pool member, which runs nothing else; false in a cluster worker, whose other jobs run on.
   */
  endsRun: boolean;
  /** Where the attempt runs ("in isolated tasks"), for what is not supported there: dynamic dependencies. */
  where: string;
}

/** A cluster worker's attempt in its own process: `signal` (optional) stops it as a cancel does. */
export function runGuardedAttempt(
  task: Task,
  reports: AttemptReports,
  signal?: AbortSignal,
): Promise<GuardedOutcome> {
  return guardedAttempt(task, reports, {
    ...(signal ? { signal } : {}),
    endsRun: false,
    where: 'on a cluster',
  });
}

export function guardedAttempt(
  task: Task,
  reports: AttemptReports,
  { signal, endsRun, where }: GuardOptions,
): Promise<GuardedOutcome> {
  const controller = new AbortController();
  let over = false;
  const fail = (error: unknown): boolean => {
    if (over) return false; // code the attempt left running: the guard logs it instead
    if (!controller.signal.aborted) controller.abort(error);
    return true;
  };
  const hooks: TaskRunHooks = {
    taskId: task.taskId,
    signal: controller.signal,
    get stopped() {
      return controller.signal.aborted;
    },
    progress: (fraction) => void (over || reports.progress(fraction)),
    status: (message, rows) => void (over || reports.status(message, rows)),
    log: (level, text) => void (over || reports.log(level, text)),
    dependOn: () => Promise.reject(new Error(`dynamic dependencies are not supported ${where}`)),
    fail,
  };
  const onAbort = () => fail(signal!.reason);
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  const guard = installRunGuard({ endsRun });
  guard.watch({
    failRunning: (errorFor) => (fail(errorFor(task.taskId)) ? [task.taskId] : []),
    cancel: () => undefined,
  });
  const release = captureTaskConsole();
  const end = () => {
    over = true;
    signal?.removeEventListener('abort', onAbort);
    release();
    guard.remove();
  };
  let outcome: AttemptOutcome | Promise<AttemptOutcome>;
  try {
    outcome = runAttempt(task, hooks);
  } catch (error) {
    end();
    return Promise.resolve({ kind: 'failed', error });
  }
  const settled = outcome instanceof Promise ? Promise.race([outcome, guard.crashed]) : outcome;
  return Promise.resolve(settled)
    .then(
      (o): GuardedOutcome =>
        o.kind === 'yield'
          ? {
              kind: 'failed',
              error: new Error(`dynamic dependencies (yield) are not supported ${where}`),
            }
          : o,
      (error: unknown): GuardedOutcome => ({ kind: 'failed', error }),
    )
    .finally(end);
}
