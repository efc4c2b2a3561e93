// One task instance on the run's DAG: status, parameters, live progress and status message,
// and its meta line (runNodeMeta.ts). Built once per graph change, updated in place per batch of events.
import { breakableName } from '../dag/nameBreaks';
import { codicon, el } from '../shared/dom';
import { fullParams, paramParts } from './instanceLabels';
import { renderRunMeta } from './runNodeMeta';
import { type TaskRun } from './runState';
import { STATUS_ICON, STATUS_LABEL } from './statusIcons';

/**
 * The parameter line: `a=1, b=x`, the parameters that differ from the family's other instances first
 * (`differing`), so the first line tells instances apart; it wraps (never cut), the hover lists one per
 * line. `compact` (a run past 300 tasks): the parameter line holds only what differs within the family
 * (`date=2026-11-03`), so an expanded 1,000-day family does not draw 1,000 nodes reading alike.
 */
export function runNodeElement(task: TaskRun, differing: string[] = [], compact = false): HTMLElement {
  const root = el('div', 'dag-node run-node');
  root.dataset.taskId = task.id;
  root.dataset.family = task.family;
  root.tabIndex = 0;
  root.setAttribute('role', 'button');
  const title = el('div', 'node-title');
  const icon = el('span', 'status-icon');
  title.append(icon, breakableName(task.family, 'node-family'));
  root.append(title);
  const params = paramParts(task, differing, compact);
  if (params.length > 0) {
    // One box a parameter (its comma with it): a line breaks between parameters, never inside a
    // value ("date=2026-" / "11-02" read as two things). See run.css.
    const line = el('div', 'run-params');
    line.append(
      ...params.flatMap((part, i) => {
        const last = i === params.length - 1;
        const span = el('span', 'param-part', last ? part : `${part},`);
        return last ? [span] : [span, ' '];
      }),
    );
    line.title = fullParams(task);
    root.append(line);
  }
  // Always present (hidden when idle), so the node's measured size does not change as it runs.
  const progress = el('div', 'run-progress');
  progress.append(el('div', 'run-progress-fill'));
  root.append(progress, el('div', 'run-message'), el('div', 'run-meta'));
  updateRunNode(root, task, undefined);
  return root;
}

/**
 * Refreshes a node from its task. `runMs` (a finished run's duration) adds the share of the run;
 * `pastMs` (this task's durations in earlier runs) adds how this run compares with the usual.
 */
export function updateRunNode(
  root: HTMLElement,
  task: TaskRun,
  runMs: number | undefined,
  pastMs: number[] = [],
): void {
  if (root.dataset.status !== task.status) {
    root.dataset.status = task.status;
    const icon = root.querySelector<HTMLElement>('.status-icon')!;
    icon.dataset.status = task.status;
    icon.replaceChildren(codicon(STATUS_ICON[task.status]));
    root.title = `${task.id}\n${STATUS_LABEL[task.status]}`;
  }
  root.classList.toggle('retrying', task.retrying);
  const progress = root.querySelector<HTMLElement>('.run-progress')!;
  const showProgress = task.status === 'running';
  progress.classList.toggle('active', showProgress);
  progress.classList.toggle('indeterminate', showProgress && task.progress === undefined);
  progress.querySelector<HTMLElement>('.run-progress-fill')!.style.width =
    `${Math.round((task.progress ?? 0) * 100)}%`;
  const message = root.querySelector<HTMLElement>('.run-message')!;
  const text = task.status === 'failed' && task.error ? task.error.message : (task.statusMessage ?? '');
  if (message.textContent !== text) {
    message.textContent = text;
    message.title = text;
  }
  renderRunMeta(root.querySelector<HTMLElement>('.run-meta')!, task, runMs, pastMs);
  root.classList.toggle('sla-missed', task.slaMiss !== undefined);
}
