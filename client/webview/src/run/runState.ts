// Folds a run's event stream into what the run view shows: tasks with status, attempts, progress,
// logs and errors; the DAG; the summary. Pure and DOM-free; replays and live runs go through it alike.
import type {
  GraphEdge,
  RunEvent,
  RunOutcome,
  RunSummary,
  SerializedParams,
  TaskError,
  TaskKind,
  TaskStatus,
} from '../../../../runtime/src/events';
import { addCheckResult, type CheckResult } from './checkResults';
import { slaMissOf, type SlaMiss } from './slaMisses';

export interface Attempt {
  attempt: number;
  start: number;
  end?: number;
  outcome: 'running' | 'done' | 'failed';
  timedOut?: boolean;
  /** The cluster worker that ran it (plumb run --cluster; workerLabel.ts). */
  worker?: string;
}

export interface LogLine {
  time: number;
  level: 'debug' | 'info' | 'warn' | 'error';
  line: string;
}

export interface TaskRun {
  id: string;
  family: string;
  kind: TaskKind;
  params: SerializedParams;
  outputs: string[];
  source?: { file: string; line?: number };
  status: TaskStatus;
  /** A failed attempt with a retry coming. */
  retrying: boolean;
  attempts: Attempt[];
  progress?: number;
  statusMessage?: string;
  /** Rows loaded so far, when the task counts them (task-status `rows`; rowsLoaded.ts). */
  rows?: number;
  /** Data-check results of the latest attempt (task-check; checkResults.ts). */
  checks?: CheckResult[];
  /** Its SLA's deadline passed before it was done (sla-missed; slaMisses.ts). */
  slaMiss?: SlaMiss;
  logs: LogLine[];
  error?: TaskError;
  /** A scheduling error (v2): the pipeline is broken at this task; it never ran. */
  broken?: boolean;
  blockedBy?: string[];
  durationMs?: number;
}

export interface RunState {
  runId: string | null;
  live: boolean;
  /** A live run the debugger holds at a breakpoint (from the host, not the event stream). */
  paused?: boolean;
  root?: string;
  /** Every requested root (v1 logs name only `root`). */
  roots: string[];
  family?: string;
  unit: boolean;
  startedAt?: number;
  finishedAt?: number;
  /** Time of the latest event: "now" for a replay, where the wall clock means nothing. */
  lastEventAt?: number;
  tasks: Map<string, TaskRun>;
  /** Task ids in discovery order. */
  order: string[];
  edges: GraphEdge[];
  /** Increases whenever nodes or edges are added: the view re-lays out only then. */
  graphVersion: number;
  outcome?: RunOutcome;
  exitCode?: number;
  durationMs?: number;
  summary?: RunSummary;
  message?: string;
  /** Sequence numbers the stream skipped (events lost), so the view can say the picture may be partial. */
  gaps: number;
  lastSeq: number;
  /** Missed SLAs, the run's and its tasks' (slaMisses.ts). */
  slaMisses?: SlaMiss[];
}

/** Logs kept per task: enough to read what went wrong without letting a chatty task eat memory. */
export const MAX_LOG_LINES = 5000;

export function emptyRun(runId: string | null = null, live = false): RunState {
  return {
    runId,
    live,
    roots: [],
    unit: false,
    tasks: new Map(),
    order: [],
    edges: [],
    graphVersion: 0,
    gaps: 0,
    lastSeq: -1,
  };
}

function taskOf(state: RunState, id: string): TaskRun {
  let task = state.tasks.get(id);
  if (!task) {
    // An event for a task no graph event announced yet: show it rather than lose it.
    task = {
      id,
      family: id.replace(/\(.*$/, ''),
      kind: 'task',
      params: {},
      outputs: [],
      status: 'pending',
      retrying: false,
      attempts: [],
      logs: [],
    };
    state.tasks.set(id, task);
    state.order.push(id);
    state.graphVersion++;
  }
  return task;
}

function closeAttempt(
  task: TaskRun,
  attemptNo: number,
  time: number,
  outcome: 'done' | 'failed',
  timedOut?: boolean,
): void {
  const attempt = task.attempts.find((a) => a.attempt === attemptNo && a.outcome === 'running');
  if (attempt) {
    attempt.end = time;
    attempt.outcome = outcome;
    if (timedOut) attempt.timedOut = true;
  }
}

const SKIP_STATUS: Record<string, TaskStatus> = {
  'already-complete': 'complete',
  blocked: 'blocked',
  'missing-external': 'missing-external',
  cancelled: 'cancelled',
};

/**
 * Applies events to `state` in place and returns it. In place because a live run sends thousands
 * of log and progress events; the view owns one state and re-renders from it per batch.
 * Events of another run are ignored.
 */
export function applyRunEvents(state: RunState, events: RunEvent[]): RunState {
  for (const event of events) {
    if (state.runId !== null && event.runId !== state.runId) continue;
    if (state.runId === null) state.runId = event.runId;
    if (event.seq > state.lastSeq + 1 && state.lastSeq >= 0) state.gaps += event.seq - state.lastSeq - 1;
    state.lastSeq = Math.max(state.lastSeq, event.seq);
    state.lastEventAt = Math.max(state.lastEventAt ?? 0, event.time);
    applyOne(state, event);
  }
  return state;
}

function applyOne(state: RunState, event: RunEvent): void {
  switch (event.type) {
    case 'run-started':
      state.root = event.root;
      state.roots = event.roots ?? [event.root];
      state.family = event.family;
      state.unit = event.unit;
      state.startedAt = event.time;
      return;
    case 'graph': {
      for (const node of event.nodes) {
        const known = state.tasks.get(node.id);
        if (known) {
          Object.assign(known, {
            family: node.family,
            kind: node.kind,
            params: node.params,
            outputs: node.outputs,
            source: node.source,
          });
          continue;
        }
        state.tasks.set(node.id, {
          id: node.id,
          family: node.family,
          kind: node.kind,
          params: node.params,
          outputs: node.outputs,
          source: node.source,
          status: node.status,
          retrying: false,
          attempts: [],
          logs: [],
        });
        state.order.push(node.id);
      }
      const seen = new Set(state.edges.map((e) => `${e.from}>${e.to}`));
      for (const edge of event.edges) {
        if (!seen.has(`${edge.from}>${edge.to}`)) {
          state.edges.push(edge);
          seen.add(`${edge.from}>${edge.to}`);
        }
      }
      state.graphVersion++;
      return;
    }
    case 'task-pending':
      taskOf(state, event.taskId).status = 'pending';
      return;
    case 'task-running': {
      const task = taskOf(state, event.taskId);
      task.status = 'running';
      task.retrying = false;
      task.progress = undefined;
      task.rows = undefined;
      task.attempts.push({
        attempt: event.attempt,
        start: event.time,
        outcome: 'running',
        ...(event.worker !== undefined && { worker: event.worker }),
      });
      return;
    }
    case 'task-progress':
      taskOf(state, event.taskId).progress = Math.min(1, Math.max(0, event.fraction));
      return;
    case 'task-status': {
      const task = taskOf(state, event.taskId);
      task.statusMessage = event.message;
      if (event.rows !== undefined) task.rows = event.rows;
      return;
    }
    case 'task-log': {
      const task = taskOf(state, event.taskId);
      task.logs.push({ time: event.time, level: event.level, line: event.line });
      if (task.logs.length > MAX_LOG_LINES) task.logs.splice(0, task.logs.length - MAX_LOG_LINES);
      return;
    }
    case 'task-done': {
      const task = taskOf(state, event.taskId);
      closeAttempt(task, event.attempt, event.time, 'done');
      task.status = 'done';
      task.retrying = false;
      task.progress = 1;
      task.durationMs = event.durationMs;
      return;
    }
    case 'task-failed': {
      const task = taskOf(state, event.taskId);
      closeAttempt(task, event.attempt, event.time, 'failed', event.timedOut);
      task.status = 'failed';
      task.retrying = event.willRetry;
      task.error = event.error;
      if (event.schedulingError) task.broken = true;
      task.durationMs = event.durationMs;
      return;
    }
    case 'task-check': {
      const task = taskOf(state, event.taskId);
      task.checks = addCheckResult(task.checks, event);
      return;
    }
    case 'sla-missed': {
      const miss = slaMissOf(event);
      (state.slaMisses ??= []).push(miss);
      if (event.taskId !== undefined) taskOf(state, event.taskId).slaMiss = miss;
      return;
    }
    case 'task-retrying':
      taskOf(state, event.taskId).retrying = true;
      return;
    case 'task-skipped': {
      const task = taskOf(state, event.taskId);
      task.status = SKIP_STATUS[event.reason] ?? task.status;
      if (event.blockedBy) task.blockedBy = event.blockedBy;
      return;
    }
    case 'run-finished':
      state.outcome = event.outcome;
      state.exitCode = event.exitCode;
      state.durationMs = event.durationMs;
      state.summary = event.summary;
      state.message = event.message;
      state.finishedAt = event.time;
      state.live = false;
      // A cancelled or crashed run leaves attempts open: they ended when the run did.
      for (const task of state.tasks.values()) {
        for (const a of task.attempts) if (a.outcome === 'running') a.end = event.time;
        if (task.status === 'running') task.status = event.outcome === 'cancelled' ? 'cancelled' : 'failed';
      }
      return;
  }
}

export interface RunProgress {
  /** Tasks that need not run again: done in this run, or complete before it. */
  finished: number;
  total: number;
  running: number;
  failed: number;
}

export function runProgress(state: RunState): RunProgress {
  let finished = 0;
  let running = 0;
  let failed = 0;
  for (const task of state.tasks.values()) {
    if (task.status === 'done' || task.status === 'complete') finished++;
    else if (task.status === 'running') running++;
    else if (task.status === 'failed' && !task.retrying) failed++;
  }
  return { finished, total: state.tasks.size, running, failed };
}

/** Milliseconds since the run started: to `now` while live, to its end once finished. */
export function elapsedMs(state: RunState, now: number): number {
  if (state.startedAt === undefined) return 0;
  if (state.durationMs !== undefined) return state.durationMs;
  const end = state.live ? Math.max(now, state.lastEventAt ?? now) : (state.lastEventAt ?? now);
  return Math.max(0, end - state.startedAt);
}

/** "1.2 s", "3 min 05 s", "1 h 02 min": durations as people read them. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const totalSeconds = Math.round(s);
  const m = Math.floor(totalSeconds / 60);
  if (m < 60) return `${m} min ${String(totalSeconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}
