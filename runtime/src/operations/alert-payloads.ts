// What an alert says, per kind (a task's final failure, a recovery, a missed SLA), as a
// Slack-compatible payload (Slack reads `text`) or plain JSON carrying the same facts as fields.
import { type SlaMissedEvent } from '../events';
import { describeSla } from './sla';

export type AlertKind = 'failure' | 'recovery' | 'sla-miss';
export type AlertFormat = 'slack' | 'json';

export interface TaskFailureAlert {
  taskId: string;
  error: string;
  attempts: number;
  lastLogLines: string[];
  runLog?: string;
}

export interface RecoveryAlert {
  taskId: string;
  /** The run in which it last failed. */
  failedIn: string;
}

export type AlertFacts =
  | { kind: 'failure'; failures: TaskFailureAlert[] }
  | { kind: 'recovery'; recoveries: RecoveryAlert[]; runLog?: string }
  /** Misses seen at one moment (a late start reports every task at once): one message. */
  | { kind: 'sla-miss'; misses: SlaMissedEvent[]; runLog?: string };

/** The tasks a message is about (for the alert event). */
export function alertTaskIds(facts: AlertFacts): string[] {
  if (facts.kind === 'failure') return facts.failures.map((f) => f.taskId);
  if (facts.kind === 'recovery') return facts.recoveries.map((r) => r.taskId);
  return facts.misses.flatMap((m) => (m.taskId !== undefined ? [m.taskId] : []));
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const iso = (ms: number) => new Date(ms).toISOString();

export function alertPayload(format: AlertFormat, runId: string, facts: AlertFacts): unknown {
  if (facts.kind === 'failure') {
    const { failures } = facts;
    if (format === 'json') return { type: 'task-failed', runId, failures };
    const blocks = failures.map(
      (f) =>
        `*${f.taskId}* failed after ${plural(f.attempts, 'attempt')}: ${f.error}` +
        (f.lastLogLines.length ? `\n\`\`\`${f.lastLogLines.join('\n')}\`\`\`` : '') +
        (f.runLog ? `\nrun log: ${f.runLog}` : ''),
    );
    return { text: `Plumb run ${runId}: ${plural(failures.length, 'task')} failed\n${blocks.join('\n')}` };
  }
  if (facts.kind === 'recovery') {
    const { recoveries } = facts;
    if (format === 'json')
      return {
        type: 'task-recovered',
        runId,
        tasks: recoveries,
        ...(facts.runLog ? { runLog: facts.runLog } : {}),
      };
    const lines = recoveries.map((r) => `*${r.taskId}* succeeded again (it failed in run ${r.failedIn})`);
    return {
      text: `Plumb run ${runId}: ${plural(recoveries.length, 'task')} recovered\n${lines.join('\n')}`,
    };
  }
  const misses = facts.misses.map((m) => ({
    scope: m.scope,
    ...(m.taskId !== undefined ? { taskId: m.taskId } : {}),
    ...(m.schedule !== undefined ? { schedule: m.schedule } : {}),
    sla: m.sla,
    scheduledAt: iso(m.scheduledAt),
    deadline: iso(m.deadline),
    status: m.status,
  }));
  if (format === 'json')
    return { type: 'sla-missed', runId, misses, ...(facts.runLog ? { runLog: facts.runLog } : {}) };
  const lines = misses.map((m) => {
    const what = m.scope === 'task' ? `*${m.taskId}*` : `the run${m.schedule ? ` of ${m.schedule}` : ''}`;
    return (
      `${what} was not done ${describeSla(m.sla)} ` +
      `(deadline ${m.deadline}, scheduled ${m.scheduledAt}; it was ${m.status})`
    );
  });
  const head =
    lines.length === 1 ? `SLA missed: ${lines[0]}` : `${lines.length} SLAs missed\n${lines.join('\n')}`;
  return { text: `Plumb run ${runId}: ${head}${facts.runLog ? `\nrun log: ${facts.runLog}` : ''}` };
}
