// What `plumb rerun` replaces: from a whole task graph (complete tasks expanded), the affected set
// of one mode (downstream, upstream, failed) inside a date window, with the outputs that exist now.
// Pure over the graph and the run history it is given: nothing here moves or runs anything.
import { type TaskNode, type TaskGraph } from './graph';
import { matchesTask } from './run-history';
import { outputsOf, paramSchemaOf } from './task';
import { taskParamStrings } from './task-factory';

export type RerunMode = 'downstream' | 'upstream' | 'failed';

/** Days, both ends included ('YYYY-MM-DD'); either end may be open. */
export interface DateWindow {
  since?: string;
  until?: string;
}

export interface RerunSet {
  mode: RerunMode;
  /** The tasks the rerun starts from (downstream: --from's matches; upstream: the roots; failed: the failed). */
  seeds: string[];
  /** Every task that runs again, roots last (the graph's order from the seeds outwards). */
  tasks: TaskNode[];
  /** Outputs of those tasks that exist now: what the rerun replaces (moved aside first). */
  outputs: { taskId: string; path: string }[];
  /** Outputs that exist but are not files (a database table, a URI): they cannot be moved aside. */
  unmovable: { taskId: string; output: string }[];
  /** Tasks that are not complete and not in the set: the run of the roots runs them too. */
  alsoRuns: string[];
}

/** The day part of a date-like parameter's text, or [first, last] days of an interval. */
function daysOf(kind: string, text: string): [string, string] | undefined {
  if (kind === 'date' || kind === 'hour' || kind === 'datetime')
    return [text.slice(0, 10), text.slice(0, 10)];
  if (kind === 'dateInterval') {
    const m = /^(\d{4}-\d{2}-\d{2})-(\d{4}-\d{2}-\d{2})$/.exec(text);
    return m ? [m[1]!, m[2]!] : undefined;
  }
  return undefined;
}

/**
 * Whether the task falls in the window: a task with no date-like parameter always does; one with
 * several does when any of them overlaps (a report over a week touches each of its days).
 */
export function inWindow(node: TaskNode, window: DateWindow): boolean {
  if (window.since === undefined && window.until === undefined) return true;
  const schema = paramSchemaOf(node.task.constructor);
  const values = taskParamStrings(node.task);
  let dated = false;
  for (const [name, def] of Object.entries(schema)) {
    const days = daysOf(def.kind, values[name] ?? '');
    if (!days) continue;
    dated = true;
    const [first, last] = days;
    if (
      (window.since === undefined || last >= window.since) &&
      (window.until === undefined || first <= window.until)
    )
      return true;
  }
  return !dated;
}

/** Every node reachable from `starts` along `next` (the starts included), breadth-first. */
function closure(starts: TaskNode[], next: (n: TaskNode) => TaskNode[]): TaskNode[] {
  const seen = new Set<TaskNode>(starts);
  const order = [...starts];
  for (let i = 0; i < order.length; i++) {
    for (const n of next(order[i]!)) {
      if (seen.has(n)) continue;
      seen.add(n);
      order.push(n);
    }
  }
  return order;
}

export interface RerunRequest {
  mode: RerunMode;
  /** Root task ids of the run (the graph was discovered from them). */
  roots: string[];
  /** downstream: task ids or family names to start from (default: the roots). */
  from?: string[];
  window: DateWindow;
  /** failed: the task ids whose last run failed (run history). */
  lastFailed?: ReadonlySet<string>;
}

/** A mistake in the request (no task matches --from): the CLI's usage error. */
export class RerunSelectionError extends Error {}

export function rerunSet(graph: TaskGraph, request: RerunRequest): RerunSet {
  const nodes = [...graph.nodes.values()];
  let seeds: TaskNode[];
  if (request.mode === 'failed') {
    seeds = nodes.filter((n) => request.lastFailed?.has(n.id) && inWindow(n, request.window));
  } else if (request.mode === 'downstream' && request.from?.length) {
    seeds = [];
    for (const query of request.from) {
      const found = nodes.filter((n) => matchesTask(query, n.id));
      if (found.length === 0) {
        throw new RerunSelectionError(
          `${query} is not in the graph of ${request.roots.join(', ')} (nothing to rerun downstream of)`,
        );
      }
      seeds.push(...found.filter((n) => inWindow(n, request.window)));
    }
  } else {
    seeds = request.roots.map((id) => graph.nodes.get(id)!).filter(Boolean);
  }
  // External data is never rerun: it is not ours to replace.
  const runnable = (list: TaskNode[]) => list.filter((n) => n.kind !== 'external');
  seeds = runnable([...new Set(seeds)]);
  const affected =
    request.mode === 'upstream'
      ? closure(seeds, (n) => runnable(n.deps))
      : closure(seeds, (n) => n.dependents);
  const inSet = new Set(affected);
  const outputs: RerunSet['outputs'] = [];
  const unmovable: RerunSet['unmovable'] = [];
  for (const node of affected) {
    let targets;
    try {
      targets = outputsOf(node.task);
    } catch {
      continue; // output() throws: the run reports it; there is nothing to move
    }
    for (const target of targets) {
      const file = (target as { path?: unknown }).path;
      const exists = target.exists();
      if (typeof file === 'string') {
        if (exists === true) outputs.push({ taskId: node.id, path: file });
      } else if (exists !== false) {
        // Checked asynchronously or not a file: it may exist, and it cannot be renamed aside.
        unmovable.push({ taskId: node.id, output: String(target) });
      }
    }
  }
  const alsoRuns = nodes
    .filter((n) => !inSet.has(n) && (n.state === 'pending' || n.state === 'broken'))
    .map((n) => n.id);
  return { mode: request.mode, seeds: seeds.map((n) => n.id), tasks: affected, outputs, unmovable, alsoRuns };
}
