// What the editor's Rerun commands compute without VS Code: the `plumb rerun` command line, the
// families a "downstream" rerun can be rooted at, and the blast radius the graph shows from the
// runtime's own listing (`plumb rerun … --list --json`).
import type { PipelineGraph } from '../../server/src/protocol';
import type { BlastRadius } from '../webview/src/messages';

export type RerunMode = BlastRadius['mode'];

export interface RerunRequest {
  file: string;
  mode: RerunMode;
  /** The roots: the graph the rerun looks in and the run it ends with, each with its parameters. */
  roots: { family: string; params: Record<string, string> }[];
  /** downstream: the family (or task id) it starts from. */
  from?: string;
  /** Days, both included (YYYY-MM-DD). */
  since?: string;
  until?: string;
}

/** `rerun <file> <Root> --param k=v … [<Root> …] --<mode> [--from F] [--since D --until D]` + how to report. */
export function rerunArguments(request: RerunRequest, output: 'list' | 'events'): string[] {
  const args = ['rerun', request.file];
  for (const root of request.roots) {
    args.push(root.family);
    // --param name=value keeps the declared name unambiguous whatever the value looks like.
    for (const [name, value] of Object.entries(root.params)) args.push('--param', `${name}=${value}`);
  }
  args.push(`--${request.mode}`);
  if (request.from) args.push('--from', request.from);
  if (request.since) args.push('--since', request.since);
  if (request.until) args.push('--until', request.until);
  args.push(...(output === 'list' ? ['--list', '--json'] : ['--events', 'jsonl']), '--no-color');
  return args;
}

/** What `plumb rerun --list --json` prints (runtime/src/rerun-cli.ts asJson). */
export interface RerunListing {
  mode: RerunMode;
  roots: string[];
  seeds: string[];
  tasks: { id: string; family: string; status: string; outputs: string[] }[];
  outputs: { taskId: string; path: string }[];
  unmovable: { taskId: string; output: string }[];
  alsoRuns: string[];
  counts: { tasks: number; outputs: number; alsoRuns: number };
}

function familyOf(taskId: string): string {
  const at = taskId.indexOf('(');
  return at < 0 ? taskId : taskId.slice(0, at);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The listing per family, with the words the graph's banner and the confirmation use. */
export function blastRadiusOf(listing: RerunListing, from: string): BlastRadius {
  const families: BlastRadius['families'] = {};
  for (const task of listing.tasks) {
    const entry = (families[task.family] ??= { tasks: 0, outputs: 0 });
    entry.tasks++;
    entry.outputs += task.outputs.length;
  }
  const what = listing.mode === 'failed' ? `the failed tasks under ${from}` : `${listing.mode} of ${from}`;
  const also = listing.alsoRuns.length
    ? `; ${plural(listing.alsoRuns.length, 'task')} not complete yet run too`
    : '';
  return {
    mode: listing.mode,
    seeds: [...new Set(listing.seeds.map(familyOf))],
    families,
    text: `Rerun ${what}: ${plural(listing.counts.tasks, 'task')}, ${plural(listing.counts.outputs, 'output')} replaced (moved aside first, put back if the rerun fails)${also}`,
  };
}

/**
 * The families a downstream rerun of `nodeId` can be rooted at: those downstream of it (through
 * the graph's edges, requiring → required) that nothing else requires; the node itself when
 * nothing requires it.
 */
export function downstreamRoots(graph: PipelineGraph, nodeId: string): string[] {
  const dependents = new Map<string, string[]>();
  for (const e of graph.edges) (dependents.get(e.to) ?? dependents.set(e.to, []).get(e.to)!).push(e.from);
  const seen = new Set([nodeId]);
  const queue = [nodeId];
  const roots: string[] = [];
  while (queue.length > 0) {
    const id = queue.shift()!;
    const next = (dependents.get(id) ?? []).filter((d) => d !== id);
    if (next.length === 0) roots.push(id);
    for (const d of next) {
      if (seen.has(d)) continue;
      seen.add(d);
      queue.push(d);
    }
  }
  return roots;
}

/** A typed window: empty (every date), one day, or `first..last` (both included). */
export function rerunWindow(typed: string): { since?: string; until?: string } | { error: string } {
  const text = typed.trim();
  if (text === '') return {};
  const m = /^(\d{4}-\d{2}-\d{2})(?:\s*\.\.\s*(\d{4}-\d{2}-\d{2}))?$/.exec(text);
  if (!m)
    return { error: 'Type a day (2026-11-03), days (2026-11-01..2026-11-07), or nothing for every date.' };
  const [since, until] = [m[1]!, m[2] ?? m[1]!];
  for (const day of [since, until]) {
    const [y, mo, d] = day.split('-').map(Number) as [number, number, number];
    const date = new Date(Date.UTC(y, mo - 1, d));
    if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d)
      return { error: `${day} is not a calendar day.` };
  }
  if (until < since) return { error: `${until} is before ${since}.` };
  return { since, until };
}
