// The run-event stream: the one contract between the runtime and everything that shows a run.
// Each event is one JSON object on one line (JSON lines). The schema changes only with
// EVENT_SCHEMA_VERSION: adding an optional field is compatible; renaming, removing or changing the
// meaning of a field is not and bumps the version. Documented for humans in docs/events.md.

export const EVENT_SCHEMA_VERSION = 1;

/** A task's significant parameters as their canonical string form (what the CLI would accept). */
export type SerializedParams = Record<string, string>;

/** Where a task stands, as the graph shows it. */
export type TaskStatus =
  | 'pending' // will run when its requirements are complete
  | 'running'
  | 'done' // ran in this run and completed
  | 'complete' // was already complete before the run: not run
  | 'failed'
  | 'blocked' // a requirement failed or is missing: not run
  | 'missing-external' // an ExternalTask whose outputs do not exist
  | 'cancelled';

export type TaskKind = 'task' | 'external' | 'wrapper';

export interface GraphNode {
  /** Stable task id: family + significant parameters, e.g. `AggregateArtists(date_interval=2026-11-01-2026-11-07)`. */
  id: string;
  family: string;
  kind: TaskKind;
  params: SerializedParams;
  /** Status when discovered: 'complete', 'pending', 'missing-external', or 'failed' when requires()/complete() threw. */
  status: TaskStatus;
  /** Paths (or URIs) of the task's output targets, for display. */
  outputs: string[];
  /** Source location of the task's class when the runtime can tell (file path, 1-based line). */
  source?: { file: string; line?: number };
}

export interface GraphEdge {
  /** The requiring task's id (downstream). */
  from: string;
  /** The required task's id (upstream). */
  to: string;
  /** True when the requirement was yielded from run() (a dynamic dependency). */
  dynamic?: boolean;
}

export interface RunSummary {
  /** Ran in this run and completed. */
  ran: string[];
  /** Were already complete: not run. */
  alreadyComplete: string[];
  failed: string[];
  /** Not run because something they depend on failed or is missing. */
  blocked: string[];
  /** External data that does not exist. */
  missingExternal: string[];
  cancelled: string[];
  /** How many tasks were retried at least once and still ended done. */
  succeededAfterRetry: string[];
}

/**
 * success: everything complete; failed: a task failed; missing-external: nothing failed but
 * external data was missing; cancelled: stopped by a signal or Cancel; locked: another run of the
 * same root holds the run lock; error: the run could not start (bad file, task, parameter, config).
 */
export type RunOutcome = 'success' | 'failed' | 'missing-external' | 'cancelled' | 'locked' | 'error';

interface EventBase {
  /** Schema version of this event (EVENT_SCHEMA_VERSION when written). */
  v: number;
  /** Unique id of the run this event belongs to. */
  runId: string;
  /** 0-based position in the run's stream: consumers can detect gaps and order replays. */
  seq: number;
  /** Wall-clock time of the event, milliseconds since the epoch. */
  time: number;
}

export interface RunStartedEvent extends EventBase {
  type: 'run-started';
  /** Id of the root task. */
  root: string;
  family: string;
  params: SerializedParams;
  /** The pipeline file or module the tasks came from, as given on the command line. */
  module: string;
  cwd: string;
  pid: number;
  workers: number;
  /** Unit mode: only the root runs; its requirements must already be complete. */
  unit: boolean;
  /** Effective configuration (plumb.toml merged with flags), for display. */
  config: Record<string, unknown>;
  runtimeVersion: string;
}

/** Nodes and edges discovered. Cumulative: each graph event adds to what earlier ones said. */
export interface GraphEvent extends EventBase {
  type: 'graph';
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export interface TaskPendingEvent extends EventBase {
  type: 'task-pending';
  taskId: string;
}

export interface TaskRunningEvent extends EventBase {
  type: 'task-running';
  taskId: string;
  /** 1 for the first try, 2 for the first retry, … */
  attempt: number;
  /** Process id when the task runs in an isolated child process. */
  pid?: number;
}

export interface TaskProgressEvent extends EventBase {
  type: 'task-progress';
  taskId: string;
  /** 0..1 */
  fraction: number;
}

export interface TaskStatusMessageEvent extends EventBase {
  type: 'task-status';
  taskId: string;
  message: string;
}

export interface TaskLogEvent extends EventBase {
  type: 'task-log';
  taskId: string;
  level: 'debug' | 'info' | 'warn' | 'error';
  /** One line of the task's log, without the trailing newline. */
  line: string;
}

export interface TaskDoneEvent extends EventBase {
  type: 'task-done';
  taskId: string;
  attempt: number;
  durationMs: number;
}

export interface TaskError {
  name: string;
  message: string;
  /** The message lines and the pipeline's own frames (Node's and the runtime's are dropped). */
  stack?: string;
  /** Where the error was thrown in the pipeline source, when the stack tells (source-mapped). */
  location?: { file: string; line: number; column: number };
}

export interface TaskFailedEvent extends EventBase {
  type: 'task-failed';
  taskId: string;
  attempt: number;
  durationMs: number;
  error: TaskError;
  /** True when a retry follows (a task-retrying event comes next). */
  willRetry: boolean;
  /** True when the task was stopped by its timeout. */
  timedOut?: boolean;
}

export interface TaskRetryingEvent extends EventBase {
  type: 'task-retrying';
  taskId: string;
  /** The attempt that will start after the delay. */
  nextAttempt: number;
  delayMs: number;
}

export interface TaskSkippedEvent extends EventBase {
  type: 'task-skipped';
  taskId: string;
  reason: 'already-complete' | 'blocked' | 'missing-external' | 'cancelled';
  /** For 'blocked': the failed or missing tasks it waited for. */
  blockedBy?: string[];
}

export interface RunFinishedEvent extends EventBase {
  type: 'run-finished';
  outcome: RunOutcome;
  exitCode: number;
  durationMs: number;
  summary: RunSummary;
  /** For outcome 'error' or 'locked': what went wrong, naming the file, task or parameter. */
  message?: string;
}

export type RunEvent =
  | RunStartedEvent
  | GraphEvent
  | TaskPendingEvent
  | TaskRunningEvent
  | TaskProgressEvent
  | TaskStatusMessageEvent
  | TaskLogEvent
  | TaskDoneEvent
  | TaskFailedEvent
  | TaskRetryingEvent
  | TaskSkippedEvent
  | RunFinishedEvent;

export type RunEventType = RunEvent['type'];

/** An event before the stream stamps it with version, run id, sequence number and time. */
export type RunEventPayload = RunEvent extends infer E
  ? E extends RunEvent
    ? Omit<E, keyof EventBase>
    : never
  : never;

/** Process exit codes of `plumb run`, one per outcome, so scripts and schedulers can tell them apart. */
export const EXIT_CODES: Record<RunOutcome, number> = {
  success: 0,
  failed: 1,
  error: 2,
  'missing-external': 3,
  locked: 4,
  cancelled: 130,
};

/** Parses one line of a JSON-lines event stream; returns undefined for lines that are not events. */
export function parseEventLine(line: string): RunEvent | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(trimmed) as Partial<RunEvent>;
    if (typeof value.type !== 'string' || typeof value.v !== 'number' || typeof value.runId !== 'string') {
      return undefined;
    }
    return value as RunEvent;
  } catch {
    return undefined;
  }
}
