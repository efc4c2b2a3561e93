// The execution summary once the run finished: counts per outcome and the tasks that need a look.
import { el } from '../shared/dom';
import { formatDuration, type RunState } from './runState';

const GROUPS: { key: keyof NonNullable<RunState['summary']>; label: string; status: string }[] = [
  { key: 'ran', label: 'ran', status: 'done' },
  { key: 'alreadyComplete', label: 'already complete', status: 'complete' },
  { key: 'failed', label: 'failed', status: 'failed' },
  { key: 'blocked', label: 'blocked', status: 'blocked' },
  { key: 'missingExternal', label: 'missing external', status: 'missing-external' },
  { key: 'cancelled', label: 'cancelled', status: 'cancelled' },
  { key: 'succeededAfterRetry', label: 'succeeded after retry', status: 'done' },
];

/** Fills `element` (#summary) from a finished run; hides it while the run is going. */
export function renderSummary(element: HTMLElement, state: RunState, selectTask: (id: string) => void): void {
  const summary = state.summary;
  element.hidden = !summary && !state.message;
  element.replaceChildren();
  if (!summary && !state.message) return;
  element.dataset.outcome = state.outcome ?? '';
  const line = el('div', 'summary-line');
  line.append(el('strong', undefined, headline(state)));
  if (summary) {
    for (const group of GROUPS) {
      const ids = summary[group.key];
      if (ids.length === 0) continue;
      const chip = el('span', 'summary-chip', `${ids.length} ${group.label}`);
      chip.dataset.status = group.status;
      chip.dataset.group = group.key;
      chip.title = ids.join('\n');
      line.append(chip);
    }
  }
  element.append(line);
  if (state.message) element.append(el('div', 'summary-message', state.message));
  // The tasks to look at: failed first, then blocked; each opens its log.
  const attention = summary ? [...summary.failed, ...summary.blocked, ...summary.missingExternal] : [];
  if (attention.length > 0) {
    const list = el('ul', 'summary-list');
    for (const id of attention.slice(0, 8)) {
      const task = state.tasks.get(id);
      const item = el('li');
      const link = el('button', 'link-button', id);
      link.type = 'button';
      link.addEventListener('click', () => selectTask(id));
      item.append(link);
      if (task?.error) item.append(el('span', 'summary-error', ` — ${task.error.message}`));
      else if (task?.blockedBy?.length)
        item.append(el('span', 'summary-error', ` — waits for ${task.blockedBy.join(', ')}`));
      list.append(item);
    }
    if (attention.length > 8) list.append(el('li', 'summary-more', `and ${attention.length - 8} more`));
    element.append(list);
  }
}

function headline(state: RunState): string {
  const took = state.durationMs !== undefined ? ` in ${formatDuration(state.durationMs)}` : '';
  switch (state.outcome) {
    case 'success':
      return `Succeeded${took}.`;
    case 'failed':
      return `Failed${took}.`;
    case 'missing-external':
      return `Stopped${took}: external data is missing.`;
    case 'cancelled':
      return `Cancelled${took}.`;
    case 'locked':
      return 'Not started: another run of this task holds the lock.';
    case 'error':
      return 'The run could not start.';
    default:
      return 'Finished.';
  }
}
