// What the plumb CLI hands the cluster when it loads it: its own loader, task factory and isolated
// runner, so workers run tasks exactly as `plumb run` does, and this package imports no CLI internals.
import { type Task } from 'plumb-pipelines';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** The scheduler's view of a running attempt (plumb-pipelines' TaskRunHooks). */
export interface AttemptHooks {
  readonly taskId: string;
  readonly signal: AbortSignal;
  readonly stopped: boolean;
  progress(fraction: number): void;
  status(message: string, rows?: number): void;
  log(level: LogLevel, text: string): void;
}

export type AttemptOutcome =
  { kind: 'done' } | { kind: 'failed'; error: unknown; timedOut?: boolean; cancelled?: boolean };

/** A graph node as the scheduler gives it to an isolated runner. */
export interface AttemptNode {
  readonly id: string;
  readonly task: Task;
}

/** Runs one attempt somewhere else (plumb-pipelines' IsolatedRunner). */
export type AttemptRunner = (
  node: AttemptNode,
  hooks: AttemptHooks,
  attempt: number,
  /** With the worker's name on a cluster: task-running carries it; with the attempt's own number
   * when it is not `attempt` (resumed-attempts.ts). */
  spawned: (pid: number | undefined, worker?: string, attempt?: number) => void,
) => Promise<AttemptOutcome>;

export interface CliHost {
  /** The plumb CLI script (isolated members are its children). */
  cliScript: string;
  loadPipeline(file: string): { file: string; families: Map<string, new (...args: never[]) => Task> };
  buildTask(cls: new (...args: never[]) => Task, params: Record<string, string>): Task;
  taskParamStrings(task: Task): Record<string, string>;
  /** Sets the project root and reads plumb.toml, as a run does before loading a pipeline. */
  enterProject(projectRoot: string): void;
  isolatedRunner(cliScript: string, modulePath: string, projectRoot: string): AttemptRunner;
  /** Whether the task's own policy isolates it (plumb.toml [tasks.X] isolate, the class's, a timeout). */
  isolates(task: Task, projectRoot: string): boolean;
  /**
   * Runs one attempt in this process under the run guard (process.exit, uncaught errors and
   * unhandled rejections from its code fail it alone), its console output in its log; `signal`
   * stops it.
   */
  runInProcess(
    task: Task,
    reports: Pick<AttemptHooks, 'progress' | 'status' | 'log'>,
    signal?: AbortSignal,
  ): Promise<AttemptOutcome>;
  findProjectRoot(dir: string): string | undefined;
  /** The outputs of the task's requirements it cannot run without (optional ones left out). */
  requiredInputs(task: Task): { exists(): boolean | Promise<boolean>; path?: string }[];
  /** `plumb run` arguments of a schedule item's fire (plumb.toml read now), or undefined if it is gone. */
  fireRunArguments(projectRoot: string, item: string, at: Date): string[] | undefined;
  /** plumb.toml's [cluster] section (redis = "redis://…"), or {}. */
  clusterSettings(): Record<string, unknown>;
  /** The CLI's usage error (exit 2). */
  usageError(message: string): Error;
  /** The runtime's timeout error: an attempt aborted with it ends failed and timed out, as locally. */
  timeoutError(taskId: string, timeoutMs: number): Error;
}

/** The Redis URL: the flag, else PLUMB_REDIS_URL, else plumb.toml's [cluster] redis. */
export function redisUrl(host: CliHost, flag: string | undefined): string | undefined {
  if (flag) return flag;
  if (process.env.PLUMB_REDIS_URL) return process.env.PLUMB_REDIS_URL;
  const configured = host.clusterSettings().redis;
  if (configured !== undefined && typeof configured !== 'string')
    throw host.usageError('plumb.toml [cluster] redis must be a string (redis://host:port)');
  return configured;
}
