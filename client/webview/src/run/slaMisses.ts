// Missed SLAs of a run, from its sla-missed events: one line each for the run view's header
// ("SLA missed: SlowLoad() deadline 06:00 Europe/Berlin") and the mark on a late task's node.
// DOM-free; slaBanner.ts draws the lines.
import type { SlaMissedEvent } from '../../../../runtime/src/events';

export type SlaMiss = Pick<SlaMissedEvent, 'scope' | 'taskId' | 'schedule' | 'sla' | 'deadline' | 'status'>;

export function slaMissOf(event: SlaMissedEvent): SlaMiss {
  return {
    scope: event.scope,
    ...(event.taskId !== undefined && { taskId: event.taskId }),
    ...(event.schedule !== undefined && { schedule: event.schedule }),
    sla: event.sla,
    deadline: event.deadline,
    status: event.status,
  };
}

/** "06:00 Europe/Berlin" as declared; "within 1h (05:00 UTC)" for a duration, whose deadline is computed. */
export function slaDeadline(miss: Pick<SlaMiss, 'sla' | 'deadline'>): string {
  if (miss.sla.deadline !== undefined) return `deadline ${miss.sla.deadline} ${miss.sla.timeZone ?? 'UTC'}`;
  const at = new Date(miss.deadline).toISOString().slice(11, 16);
  return `within ${miss.sla.within ?? '?'} (deadline ${at} UTC)`;
}

/** "SLA missed: SlowLoad() deadline 06:00 Europe/Berlin (was running)"; the run's: "the run of nightly". */
export function slaMissLine(miss: SlaMiss): string {
  const what =
    miss.scope === 'task'
      ? (miss.taskId ?? 'a task')
      : `the run${miss.schedule ? ` of ${miss.schedule}` : ''}`;
  return `SLA missed: ${what} ${slaDeadline(miss)} (was ${miss.status})`;
}

/** The node's mark: "SLA missed" with the deadline in its hover. */
export function slaNodeTitle(miss: SlaMiss): string {
  return `SLA missed: ${slaDeadline(miss)}; it was ${miss.status} then`;
}
