// The state of one run folded from its events: what the status bar, tree, graph and diagnostics show.
import type { RunEvent, RunOutcome, TaskError, TaskStatus } from '../../runtime/src/events';

export interface TaskRunState {
  id: string;
  family: string;
  status: TaskStatus;
  /** 0..1 from setProgress, while running. */
  progress?: number;
  /** Latest setStatus message. */
  message?: string;
  attempt: number;
  durationMs?: number;
  error?: TaskError;
  /** A scheduling error (v2): the pipeline is broken at this task; it never ran. */
  broken?: boolean;
}

export interface RunState {
  runId: string;
  root?: string;
  /** Every requested root (v1 logs name only `root`). */
  roots?: string[];
  rootFamily?: string;
  module?: string;
  cwd?: string;
  startedAt?: number;
  finished?: { outcome: RunOutcome; exitCode: number; durationMs: number; message?: string };
  tasks: Map<string, TaskRunState>;
}

export function createRunState(runId: string): RunState {
  return { runId, tasks: new Map() };
}

/** The family of a task id `Family(p=v, …)` when no graph event has named it yet. */
export function familyOfTaskId(taskId: string): string {
  const paren = taskId.indexOf('(');
  return paren === -1 ? taskId : taskId.slice(0, paren);
}

function task(state: RunState, id: string): TaskRunState {
  let entry = state.tasks.get(id);
  if (!entry) {
    entry = { id, family: familyOfTaskId(id), status: 'pending', attempt: 0 };
    state.tasks.set(id, entry);
  }
  return entry;
}

const skipStatus = {
  'already-complete': 'complete',
  blocked: 'blocked',
  'missing-external': 'missing-external',
  cancelled: 'cancelled',
} as const satisfies Record<string, TaskStatus>;

/** Folds one event into the state (in place: a run can have 100,000 tasks). */
export function applyRunEvent(state: RunState, event: RunEvent): void {
  switch (event.type) {
    case 'run-started':
      state.root = event.root;
      state.roots = event.roots ?? [event.root];
      state.rootFamily = event.family;
      state.module = event.module;
      state.cwd = event.cwd;
      state.startedAt = event.time;
      break;
    case 'graph':
      for (const node of event.nodes) {
        const entry = task(state, node.id);
        entry.family = node.family;
        if (entry.attempt === 0) entry.status = node.status;
      }
      for (const edge of event.edges) {
        task(state, edge.from);
        task(state, edge.to);
      }
      break;
    case 'task-pending':
      task(state, event.taskId).status = 'pending';
      break;
    case 'task-running': {
      const entry = task(state, event.taskId);
      entry.status = 'running';
      entry.attempt = event.attempt;
      entry.progress = undefined;
      entry.error = undefined;
      break;
    }
    case 'task-progress':
      task(state, event.taskId).progress = Math.min(1, Math.max(0, event.fraction));
      break;
    case 'task-status':
      task(state, event.taskId).message = event.message;
      break;
    case 'task-log':
      break;
    case 'task-done': {
      const entry = task(state, event.taskId);
      entry.status = 'done';
      entry.durationMs = event.durationMs;
      entry.progress = 1;
      break;
    }
    case 'task-failed': {
      const entry = task(state, event.taskId);
      entry.error = event.error;
      entry.durationMs = event.durationMs;
      if (event.schedulingError) entry.broken = true;
      // A failure that will be retried is not the task's last word.
      entry.status = event.willRetry ? 'pending' : 'failed';
      break;
    }
    case 'task-retrying':
      task(state, event.taskId).status = 'pending';
      break;
    case 'task-skipped':
      task(state, event.taskId).status = skipStatus[event.reason];
      break;
    case 'run-finished':
      state.finished = {
        outcome: event.outcome,
        exitCode: event.exitCode,
        durationMs: event.durationMs,
        ...(event.message !== undefined ? { message: event.message } : {}),
      };
      // Whatever never got its final word was stopped with the run.
      for (const entry of state.tasks.values()) {
        if (entry.status === 'running' || (entry.status === 'pending' && event.outcome === 'cancelled')) {
          entry.status = 'cancelled';
        }
      }
      break;
  }
}

// When one family has several tasks (one per date, say), the graph shows the most telling status.
const statusWeight: Record<TaskStatus, number> = {
  failed: 7,
  running: 6,
  blocked: 5,
  'missing-external': 4,
  pending: 3,
  cancelled: 2,
  done: 1,
  complete: 0,
};

/** One status per family, for the static graph and the tree view. */
export function familyStatuses(state: RunState): Record<string, TaskStatus> {
  const result: Record<string, TaskStatus> = {};
  for (const entry of state.tasks.values()) {
    const current = result[entry.family];
    if (current === undefined || statusWeight[entry.status] > statusWeight[current]) {
      result[entry.family] = entry.status;
    }
  }
  return result;
}

/**
 * Each family's status in the latest run that got to it: `newer` (a later or the live run) wins,
 * except with pending, which only says the run has not reached the family (yet).
 */
export function mergeFamilyStatuses(
  older: Readonly<Record<string, TaskStatus>>,
  newer: Readonly<Record<string, TaskStatus>>,
): Record<string, TaskStatus> {
  const merged = { ...older };
  for (const [family, status] of Object.entries(newer)) {
    if (status === 'pending') merged[family] ??= status;
    else merged[family] = status;
  }
  return merged;
}

export interface RunProgress {
  total: number;
  /** Done, already complete, failed, blocked, missing or cancelled: nothing more will happen to it. */
  settled: number;
  running: number;
  failed: number;
}

export function runProgress(state: RunState): RunProgress {
  const progress: RunProgress = { total: 0, settled: 0, running: 0, failed: 0 };
  for (const entry of state.tasks.values()) {
    progress.total++;
    if (entry.status === 'running') progress.running++;
    else if (entry.status !== 'pending') progress.settled++;
    if (entry.status === 'failed') progress.failed++;
  }
  return progress;
}

/** Tasks that failed for good, with their errors: they become diagnostics on their classes. */
export function failedTasks(state: RunState): TaskRunState[] {
  return [...state.tasks.values()].filter((entry) => entry.status === 'failed');
}
