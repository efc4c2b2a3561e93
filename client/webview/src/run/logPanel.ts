// A task's details beside the run graph: its status, attempts, error with stack, and log lines.
import { codicon, el, iconButton } from '../shared/dom';
import { formatDuration, type TaskRun } from './runState';
import { stackFrames } from './stackFrames';
import { STATUS_ICON, STATUS_LABEL } from './statusIcons';
import { attemptWorker } from './workerLabel';
import { failedCheckElement, renderCheckList } from './checkList';

export interface LogPanel {
  element: HTMLElement;
  /** Shows `task` (null hides the panel). Cheap to call per batch: appends only new log lines. */
  show(task: TaskRun | null): void;
}

export function createLogPanel(handlers: { openTask(family: string): void; close(): void }): LogPanel {
  const element = el('aside', 'log-panel');
  element.id = 'log';
  element.hidden = true;
  const head = el('div', 'log-head');
  const title = el('div', 'log-title');
  const actions = el('div', 'log-actions');
  let current: TaskRun | null = null;
  actions.append(
    iconButton(
      'go-to-file',
      'Go to the task’s class',
      () => current && handlers.openTask(current.family),
      'log-open',
    ),
    iconButton('close', 'Close', () => handlers.close(), 'log-close'),
  );
  head.append(title, actions);
  const details = el('div', 'log-details');
  const error = el('div', 'log-error');
  error.id = 'log-error';
  const lines = el('pre', 'log-lines');
  lines.id = 'log-lines';
  const checks = el('div', 'log-checks');
  element.append(head, details, checks, error, lines);

  let shownId: string | null = null;
  let shownLines = 0;
  let shownError: unknown;

  return {
    element,
    show(task) {
      current = task;
      element.hidden = task === null;
      if (!task) {
        shownId = null;
        return;
      }
      element.dataset.taskId = task.id;
      element.dataset.status = task.status;
      if (task.id !== shownId) {
        shownId = task.id;
        shownLines = 0;
        shownError = undefined;
        lines.replaceChildren();
      }
      const icon = el('span', 'status-icon');
      icon.dataset.status = task.status;
      icon.append(codicon(STATUS_ICON[task.status]));
      const name = el('span', 'log-task-id', task.id);
      name.title = task.id;
      title.replaceChildren(icon, name);
      details.textContent = detailLine(task);
      renderCheckList(checks, task.checks);

      if (task.error !== shownError) {
        shownError = task.error;
        error.replaceChildren();
        if (task.error) {
          error.append(el('div', 'error-message', `${task.error.name}: ${task.error.message}`));
          error.append(...failedCheckElement(task.checks));
          if (task.error.location) {
            const where = task.error.location;
            error.append(el('div', 'error-location', `at ${where.file}:${where.line}:${where.column}`));
          }
          if (task.error.stack) error.append(stackView(task.error.stack));
        }
      }
      error.hidden = !task.error;

      // Logs only grow (the reducer trims the front past its cap: then redraw).
      if (task.logs.length < shownLines) {
        lines.replaceChildren();
        shownLines = 0;
      }
      const atBottom = lines.scrollTop + lines.clientHeight >= lines.scrollHeight - 4;
      const fragment = document.createDocumentFragment();
      for (const log of task.logs.slice(shownLines)) {
        const line = el('div', `log-line level-${log.level}`, log.line);
        fragment.append(line);
      }
      shownLines = task.logs.length;
      lines.append(fragment);
      if (lines.childElementCount === 0)
        lines.dataset.empty = task.status === 'pending' ? 'Not started yet.' : 'No log lines.';
      else delete lines.dataset.empty;
      if (atBottom) lines.scrollTop = lines.scrollHeight;
    },
  };
}

function detailLine(task: TaskRun): string {
  const parts = [STATUS_LABEL[task.status]];
  if (task.retrying) parts.push('retry coming');
  for (const a of task.attempts) {
    const took = a.end !== undefined ? formatDuration(a.end - a.start) : 'running';
    parts.push(
      `try ${a.attempt}${attemptWorker(a)}: ${a.outcome === 'running' ? took : `${a.outcome}${a.timedOut ? ' (timed out)' : ''} in ${took}`}`,
    );
  }
  if (task.blockedBy?.length) parts.push(`waits for ${task.blockedBy.join(', ')}`);
  if (task.statusMessage) parts.push(task.statusMessage);
  return parts.join(' · ');
}

/** The user's frames, with the runtime's and Node's behind a toggle that shows the whole stack. */
function stackView(stack: string): HTMLElement {
  const frames = stackFrames(stack);
  const own = frames.filter((f) => !f.internal);
  const hidden = frames.length - own.length;
  const view = el('div', 'error-stack-view');
  if (own.length > 0) view.append(el('pre', 'error-stack', own.map((f) => f.text).join('\n')));
  if (hidden > 0 || frames.length === 0) {
    const all = el('details', 'error-stack-all');
    all.append(
      el(
        'summary',
        '',
        own.length > 0 ? `Full stack (${hidden} runtime frames)` : 'Stack (runtime frames only)',
      ),
      el('pre', 'error-stack', frames.length > 0 ? frames.map((f) => f.text).join('\n') : stack),
    );
    view.append(all);
  }
  return view;
}
