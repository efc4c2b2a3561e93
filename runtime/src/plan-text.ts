// A plan as people read it: one line ("3 of 7 tasks will run; 1 blocked by missing external data:
// …") for the event and the editor, and the terminal's listing of what will run and what will not.
import path from 'node:path';
import { type PlanEvent, type PlannedTask } from './events';

type PlanLike = Pick<PlanEvent, 'tasks' | 'counts' | 'unit' | 'stop'>;

/** At most this many tasks are named in one line or one group of the listing. */
const NAMED = 3;
const LISTED = 10;

function names(ids: string[], limit = NAMED): string {
  return ids.length <= limit
    ? ids.join(', ')
    : `${ids.slice(0, limit).join(', ')} and ${ids.length - limit} more`;
}

/** External data that does not exist, with the first path looked for. */
function missingData(tasks: PlannedTask[], relativeTo?: string): string[] {
  return tasks
    .filter((t) => t.missingPaths?.length)
    .map((t) => {
      const p = t.missingPaths![0]!;
      const shown = relativeTo && path.isAbsolute(p) ? path.relative(relativeTo, p) : p;
      return `${t.id} (${shown.startsWith('..') ? p : shown})`;
    });
}

export function planText(plan: PlanLike, relativeTo?: string): string {
  const { counts, tasks } = plan;
  const parts = [`${counts.willRun} of ${counts.total} task${counts.total === 1 ? '' : 's'} will run`];
  if (plan.stop !== undefined) parts[0] = `nothing will run: ${plan.stop.split('\n')[0]}`;
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const isMissing = (id: string) => byId.get(id)?.missingPaths !== undefined;
  const blocked = tasks.filter((t) => t.state === 'blocked');
  const byData = blocked.filter(
    (t) => isMissing(t.id) || (t.blockedBy?.length && t.blockedBy.every(isMissing)),
  );
  if (byData.length > 0)
    parts.push(`${byData.length} blocked by missing external data: ${names(missingData(tasks, relativeTo))}`);
  const other = blocked.length - byData.length;
  if (other > 0) parts.push(`${other} blocked`);
  if (counts.broken > 0)
    parts.push(
      `${counts.broken} broken: ${names(tasks.filter((t) => t.state === 'broken').map((t) => t.id))}`,
    );
  if (counts.complete > 0) parts.push(`${counts.complete} already complete`);
  if (counts.skipped > 0) parts.push(`${counts.skipped} skipped (unit mode: taken from existing outputs)`);
  return parts.join('; ');
}

/** The terminal's account: each group of tasks (a few named, the rest counted), then the line. */
export function formatPlan(plan: PlanLike, projectRoot: string, quiet: boolean): string {
  const lines: string[] = [];
  if (!quiet) {
    const group = (title: string, list: PlannedTask[], detail: (t: PlannedTask) => string = () => '') => {
      if (list.length === 0) return;
      lines.push(`${title}:`);
      for (const t of list.slice(0, LISTED)) lines.push(`  - ${t.id}${detail(t)}`);
      if (list.length > LISTED) lines.push(`  … and ${list.length - LISTED} more`);
    };
    const of = (state: PlannedTask['state']) => plan.tasks.filter((t) => t.state === state);
    group('will run', of('will-run'));
    group('blocked', of('blocked'), (t) =>
      t.missingPaths?.length
        ? ` (missing ${t.missingPaths.map((p) => path.relative(projectRoot, p) || p).join(', ')})`
        : t.blockedBy?.length
          ? ` ← ${names(t.blockedBy)}`
          : '',
    );
    group('broken', of('broken'), (t) => (t.error ? `: ${t.error}` : ''));
    group('skipped (unit mode)', of('skipped'));
    group('already complete', of('complete'));
    if (plan.stop !== undefined) lines.push(`the run would stop before starting: ${plan.stop}`);
  }
  lines.push(`plan: ${planText(plan, projectRoot)} (nothing ran)`);
  return `${lines.join('\n')}\n`;
}
