// Turns a finished run into its summary, its outcome and, for people, Luigi-style text.
import { EXIT_CODES, type CompleteRunSummary, type RunOutcome, type RunSummary } from './events';
import { missingOutputs, outputPathsFor, type TaskGraph, type TaskNode } from './graph';
import { describeError } from './task-error';

export interface SummaryDetails {
  /** Nodes in the order they reached their final state (a node listed again later moved on). */
  order?: readonly TaskNode[];
  /** The run was cancelled: whatever did not finish counts as cancelled. */
  cancelled?: boolean;
  /** Requested roots not complete when the run ended. */
  incompleteRoots?: string[];
  projectRoot?: string;
}

export function summarize(
  graph: TaskGraph,
  succeededAfterRetry: Iterable<string> = [],
  details: SummaryDetails = {},
): CompleteRunSummary {
  const s: CompleteRunSummary = {
    ran: [],
    alreadyComplete: [],
    failed: [],
    schedulingErrors: [],
    blocked: [],
    blockedByMissingExternal: [],
    missingExternal: [],
    cancelled: [],
    notRun: [],
    succeededAfterRetry: [...succeededAfterRetry],
    incompleteRoots: details.incompleteRoots ?? [],
    attempts: {},
    causes: {},
    missingPaths: {},
    errors: {},
    ...(details.projectRoot !== undefined ? { projectRoot: details.projectRoot } : {}),
  };
  const add = (node: TaskNode) => {
    if (node.attempts > 0) s.attempts[node.id] = node.attempts;
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
      case 'broken':
        s.schedulingErrors.push(node.id);
        s.errors[node.id] = describeError(node.schedulingError).message;
        break;
      case 'missing-external': {
        s.missingExternal.push(node.id);
        const missing = missingOutputs(node);
        s.missingPaths[node.id] = missing.length > 0 ? missing : outputPathsFor(node);
        break;
      }
      case 'cancelled':
        s.cancelled.push(node.id);
        break;
      case 'blocked': {
        const causes = [...new Set(node.blockedBy ?? [])];
        s.causes[node.id] = causes;
        const onlyMissing =
          causes.length > 0 && causes.every((id) => graph.nodes.get(id)?.state === 'missing-external');
        (onlyMissing ? s.blockedByMissingExternal : s.blocked).push(node.id);
        break;
      }
      case 'pending':
        (details.cancelled ? s.cancelled : s.notRun).push(node.id);
        break;
      case 'waiting':
        // Suspended for dynamic requirements that a task limit (--max-tasks) kept from starting.
        (details.cancelled ? s.cancelled : s.notRun).push(node.id);
        break;
      default:
        s.cancelled.push(node.id); // running or waiting when a cancelled run gave up waiting
    }
  };
  // In the order they ended, then those that never moved (complete or missing at discovery, not run).
  const order = details.order ?? [];
  for (let i = 0; i < order.length; i++) if (order[i]!.settledAt === i) add(order[i]!);
  // forEach, not for…of: no iterator result object per node.
  graph.nodes.forEach((node) => {
    if (node.settledAt === undefined) add(node);
  });
  return s;
}

/** The outcome by the contract's precedence: cancelled > pipeline-error > failed > missing-external > incomplete > success. */
export function outcomeOf(summary: RunSummary, cancelled: boolean): RunOutcome {
  if (cancelled) return 'cancelled';
  if ((summary.schedulingErrors?.length ?? 0) > 0) return 'pipeline-error';
  if (summary.failed.length > 0) return 'failed';
  if (summary.missingExternal.length > 0) return 'missing-external';
  if (
    (summary.incompleteRoots?.length ?? 0) > 0 ||
    summary.blocked.length > 0 ||
    (summary.notRun?.length ?? 0) > 0
  )
    return 'incomplete';
  return 'success';
}

export function exitCodeOf(outcome: RunOutcome): number {
  return EXIT_CODES[outcome];
}

/** "1 task was …" / "3 tasks were …": the verb agrees with the count. */
export function tasksText(n: number, one: string, many: string): string {
  return `${n} task${n === 1 ? '' : 's'} ${n === 1 ? one : many}`;
}

/** At most a few ids per line: large groups are counted per family instead. */
function describe(ids: string[], detail: (id: string) => string): string[] {
  if (ids.length <= 5) return ids.map((id) => `    - ${id}${detail(id)}`);
  const byFamily = new Map<string, string[]>();
  for (const id of ids) {
    const family = id.slice(0, id.indexOf('('));
    const list = byFamily.get(family) ?? [];
    list.push(id);
    byFamily.set(family, list);
  }
  return [...byFamily].map(([family, list]) =>
    list.length === 1
      ? `    - ${list[0]}${detail(list[0]!)}`
      : `    - ${list.length} ${family} (${list[0]}${detail(list[0]!)} …)`,
  );
}

const VERDICT: Record<RunOutcome, string> = {
  success: ':) everything is complete',
  failed: ':( there were failed tasks',
  'missing-external': ':| there was missing external data',
  'pipeline-error': ':( the pipeline is broken (scheduling errors)',
  incomplete: ':| not everything requested is complete',
  cancelled: ':| the run was cancelled',
  locked: ':| another run holds the lock',
  error: ':( the run could not start',
  crashed: ':( the runner crashed',
};

export function formatSummary(summary: RunSummary, outcome: RunOutcome, durationMs: number): string {
  // v1 summaries (old run logs) lack the newer fields.
  const list = (ids: string[] | undefined) => ids ?? [];
  const attempts = summary.attempts ?? {};
  const tries = (id: string) => {
    const n = attempts[id] ?? 1;
    return n > 1 ? ` (${n} attempts)` : '';
  };
  const none = () => '';
  const causes = (id: string) => {
    const c = summary.causes?.[id];
    return c?.length ? ` ← ${c.join(', ')}` : '';
  };
  const all = [
    summary.ran,
    summary.alreadyComplete,
    summary.failed,
    list(summary.schedulingErrors),
    summary.blocked,
    list(summary.blockedByMissingExternal),
    summary.missingExternal,
    summary.cancelled,
    list(summary.notRun),
  ];
  const total = all.reduce((n, ids) => n + ids.length, 0);
  const lines = [
    '',
    '===== Plumb execution summary =====',
    '',
    `Scheduled ${total} task${total === 1 ? '' : 's'} of which:`,
  ];
  const group = (ids: string[], one: string, many: string, detail: (id: string) => string = none) => {
    if (ids.length === 0) return;
    lines.push(`* ${tasksText(ids.length, one, many)}:`, ...describe(ids, detail));
  };
  group(summary.alreadyComplete, 'was already complete', 'were already complete');
  group(summary.ran, 'ran successfully', 'ran successfully', tries);
  group(list(summary.succeededAfterRetry), 'succeeded after a retry', 'succeeded after a retry', tries);
  group(summary.failed, 'failed', 'failed', tries);
  const why = (id: string) => (summary.errors?.[id] ? `: ${summary.errors[id]}` : '');
  group(
    list(summary.schedulingErrors),
    'is broken (a scheduling error)',
    'are broken (scheduling errors)',
    why,
  );
  group(
    summary.missingExternal,
    'is external data that does not exist',
    'are external data that does not exist',
    (id) => {
      const paths = summary.missingPaths?.[id];
      return paths?.length ? ` (looked for ${paths.join(', ')})` : '';
    },
  );
  group(
    summary.blocked,
    'was blocked by a failed or broken requirement',
    'were blocked by failed or broken requirements',
    causes,
  );
  group(
    list(summary.blockedByMissingExternal),
    'was blocked by missing external data',
    'were blocked by missing external data',
    causes,
  );
  group(summary.cancelled, 'was cancelled', 'were cancelled');
  group(
    list(summary.notRun),
    'was not run (the run stopped before it)',
    'were not run (the run stopped before them)',
  );
  if (summary.incompleteRoots?.length)
    lines.push(`* not complete at the end: ${summary.incompleteRoots.join(', ')}`);
  if (summary.missingExternal.length > 0 && summary.projectRoot)
    lines.push(`Relative paths were resolved against the project root ${summary.projectRoot}.`);
  lines.push('', `This progress looks ${VERDICT[outcome]} (${(durationMs / 1000).toFixed(2)} s)`, '');
  lines.push('===== Plumb execution summary =====', '');
  return lines.join('\n');
}
