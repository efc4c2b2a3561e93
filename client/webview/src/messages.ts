// Messages between the extension host and the webviews: the one contract both sides import.
// The host side lives in client/src (Node, vscode API); the webview side in client/webview/src
// (browser). Nothing else crosses: no shared mutable state, no eval'd code.
import type {
  PlanEvent,
  PlanTaskState,
  RunEvent,
  SlaMissedEvent,
  TaskStatus,
} from '../../../runtime/src/events';
import type { PipelineGraph, Range } from '../../../server/src/protocol';

/** The setting plumb.graph.layout: our own layout for every graph, or elk's where it may (layoutPlan). */
export type LayoutPreference = 'plumb' | 'elk';

/** The setting plumb.graph.layout, sent before the first graph and again when it changes. */
export interface LayoutSettingMessage {
  type: 'layout';
  engine: LayoutPreference;
}

// ---- graph view (the static pipeline graph from the language server) ----

export type GraphHostMessage =
  /** A new graph to show. The view keeps its viewport and selection across updates of the same scope. */
  | { type: 'graph'; graph: PipelineGraph; depth: number }
  /**
   * The shown graph with only its code moved (typing above a task): the new name ranges of the nodes
   * that moved, which is all the view reads of source locations (a click opens the class there).
   */
  | { type: 'ranges'; nameRanges: Record<string, Range> }
  /** The task under the editor's cursor (node id), or null. */
  | { type: 'highlight'; nodeId: string | null }
  /** Status of each family from the latest run (live during a run), keyed by family name. */
  | { type: 'status'; statuses: Record<string, TaskStatus> }
  /** The editor asked to focus the search box (command). */
  | { type: 'focusSearch' }
  /** What Run would do for the focus task, from the runtime's own plan (plumb run --plan); null: none. */
  | { type: 'plan'; plan: GraphPlan | null }
  /** Each family's typical duration from the run history (client/src/durations.ts); {}: no history yet. */
  | { type: 'durations'; durations: Record<string, NodeDuration> }
  /** plumb rerun's affected set on the graph before confirming (client/src/rerun.ts); null: clear it. */
  | { type: 'blastRadius'; radius: BlastRadius | null }
  | LayoutSettingMessage;

/** A family's durations over its last runs, debugger pauses excluded. */
export interface NodeDuration {
  /** Median of the family's time per run (all its tasks of that run), ms. */
  medianMs: number;
  /** Median share of its runs' task time, 0..1. */
  share: number;
  /** Its time in the latest run that ran it, ms. */
  lastMs: number;
  /** The latest run took more than twice the median. */
  slow: boolean;
  /** Its time per run, oldest first (the last runs that ran it). */
  trend: number[];
}

/** The tasks a rerun would run again, per family, and what it replaces. */
export interface BlastRadius {
  mode: 'downstream' | 'upstream' | 'failed';
  /** Per family: how many of its tasks run again, and how many of their outputs are replaced. */
  families: Record<string, { tasks: number; outputs: number }>;
  /** The families the rerun starts from. */
  seeds: string[];
  /** "5 tasks, 5 outputs replaced (moved aside, put back if the rerun fails)". */
  text: string;
}

/** A plan as the graph shows it: per family, from the runtime's plan event (client/src/planModel.ts). */
export interface GraphPlan {
  /** The family whose Run it is (the graph's focus). */
  target: string;
  /** pending: being made (the previous families stay shown); unavailable: `text` says why. */
  status: 'pending' | 'ready' | 'unavailable';
  /** The plan of Run This Task Only (unit mode: everything but the target is skipped). */
  unit: boolean;
  /** Per family: its overlay state (the most telling of its tasks') and how many tasks are in each state. */
  families: Record<string, { state: PlanTaskState; counts: Partial<Record<PlanTaskState, number>> }>;
  counts?: PlanEvent['counts'];
  /** "3 of 7 tasks will run; …", or why there is no plan. */
  text: string;
}

export type GraphViewMessage =
  | { type: 'ready' }
  /** Go to a task's class. */
  | { type: 'open'; uri: string; range: Range }
  /** The user changed the neighbourhood depth (-1 = whole workspace). */
  | { type: 'setDepth'; depth: number }
  /** The user asked to show the whole workspace, or to re-centre on a node. */
  | { type: 'setFocus'; nodeId: string | null }
  | { type: 'run'; uri: string; family: string; mode: 'run' | 'debug' | 'unit' }
  /** Which run the plan overlay shows: Run, or Run This Task Only (unit mode). */
  | { type: 'planMode'; unit: boolean };

/** What a graph view persists (vscode.setState) and the serializer restores after a restart. */
export interface GraphViewState {
  focus: { uri: string; family: string } | null;
  depth: number;
  viewport?: { x: number; y: number; zoom: number };
  selected?: string | null;
}

// ---- run view (one pipeline run, live or replayed) ----

export interface RunListEntry {
  runId: string;
  root: string;
  startedAt: number;
  durationMs?: number;
  outcome?: string;
  /** The SLAs the run missed (its sla-missed events), for the History tab's mark. */
  slaMisses?: Pick<SlaMissedEvent, 'scope' | 'taskId' | 'schedule' | 'sla' | 'deadline' | 'status'>[];
}

export type RunHostMessage =
  /** Start showing a run (live or replayed): clears what the view showed. */
  | { type: 'run-reset'; runId: string; live: boolean }
  /** Events of the shown run, in order; batched (the host coalesces bursts to about one message per frame). */
  | { type: 'run-events'; runId: string; events: RunEvent[] }
  /** The debugger holds (or let go of) the shown live run at a breakpoint, as the status bar says. */
  | { type: 'run-paused'; runId: string; paused: boolean }
  /** Recent runs of the workspace from .plumb/runs, newest first, with per-task durations for trends. */
  | { type: 'run-history'; runs: RunListEntry[]; durations: Record<string, number[]> }
  | LayoutSettingMessage;

export type RunViewMessage =
  | { type: 'ready' }
  | { type: 'cancel'; runId: string }
  /** Reveal the class of a task (by family). */
  | { type: 'open-task'; family: string }
  /** Replay a past run from the history. */
  | { type: 'open-run'; runId: string }
  /** Run again: same root and parameters; mode 'failed' reruns only what failed or was blocked. */
  | { type: 'rerun'; runId: string; mode: 'all' | 'failed' };

export interface RunViewState {
  runId: string | null;
  selectedTask?: string | null;
}
