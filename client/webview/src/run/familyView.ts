// The family view of a run's graph: one node per task family standing for its instances, so a
// backfill of 1,000 dates into one report draws two nodes, not 1,001 (elk cannot lay out such a
// fan-in in time, and no panel shows it readably). Which families fold is the view's call. Pure.
import type { TaskStatus } from '../../../../runtime/src/events';

/** A family with more instances than this is folded even when the instances would fit. */
export const FOLD_ABOVE = 24;

export interface Folding {
  /** The drawn node of each task id: its own id, or its family's group id. */
  nodeOf: Map<string, string>;
  /** Each group's id and the task ids it stands for, in run order. */
  groups: Map<string, { family: string; ids: string[] }>;
}

export const groupId = (family: string) => `family:${family}`;

/** Families to fold: those over FOLD_ABOVE instances, or (`all`) every one with several; never `expanded`. */
export function familiesToFold(
  tasks: Iterable<{ family: string }>,
  expanded: ReadonlySet<string>,
  all: boolean,
): Set<string> {
  const counts = new Map<string, number>();
  for (const t of tasks) counts.set(t.family, (counts.get(t.family) ?? 0) + 1);
  const fold = new Set<string>();
  for (const [family, n] of counts) if (!expanded.has(family) && n > (all ? 1 : FOLD_ABOVE)) fold.add(family);
  return fold;
}

export function foldFamilies(
  tasks: Iterable<{ id: string; family: string }>,
  fold: ReadonlySet<string>,
): Folding {
  const nodeOf = new Map<string, string>();
  const groups = new Map<string, { family: string; ids: string[] }>();
  for (const t of tasks) {
    if (!fold.has(t.family)) {
      nodeOf.set(t.id, t.id);
      continue;
    }
    const id = groupId(t.family);
    nodeOf.set(t.id, id);
    const group = groups.get(id) ?? { family: t.family, ids: [] };
    group.ids.push(t.id);
    groups.set(id, group);
  }
  return { nodeOf, groups };
}

/** Edges between drawn nodes: each once, none inside a group. */
export function foldEdges<E extends { source: string; target: string }>(
  edges: E[],
  nodeOf: Map<string, string>,
): (E & { id: string })[] {
  const seen = new Set<string>();
  const out: (E & { id: string })[] = [];
  for (const e of edges) {
    const source = nodeOf.get(e.source) ?? e.source;
    const target = nodeOf.get(e.target) ?? e.target;
    const id = `${source}->${target}`;
    if (source === target || seen.has(id)) continue;
    seen.add(id);
    out.push({ ...e, id, source, target });
  }
  return out;
}

/** The status a group shows: the most urgent of its instances'. */
const URGENCY: TaskStatus[] = [
  'failed',
  'running',
  'blocked',
  'missing-external',
  'pending',
  'cancelled',
  'done',
  'complete',
];

export function groupStatus(statuses: TaskStatus[]): TaskStatus {
  for (const status of URGENCY) if (statuses.includes(status)) return status;
  return statuses[0] ?? 'pending';
}

/** "3 done · 1 running" for a group's line, most urgent first. */
export function statusCounts(statuses: TaskStatus[]): string {
  const counts = new Map<TaskStatus, number>();
  for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
  return URGENCY.filter((s) => counts.has(s))
    .map((s) => `${counts.get(s)} ${s === 'missing-external' ? 'missing' : s}`)
    .join(' · ');
}
