// The execution summary once the run finished: counts per outcome and the tasks that need a look
// (what to show is summaryModel.ts; this file only draws it).
import { el } from '../shared/dom';
import { formatDuration, type RunState } from './runState';
import { attentionItems, summaryGroups } from './summaryModel';

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
    for (const group of summaryGroups(summary)) {
      const chip = el('span', 'summary-chip', `${group.ids.length} ${group.label}`);
      chip.dataset.status = group.status;
      chip.dataset.group = group.key;
      chip.title = group.ids.join('\n');
      line.append(chip);
    }
  }
  element.append(line);
  if (state.message) element.append(el('div', 'summary-message', state.message));
  // The tasks to look at: failed and broken first, then blocked and missing; each opens its log.
  const attention = attentionItems(state);
  if (attention.length > 0) {
    const list = el('ul', 'summary-list');
    for (const { id, detail } of attention.slice(0, 8)) {
      const item = el('li');
      const link = el('button', 'link-button', id);
      link.type = 'button';
      link.addEventListener('click', () => selectTask(id));
      item.append(link);
      if (detail) item.append(el('span', 'summary-error', ` — ${detail}`));
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
    case 'pipeline-error':
      return `Stopped${took}: the pipeline is broken.`;
    case 'incomplete':
      return `Finished${took}, but not everything requested is complete.`;
    case 'crashed':
      return `The runner crashed${took}.`;
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
