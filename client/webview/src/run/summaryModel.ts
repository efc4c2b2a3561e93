// What the run summary says, DOM-free: the counted groups and the tasks that need a look, each with
// why. Reads v2 summaries (scheduling errors, causes, attempts, missing paths) and v1 ones alike.
import type { RunSummary } from '../../../../runtime/src/events';
import type { RunState } from './runState';

type ListKey = {
  [K in keyof RunSummary]-?: NonNullable<RunSummary[K]> extends string[] ? K : never;
}[keyof RunSummary];

export interface SummaryGroup {
  key: ListKey;
  label: string;
  /** The task status whose colour the chip takes. */
  status: string;
  ids: string[];
}

const GROUPS: { key: ListKey; label: string; status: string }[] = [
  { key: 'ran', label: 'ran', status: 'done' },
  { key: 'alreadyComplete', label: 'already complete', status: 'complete' },
  { key: 'failed', label: 'failed', status: 'failed' },
  { key: 'schedulingErrors', label: 'broken', status: 'failed' },
  { key: 'blocked', label: 'blocked', status: 'blocked' },
  { key: 'blockedByMissingExternal', label: 'blocked by missing data', status: 'blocked' },
  { key: 'missingExternal', label: 'missing external', status: 'missing-external' },
  { key: 'cancelled', label: 'cancelled', status: 'cancelled' },
  { key: 'notRun', label: 'not run', status: 'pending' },
  { key: 'succeededAfterRetry', label: 'succeeded after retry', status: 'done' },
];

/** The non-empty groups, in a fixed order (fields a v1 summary lacks count as empty). */
export function summaryGroups(summary: RunSummary): SummaryGroup[] {
  return GROUPS.flatMap((g) => {
    const ids = summary[g.key] ?? [];
    return ids.length > 0 ? [{ ...g, ids }] : [];
  });
}

export interface AttentionItem {
  id: string;
  /** Why it needs a look: its error, what it waits for, the paths looked for. */
  detail?: string;
}

/** Failed, broken, blocked and missing tasks, in that order, each with why. */
export function attentionItems(state: RunState): AttentionItem[] {
  const s = state.summary;
  if (!s) return [];
  const attempts = (id: string) => {
    const n = s.attempts?.[id];
    return n !== undefined && n > 1 ? ` (${n} attempts)` : '';
  };
  const failed = s.failed.map((id) => {
    const error = state.tasks.get(id)?.error?.message;
    return { id, ...(error ? { detail: `${error}${attempts(id)}` } : {}) };
  });
  const broken = (s.schedulingErrors ?? []).map((id) => {
    const why = s.errors?.[id] ?? state.tasks.get(id)?.error?.message;
    return { id, ...(why ? { detail: `broken: ${why}` } : {}) };
  });
  const waits = (id: string) => {
    const causes = s.causes?.[id] ?? state.tasks.get(id)?.blockedBy ?? [];
    return { id, ...(causes.length ? { detail: `waits for ${causes.join(', ')}` } : {}) };
  };
  const missing = s.missingExternal.map((id) => {
    const paths = s.missingPaths?.[id];
    return { id, ...(paths?.length ? { detail: `looked for ${paths.join(', ')}` } : {}) };
  });
  return [
    ...failed,
    ...broken,
    ...s.blocked.map(waits),
    ...(s.blockedByMissingExternal ?? []).map(waits),
    ...missing,
  ];
}
