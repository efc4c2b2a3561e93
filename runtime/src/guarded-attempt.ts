// One attempt of a task in this process, guarded as an isolated member guards its attempts but
// without the process: process.exit(), an uncaught error or an unhandled rejection from the task's
// code fail this attempt only, and its console output goes to its log. A cluster worker runs the
// tasks that are not isolated this way, as `plumb run` runs them in its own process.
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

/** `signal` (optional) stops the attempt as a cancel stops a local one. */
export function runGuardedAttempt(
  task: Task,
  reports: AttemptReports,
  signal?: AbortSignal,
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
    dependOn: () => Promise.reject(new Error('dynamic dependencies are not supported on a cluster')),
    fail,
  };
  const onAbort = () => fail(signal!.reason);
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  const guard = installRunGuard({ endsRun: false });
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
              error: new Error('dynamic dependencies (yield) are not supported on a cluster'),
            }
          : o,
      (error: unknown): GuardedOutcome => ({ kind: 'failed', error }),
    )
    .finally(end);
}
