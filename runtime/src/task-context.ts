// The running task, per async call chain: progress, status, logs and dynamic dependencies reach
// the scheduler through here, and console output is attributed to the task that printed it.
import { AsyncLocalStorage } from 'node:async_hooks';
import { setCommitGuard } from './atomic-write';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** What a running task can tell or ask the run. The worker creates one per attempt. */
export interface TaskRunHooks {
  readonly taskId: string;
  readonly signal: AbortSignal;
  /** Whether the attempt was stopped, without creating a signal just to ask. */
  readonly stopped: boolean;
  progress(fraction: number): void;
  status(message: string): void;
  log(level: LogLevel, text: string): void;
  /** Schedules tasks as dynamic requirements; resolves with their outputs once they are complete. */
  dependOn(tasks: unknown): Promise<unknown>;
  /**
   * Fails the attempt with `error` (run-guard.ts: an uncaught error, an unhandled rejection or
   * process.exit() from this task's code); false when the attempt is already over.
   */
  fail?(error: unknown): boolean;
}

const current = new AsyncLocalStorage<TaskRunHooks>();

export function runInTaskContext<R>(hooks: TaskRunHooks, fn: () => R): R {
  return current.run(hooks, fn);
}

export function currentTaskHooks(): TaskRunHooks | undefined {
  return current.getStore();
}

// An output must not appear after its task was cancelled or timed out: the last step of every
// atomic write asks the writing task whether it may still commit.
setCommitGuard(() => {
  const hooks = current.getStore();
  if (hooks?.stopped) {
    throw hooks.signal.reason instanceof Error
      ? hooks.signal.reason
      : new Error(`${hooks.taskId} was stopped`);
  }
});
