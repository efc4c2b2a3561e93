// A task's data-check results, from its task-check events (run after run(), before the task counts
// as complete): kept per task for its latest attempt, summed up for a badge on its node, one line
// per check for its details. DOM-free; checkList.ts draws it.
import type { TaskCheckEvent } from '../../../../runtime/src/events';

export interface CheckResult {
  attempt: number;
  check: string;
  ok: boolean;
  severity: 'error' | 'warn';
  message?: string;
  value?: number;
}

/** Adds one result; a new attempt's results replace the earlier attempt's (a retry checks again). */
export function addCheckResult(checks: CheckResult[] | undefined, event: TaskCheckEvent): CheckResult[] {
  const kept = (checks ?? []).filter((c) => c.attempt >= event.attempt);
  kept.push({
    attempt: event.attempt,
    check: event.check,
    ok: event.ok,
    severity: event.severity,
    ...(event.message !== undefined && { message: event.message }),
    ...(event.value !== undefined && { value: event.value }),
  });
  return kept;
}

export interface CheckBadge {
  /** 'failed': an error check failed (the task failed, its outputs quarantined); 'warn': a warn check failed. */
  kind: 'ok' | 'warn' | 'failed';
  text: string;
  /** Every check on its own line, for the badge's hover. */
  title: string;
}

/** "✓ 2 checks", "⚠ 1 warn", "✗ failed check": the worst result wins; nothing without checks. */
export function checkBadge(checks: CheckResult[] | undefined): CheckBadge | undefined {
  if (!checks || checks.length === 0) return undefined;
  const failed = checks.filter((c) => !c.ok && c.severity === 'error').length;
  const warned = checks.filter((c) => !c.ok && c.severity === 'warn').length;
  const title = checks.map(checkLine).join('\n');
  if (failed > 0)
    return { kind: 'failed', text: failed === 1 ? '✗ failed check' : `✗ ${failed} failed checks`, title };
  if (warned > 0) return { kind: 'warn', text: `⚠ ${warned} warn`, title };
  return { kind: 'ok', text: `✓ ${checks.length} ${checks.length === 1 ? 'check' : 'checks'}`, title };
}

/** "rowCount(sales-1.csv): failed (error) · 1 rows, expected between 2 and 100 · value 1". */
export function checkLine(c: CheckResult): string {
  const parts = [`${c.check}: ${c.ok ? 'ok' : 'failed'} (${c.severity})`];
  if (c.message) parts.push(c.message);
  if (c.value !== undefined) parts.push(`value ${c.value.toLocaleString('en')}`);
  return parts.join(' · ');
}

/**
 * Beside the task's failure: which error checks failed it, and what became of its outputs (moved
 * aside for inspection, not counted as complete); nothing when no error check failed.
 */
export function failedCheckNote(checks: CheckResult[] | undefined): string | undefined {
  const failed = (checks ?? []).filter((c) => !c.ok && c.severity === 'error');
  if (failed.length === 0) return undefined;
  const why = failed.map((c) => `${c.check}${c.message ? `: ${c.message}` : ''}`).join('; ');
  return `Data check failed: ${why}. Outputs quarantined: moved aside for inspection, not counted as complete.`;
}
