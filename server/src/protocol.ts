// Plumb's custom LSP requests and notifications: the one contract between the language server and
// the extension client. Both sides import these names and types; nothing else crosses.
// Positions are LSP positions (0-based line, UTF-16 character), URIs are LSP document URIs.

export interface Position {
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
}
export interface Location {
  uri: string;
  range: Range;
}

export type TaskKind = 'task' | 'external' | 'wrapper';

export interface TaskParamInfo {
  name: string;
  /** Parameter type as declared: 'string' | 'int' | 'float' | 'bool' | 'date' | 'dateInterval' | 'datetime' | 'hour' | 'enum' | 'list' | 'json' | 'unknown'. */
  type: string;
  /** Source text of the default value, when there is one. */
  defaultText?: string;
  required: boolean;
  /** For enums: the allowed values. */
  choices?: string[];
  /** false when declared `significant: false` (left out of the task id); absent when significant. */
  significant?: boolean;
  /** The value plumb.toml gives it (`[params.<Family>]`), as TOML source text, when it does. */
  configText?: string;
}

export interface TaskOutputInfo {
  /** Target class name, e.g. 'LocalTarget'. */
  kind: string;
  /** Path template as written, with `${param}` placeholders, e.g. 'data/streams_${date}.tsv'. Undefined when not statically known. */
  template?: string;
  /** The template as a glob relative to the workspace root, e.g. 'data/streams_*.tsv'. */
  glob?: string;
  /** A database table it writes, as written (`schema.name` or `name`, `${param}` placeholders); `(computed)` when its name is made at run time. */
  table?: string;
  range: Range;
}

/** One task family (a task class) as the static analysis sees it. */
export interface TaskInfo {
  /** Class name; unique per workspace in practice, qualified by file where it is not. */
  family: string;
  /** Stable node id in graphs: `${uri}#${family}`. */
  id: string;
  kind: TaskKind;
  uri: string;
  /** Range of the class name. */
  nameRange: Range;
  /** Range of the whole class declaration. */
  range: Range;
  params: TaskParamInfo[];
  outputs: TaskOutputInfo[];
  /** Whether the class is exported (a task the CLI can run by name from this file). */
  exported: boolean;
  abstract: boolean;
}

export interface GraphNodeInfo extends TaskInfo {
  /** Number of distinct upstream (required, transitively) and downstream (requiring) families. */
  upstreamCount: number;
  downstreamCount: number;
  /** In a cycle (part of a strongly connected component with more than one node, or a self-edge). */
  inCycle: boolean;
  /** An ExternalTask whose output matches no file in the workspace. */
  missingExternal: boolean;
}

export interface GraphEdgeInfo {
  /** Requiring family's node id (downstream). */
  from: string;
  /** Required family's node id (upstream). */
  to: string;
  /** Yielded from run() rather than returned by requires(). */
  dynamic: boolean;
  /** Part of a cycle. */
  inCycle: boolean;
  /** Declared with `optional(new X(...))`: the requiring task runs even if this one fails. */
  optional?: boolean;
  /** The `new X(...)` expression that makes this edge. */
  location: Location;
}

export interface PipelineGraph {
  /** Increases with every re-analysis; clients drop replies older than what they show. */
  version: number;
  nodes: GraphNodeInfo[];
  edges: GraphEdgeInfo[];
  /** Each cycle as the node ids along it, first node not repeated. */
  cycles: string[][];
  /** Set when the graph was cut to a neighbourhood: the focused node id. */
  focus?: string;
}

// ---- requests ----

/** `plumb/graph`: the whole workspace graph, or the neighbourhood of one task. */
export const GraphRequestMethod = 'plumb/graph';
export interface GraphRequestParams {
  /** Omit for the whole workspace. */
  focus?: { uri: string; family: string };
  /** With focus: how many requirement steps up and down to include (default 2; -1 for all). */
  depth?: number;
}
export type GraphRequestResult = PipelineGraph;

/** `plumb/tasks`: every task family in the workspace with its file and range. */
export const TasksRequestMethod = 'plumb/tasks';
export type TasksRequestParams = Record<string, never>;
export type TasksRequestResult = TaskInfo[];

/** `plumb/taskAt`: the task class enclosing a position (for highlighting the task under the cursor). */
export const TaskAtRequestMethod = 'plumb/taskAt';
export interface TaskAtRequestParams {
  uri: string;
  position: Position;
}
export type TaskAtRequestResult = TaskInfo | null;

// ---- notifications (server → client) ----

/** `plumb/graphChanged`: the analysis produced a new graph version; clients re-request what they show. */
export const GraphChangedNotificationMethod = 'plumb/graphChanged';
export interface GraphChangedParams {
  version: number;
  taskCount: number;
}

// ---- code lens commands (server puts them in lenses, client registers them) ----

/** Arguments every task command takes: enough to run the task from its file. */
export interface TaskCommandArgs {
  uri: string;
  family: string;
}

export const ClientCommands = {
  run: 'plumb.runTask',
  runUnit: 'plumb.runTaskOnly',
  debug: 'plumb.debugTask',
  graph: 'plumb.showTaskGraph',
  /** On families with a date, datetime or hour parameter: runs the missing instances of a window. */
  backfill: 'plumb.backfillTask',
} as const;
