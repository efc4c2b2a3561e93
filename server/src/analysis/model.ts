// The analysis' own model: what one file says (its summary, syntax only) and what the workspace
// means once names are resolved across files (task families and requirement edges).
import type { Position, Range, TaskKind, TaskOutputInfo, TaskParamInfo } from '../protocol';

/** A dotted name as written in code: `Streams` → ['Streams'], `rt.Task` → ['rt', 'Task']. */
export type NamePath = string[];

/** The object literal passed to `new X({...})`, kept for parameter checks and quick fixes. */
export interface ObjectArgument {
  /**
   * Property names; `shorthand` for `{ date }` (the name is also the value); `own` for
   * `date: this.date` (the requiring task's own value, unchanged).
   */
  keys: { name: string; range: Range; shorthand?: boolean; own?: boolean }[];
  hasSpread: boolean;
  range: Range;
  /** Where a new property goes: after the last property, or inside empty braces. */
  insertAt: Position;
  empty: boolean;
}

/** A `new X(...)` found in requires() (or yielded from run()), resolved to a task later. */
export interface TaskReference {
  callee: NamePath;
  /** The whole `new X(...)` expression. */
  range: Range;
  /** `new X`: where diagnostics about the edge go, so a long argument list is not underlined. */
  headRange: Range;
  args?: ObjectArgument;
  /** `new X()` with no argument at all: where `{ … }` would go. */
  emptyCallAt?: Position;
  dynamic: boolean;
  /** Wrapped in `optional(…)`: its failure does not block the requiring task. */
  optional?: boolean;
}

/** Something requires() returns that is a value but not obviously a task instance. */
export interface ReturnedValue {
  kind: 'new' | 'literal' | 'name';
  callee?: NamePath;
  text: string;
  range: Range;
}

export interface MethodFacts {
  references: TaskReference[];
  returned: ReturnedValue[];
}

/**
 * One piece of a target path: literal text, or a `${...}` placeholder (`param` when it is
 * `this.<param>`; `name` when it is a module-level name, perhaps another file's const, read when linking).
 */
export type TemplateSegment = { text: string } | { placeholder: string; param?: string; name?: string };

/** A target returned by output(): `new LocalTarget(`data/x_${this.date}.tsv`)`. */
export interface OutputDecl {
  kind: string;
  /** undefined when the path is not statically known. */
  segments?: TemplateSegment[];
  range: Range;
  /** A PostgresTarget's table (databaseTargets.ts). */
  table?: TableDecl;
}

/** A table name as written (`'plays'`, `` `top_${this.date}` ``); segments undefined when unreadable. */
export interface TableDecl {
  segments?: TemplateSegment[];
  range: Range;
  /** Where it is written, when not in the output's own declaration (a class's `table` member). */
  uri?: string;
}

export interface ClassSummary {
  name: string;
  nameRange: Range;
  range: Range;
  exported: boolean;
  abstract: boolean;
  /** `extends X` or `extends X.with({...})`; undefined for no or unreadable heritage. */
  base?: NamePath;
  /** Params declared by `.with({...})` on the base, in order. */
  params: TaskParamInfo[];
  /** `.with({...})` had spreads or computed keys: the param list may be incomplete. */
  paramsOpen: boolean;
  /** undefined when the class declares no output(); [] when it does but nothing is readable. */
  outputs?: OutputDecl[];
  /** Its `table` member (plumb-postgres tasks name the table they write there). */
  table?: TableDecl;
  requires?: MethodFacts;
  /** Tasks yielded from run() or passed to this.dependOn(). */
  dynamic?: MethodFacts;
  /** Where an `output()` stub goes (before the closing brace) and the indentation of members. */
  memberInsertAt: Position;
  memberIndent: string;
  /** Cache slot of the link step (taskFamilies.ts); a field because it is read on every analysis. */
  linkSlot?: object;
}

export type ImportBinding = { module: string; name: string };
export type ExportBinding = { local: NamePath } | { module: string; name: string };

export interface FileSummary {
  fileName: string;
  uri: string;
  /** Plain JavaScript: the TypeScript checker does not check constructor arguments there. */
  isJs: boolean;
  /** Local name → what it imports (`name` is 'default', '*' or the exported name). */
  imports: Map<string, ImportBinding>;
  /** Exported name → local name or re-export. */
  exports: Map<string, ExportBinding>;
  /** Modules re-exported with `export * from`. */
  starExports: string[];
  classes: Map<string, ClassSummary>;
  /** `const X = Y.Z` at module level: aliases of other names. */
  aliases: Map<string, NamePath>;
  /** `const X = 'text'` at module level (moduleConstants.ts): read into other files' target paths. */
  constants?: Map<string, string>;
  /**
   * Cache slot of WorkspaceAnalysis: the number of the last analysis that found this summary
   * current (negated when it found it stale). A field, not a map: it is read on every cache hit.
   */
  checkedIn?: number;
  /** Set when the file could not be analysed (too deeply nested, parser crash). */
  failure?: string;
}

/** A task family: a class whose base resolves to the runtime's Task, ExternalTask or WrapperTask. */
export interface TaskFamily {
  id: string;
  family: string;
  kind: TaskKind;
  file: FileSummary;
  cls: ClassSummary;
  params: TaskParamInfo[];
  paramsOpen: boolean;
  outputs?: TaskOutput[];
  /** Where the outputs were declared (the class itself or a base class). */
  outputsFile?: FileSummary;
  /** Whether the TypeScript checker sees the runtime's real types (so it checks `new X({...})` itself). */
  typed: boolean;
  /** The project root its relative target paths resolve against. */
  projectRoot: string;
  /** Cache slot of the link step (taskFamilies.ts): its resolved requirements and edges. */
  linkSlot?: object;
}

export interface TaskOutput {
  info: TaskOutputInfo;
  decl: OutputDecl;
  /** Absolute path pattern: the template under the project root, placeholders as wildcards. */
  absoluteSegments?: TemplateSegment[];
  /** The database table it writes, resolved for this family (databaseTargets.ts). */
  table?: TableDecl;
}

export interface TaskEdge {
  from: TaskFamily;
  to: TaskFamily;
  dynamic: boolean;
  /** The file holding the `new X(...)` (the class's own file, or a base class's). */
  file: FileSummary;
  reference: TaskReference;
}
