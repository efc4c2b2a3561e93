// The run-event stream: the one contract between the runtime and everything that shows a run.
// Each event is one JSON object on one line (JSON lines). The schema changes only with
// EVENT_SCHEMA_VERSION: adding an optional field is compatible; renaming, removing or changing the
// meaning of a field is not and bumps the version. Documented for humans in docs/events.md.

// v2: summary.blocked no longer counts tasks blocked only by missing external data (they moved to
// blockedByMissingExternal); new outcomes pipeline-error, incomplete, crashed.
export const EVENT_SCHEMA_VERSION = 2;

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
  /** True when the requirement is optional (`optional(…)`): its failure does not block `from`. */
  optional?: boolean;
}

/**
 * Task ids per category (each task in exactly one of ran … notRun) and per-task details. Fields
 * marked optional are always written from schema v2 on; v1 logs lack them (readers default to empty).
 */
export interface RunSummary {
  /** Ran in this run and completed, in the order they finished. */
  ran: string[];
  /** Were already complete: not run. */
  alreadyComplete: string[];
  /** Ran and failed (retries exhausted, timeout, crash, outputs missing after run()), in the order they failed. */
  failed: string[];
  /**
   * The pipeline is broken here (a scheduling error, not a failed attempt): requires() or
   * complete() threw, a requirement is not a task, the task is on a dependency cycle, or its id or
   * an output path is claimed by another task. Each has its message in `errors`.
   */
  schedulingErrors?: string[];
  /** Not run because a failed task or a scheduling error is upstream (v1: also missing data). */
  blocked: string[];
  /** Not run only because external data upstream is missing (nothing failed on their way). */
  blockedByMissingExternal?: string[];
  /** External data that does not exist (paths in `missingPaths`). */
  missingExternal: string[];
  cancelled: string[];
  /** Not run and not blocked: the run stopped before them (a pipeline error found before anything ran, a limit). */
  notRun?: string[];
  /** Retried at least once and still ended done. */
  succeededAfterRetry: string[];
  /** Requested roots that were not complete when the run ended (re-checked then). */
  incompleteRoots?: string[];
  /** Attempts started per task that ran (1 = no retry). */
  attempts?: Record<string, number>;
  /** Per blocked task: every root cause (failed, broken or missing task ids), deduplicated. */
  causes?: Record<string, string[]>;
  /** Per missing external task: the paths (absolute) or URIs looked for that do not exist. */
  missingPaths?: Record<string, string[]>;
  /** Per scheduling error: what is wrong. */
  errors?: Record<string, string>;
  /** The project root relative output paths were resolved against. */
  projectRoot?: string;
}

/** A summary as the runtime writes it (schema v2): every field present. */
export type CompleteRunSummary = RunSummary &
  Required<
    Pick<
      RunSummary,
      | 'schedulingErrors'
      | 'blockedByMissingExternal'
      | 'notRun'
      | 'incompleteRoots'
      | 'attempts'
      | 'causes'
      | 'missingPaths'
      | 'errors'
    >
  >;

/**
 * success: every requested root is complete; failed: a task failed; missing-external: nothing
 * failed but external data is missing; pipeline-error: the pipeline is broken (cycle, requires()/
 * complete() threw, one id or one output path for two tasks); incomplete: nothing failed or is
 * missing, yet a root is not complete; cancelled: stopped by a signal or Cancel; locked: another
 * run holds the run lock; error: the run could not start (bad command line, file, task, parameter,
 * config); crashed: the runner itself failed (no task to blame).
 */
export type RunOutcome =
  | 'success'
  | 'failed'
  | 'missing-external'
  | 'pipeline-error'
  | 'incomplete'
  | 'cancelled'
  | 'locked'
  | 'error'
  | 'crashed';

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
  /** Id of the first root task (kept for v1 readers; `roots` lists them all). */
  root: string;
  /** Ids of every requested root, in the order given (always written from v2 on). */
  roots?: string[];
  family: string;
  params: SerializedParams;
  /** The pipeline file or module the tasks came from, as given on the command line. */
  module: string;
  cwd: string;
  pid: number;
  workers: number;
  /** Unit mode: only the root runs; its requirements must already be complete. */
  unit: boolean;
  /** Test mode (from v2, absent otherwise): outputs resolve under this directory, not production. */
  testArea?: string;
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
  /** The cluster worker that runs the attempt (plumb run --cluster; absent in local runs). */
  worker?: string;
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
  /** Rows loaded or written so far, when the task counts them (a table load; added within v2). */
  rows?: number;
}

export interface TaskLogEvent extends EventBase {
  type: 'task-log';
  taskId: string;
  level: 'debug' | 'info' | 'warn' | 'error';
  /** One line of the task's log, without the trailing newline. */
  line: string;
}

/** A data check of a task's outputs, after its run() (added within v2: readers may ignore it). */
export interface TaskCheckEvent extends EventBase {
  type: 'task-check';
  taskId: string;
  attempt: number;
  /** The check's name, e.g. `rowCount(sales.csv)`. */
  check: string;
  ok: boolean;
  /** 'error': a failure fails the task and quarantines its outputs; 'warn': reported only. */
  severity: 'error' | 'warn';
  message?: string;
  /** The measured value, when the check has one (a row count, a computed number). */
  value?: number;
}

/** An SLA's deadline passed before its task (or the run) was done (added within v2). */
export interface SlaMissedEvent extends EventBase {
  type: 'sla-missed';
  scope: 'task' | 'run';
  /** Scope 'task': the task whose SLA was missed. */
  taskId?: string;
  /** The schedule item that fired the run (`reports[customer=acme]`), when a schedule did. */
  schedule?: string;
  /** The SLA as declared. */
  sla: { deadline?: string; timeZone?: string; within?: string };
  /** The reference start (ms): the scheduled fire time, else the run's start. */
  scheduledAt: number;
  /** ms since the epoch. */
  deadline: number;
  /** Where the task (or the run: 'running') stood when the deadline passed. */
  status: string;
  /** When the miss was seen, on the run's clock (PLUMB_NOW-injected in tests); `time` is the wall clock. */
  detectedAt: number;
}

/** One alert message to one webhook, delivered or given up on (added within v2). */
export interface AlertEvent extends EventBase {
  type: 'alert';
  kind: 'failure' | 'recovery' | 'sla-miss';
  url: string;
  format: 'slack' | 'json';
  /** The tasks the message is about (empty for a run's SLA). */
  taskIds: string[];
  delivered: boolean;
  tries: number;
  /** Why it was not delivered (the last try's error). */
  error?: string;
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
  /**
   * True for a scheduling error (attempt 0): the pipeline is broken at this task (requires() or
   * complete() threw, a requirement is not a task, a cycle, an identity conflict); nothing ran.
   */
  schedulingError?: boolean;
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
  /** For 'blocked': the root causes known when it was blocked (failed, broken or missing tasks); run-finished's summary.causes has them all. */
  blockedBy?: string[];
}

/** A task's place in a plan: what a run would do with it. */
export type PlanTaskState = 'complete' | 'will-run' | 'blocked' | 'skipped' | 'broken';

export interface PlannedTask {
  id: string;
  family: string;
  kind: TaskKind;
  state: PlanTaskState;
  /** For blocked: the root causes (missing external data, broken tasks; in unit mode, requirements not complete). */
  blockedBy?: string[];
  /** For external data that does not exist: the paths (absolute) or URIs looked for. */
  missingPaths?: string[];
  /** For broken: what is wrong (a scheduling error). */
  error?: string;
}

/**
 * What a run of the same command line would do, before it runs (`plumb run … --plan`; added
 * within v2): the run's own discovery, completeness checks and blocking, and no task started.
 */
export interface PlanEvent extends EventBase {
  type: 'plan';
  roots: string[];
  unit: boolean;
  /** Test mode: outputs are looked for under this directory (absent otherwise). */
  testArea?: string;
  /** Every task the run would discover before starting, in discovery order. */
  tasks: PlannedTask[];
  counts: {
    total: number;
    complete: number;
    willRun: number;
    blocked: number;
    skipped: number;
    broken: number;
  };
  /** Why the run would stop before starting anything (a cycle, an identity conflict, unit mode's requirements). */
  stop?: string;
  /** For people: "3 of 7 tasks will run; 1 blocked by missing external data: …". */
  text: string;
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

/**
 * plumb rerun, before its run (added within v2: readers may ignore it; it comes before run-started):
 * the affected set, and the existing outputs moved aside under `asideDir` until the run ends.
 */
export interface RerunPlanEvent extends EventBase {
  type: 'rerun-plan';
  mode: 'downstream' | 'upstream' | 'failed';
  /** The tasks it starts from; `tasks` adds what depends on them (upstream: what they need). */
  seeds: string[];
  tasks: string[];
  outputs: { taskId: string; path: string }[];
  /** Incomplete tasks outside the set that the run of the roots runs too. */
  alsoRuns: string[];
  asideDir: string;
}

/** plumb rerun, after run-finished: moved-aside outputs dropped (success) or put back (else). */
export interface RerunSettledEvent extends EventBase {
  type: 'rerun-settled';
  /** Outputs moved back because the rerun did not produce them again. */
  restored: string[];
  /** Outputs the rerun produced again (their old copies dropped). */
  replaced: string[];
  /** Could not be moved back: still in asideDir, for plumb rerun --recover. */
  stuck: string[];
}

export type RunEvent =
  | RerunPlanEvent
  | RerunSettledEvent
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
  | TaskCheckEvent
  | PlanEvent
  | SlaMissedEvent
  | AlertEvent
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
  'pipeline-error': 5,
  incomplete: 6,
  crashed: 70,
  cancelled: 130,
};

/** When several outcomes apply, the first of these wins. */
export const OUTCOME_PRECEDENCE: readonly RunOutcome[] = [
  'cancelled',
  'pipeline-error',
  'failed',
  'missing-external',
  'incomplete',
  'success',
];

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
