// Turns a finished run into its summary, its outcome and, for people, Luigi-style text.
import { EXIT_CODES, type RunOutcome, type RunSummary } from './events';
import { type TaskGraph } from './graph';

export function summarize(graph: TaskGraph, succeededAfterRetry: Iterable<string>): RunSummary {
  const s: RunSummary = {
    ran: [],
    alreadyComplete: [],
    failed: [],
    blocked: [],
    missingExternal: [],
    cancelled: [],
    succeededAfterRetry: [...succeededAfterRetry],
  };
  for (const node of graph.nodes.values()) {
    switch (node.state) {
      case 'done':
        s.ran.push(node.id);
        break;
      case 'complete':
        s.alreadyComplete.push(node.id);
        break;
      case 'failed':
        s.failed.push(node.id);
        break;
      case 'missing-external':
        s.missingExternal.push(node.id);
        break;
      case 'cancelled':
        s.cancelled.push(node.id);
        break;
      case 'blocked':
      case 'pending':
      case 'waiting':
        s.blocked.push(node.id);
        break;
      default:
        s.cancelled.push(node.id); // still running when a cancelled run gave up waiting
    }
  }
  return s;
}

export function outcomeOf(summary: RunSummary, cancelled: boolean): RunOutcome {
  if (cancelled) return 'cancelled';
  if (summary.failed.length > 0) return 'failed';
  if (summary.missingExternal.length > 0 || summary.blocked.length > 0) return 'missing-external';
  return 'success';
}

export function exitCodeOf(outcome: RunOutcome): number {
  return EXIT_CODES[outcome];
}

/** At most a few ids per line: large groups are counted per family instead. */
function describe(ids: string[]): string[] {
  if (ids.length <= 5) return ids.map((id) => `    - ${id}`);
  const byFamily = new Map<string, string[]>();
  for (const id of ids) {
    const family = id.slice(0, id.indexOf('('));
    const list = byFamily.get(family) ?? [];
    list.push(id);
    byFamily.set(family, list);
  }
  return [...byFamily].map(([family, list]) =>
    list.length === 1 ? `    - ${list[0]}` : `    - ${list.length} ${family} (${list[0]} …)`,
  );
}

const VERDICT: Record<RunOutcome, string> = {
  success: ':) everything is complete',
  failed: ':( there were failed tasks',
  'missing-external': ':| there was missing external data',
  cancelled: ':| the run was cancelled',
  locked: ':| another run holds the lock',
  error: ':( the run could not start',
};

export function formatSummary(summary: RunSummary, outcome: RunOutcome, durationMs: number): string {
  const total =
    summary.ran.length +
    summary.alreadyComplete.length +
    summary.failed.length +
    summary.blocked.length +
    summary.missingExternal.length +
    summary.cancelled.length;
  const lines = ['', '===== Plumb execution summary =====', '', `Scheduled ${total} tasks of which:`];
  const group = (ids: string[], text: string) => {
    if (ids.length === 0) return;
    lines.push(`* ${ids.length} ${text}:`, ...describe(ids));
  };
  group(summary.alreadyComplete, 'were already complete');
  group(summary.ran, 'ran successfully');
  group(summary.succeededAfterRetry, 'succeeded after a retry');
  group(summary.failed, 'failed');
  group(summary.missingExternal, 'are external data that is missing');
  group(summary.blocked, 'were blocked by failed or missing requirements');
  group(summary.cancelled, 'were cancelled');
  lines.push('', `This progress looks ${VERDICT[outcome]} (${(durationMs / 1000).toFixed(2)} s)`, '');
  lines.push('===== Plumb execution summary =====', '');
  return lines.join('\n');
}
