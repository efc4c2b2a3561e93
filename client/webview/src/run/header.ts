// The run view's header: what runs (its family, then its parameters whole: what differs from the
// other runs of the family first), how far it is (n of N, elapsed), and Cancel / Rerun.
import { codicon, el } from '../shared/dom';
import { idParts, runName } from './runName';
import { runParamsElement } from './runNameElement';
import { elapsedMs, formatDuration, runProgress, type RunState } from './runState';
import { createSlaBanner } from './slaBanner';

export interface HeaderHandlers {
  cancel(): void;
  rerun(mode: 'all' | 'failed'): void;
}

export interface RunHeader {
  element: HTMLElement;
  /** `otherRoots`: the roots of the workspace's other runs (History), to lead with what differs. */
  update(state: RunState, now: number, otherRoots?: string[]): void;
}

function textButton(
  label: string,
  icon: string,
  id: string,
  onClick: () => void,
  primary = false,
): HTMLButtonElement {
  const button = el('button', primary ? 'text-button primary' : 'text-button');
  button.type = 'button';
  button.id = id;
  button.append(codicon(icon), el('span', undefined, label));
  button.addEventListener('click', onClick);
  return button;
}

export function createHeader(handlers: HeaderHandlers): RunHeader {
  const element = el('div', 'run-header');
  element.id = 'run-header';
  const title = el('div', 'run-title');
  const titleLine = el('div', 'run-title-line');
  const outcomeIcon = el('span', 'status-icon');
  const name = el('span', 'run-name');
  const moreRoots = el('span', 'run-more-roots');
  const outcome = el('span', 'run-outcome');
  outcome.id = 'run-outcome';
  titleLine.append(outcomeIcon, name, moreRoots, outcome);
  // The root's parameters on their own line under the family: a backfill's window and its other
  // parameters are read whole in a 420 px panel (they were cut to "RangeDaily(of=Daily…").
  const params = el('div', 'run-root-params');
  params.id = 'run-root-params';
  title.append(titleLine, params);
  let paramsKey = '';

  const progress = el('div', 'run-overall');
  const bar = el('div', 'overall-bar');
  const fill = el('div', 'overall-fill');
  bar.append(fill);
  bar.setAttribute('role', 'progressbar');
  const counts = el('span', 'overall-counts');
  counts.id = 'run-progress';
  const elapsed = el('span', 'overall-elapsed');
  elapsed.id = 'run-elapsed';
  progress.append(bar, counts, elapsed);

  const buttons = el('div', 'run-buttons');
  const cancel = textButton('Cancel', 'debug-stop', 'cancel', () => {
    cancel.disabled = true;
    cancel.querySelector('span:last-child')!.textContent = 'Cancelling…';
    handlers.cancel();
  });
  const rerunFailed = textButton('Rerun failed', 'debug-restart', 'rerun-failed', () =>
    handlers.rerun('failed'),
  );
  const rerun = textButton('Rerun', 'refresh', 'rerun', () => handlers.rerun('all'), true);
  buttons.append(cancel, rerunFailed, rerun);
  const sla = createSlaBanner();
  element.append(title, progress, buttons, sla.element);

  let shownRun: string | null = null;
  return {
    element,
    update(state, now, otherRoots = []) {
      if (state.runId !== shownRun) {
        // A new run: Cancel is live again.
        shownRun = state.runId;
        cancel.disabled = false;
        cancel.querySelector('span:last-child')!.textContent = 'Cancel';
      }
      const p = runProgress(state);
      // "Starting…" only while a live run has not announced itself; a restored or replayed view
      // waiting for its events says nothing is running rather than counting 0 of 0.
      // A debugger holding the run before it announced itself is not "starting": it is paused.
      const paused = state.live && state.paused === true && state.outcome === undefined;
      const root = state.root !== undefined ? idParts(state.root) : undefined;
      name.textContent =
        root?.family ??
        state.family ??
        (paused
          ? 'Paused in the debugger'
          : state.live
            ? 'Starting…'
            : state.runId
              ? 'Loading the run…'
              : 'No run yet');
      name.title = `${state.root ?? ''}${state.unit ? ' (this task only)' : ''}\nrun ${state.runId ?? ''}`;
      const more = state.roots.length - 1;
      moreRoots.textContent = more > 0 ? `+${more} more` : '';
      moreRoots.title = state.roots.join('\n');
      const key = `${state.root ?? ''}\n${otherRoots.join('\n')}`;
      if (key !== paramsKey) {
        paramsKey = key;
        const named = state.root !== undefined ? runName(state.root, otherRoots) : undefined;
        params.replaceChildren(...(named ? [runParamsElement(named, 'run-name-parts')] : []));
        params.title = root?.parts.join('\n') ?? '';
        params.hidden = !named || named.lead.length + named.rest.length === 0;
      }
      const status =
        state.outcome ?? (paused ? 'paused' : state.live ? 'running' : state.runId ? 'unknown' : 'none');
      outcomeIcon.dataset.status = statusForIcon(status);
      outcomeIcon.replaceChildren(codicon(outcomeIconName(status)));
      outcome.textContent = state.outcome
        ? state.outcome.replace('-', ' ')
        : paused
          ? 'paused'
          : state.live
            ? 'running'
            : '';
      outcome.dataset.outcome = status;
      fill.style.width = p.total ? `${(p.finished / p.total) * 100}%` : '0%';
      bar.setAttribute('aria-valuenow', String(p.finished));
      bar.setAttribute('aria-valuemax', String(p.total));
      bar.classList.toggle('has-failures', p.failed > 0);
      counts.textContent =
        p.total === 0
          ? ''
          : `${p.finished} of ${p.total} complete${p.running ? ` · ${p.running} running` : ''}${p.failed ? ` · ${p.failed} failed` : ''}`;
      sla.update(state);
      elapsed.textContent = state.startedAt !== undefined ? formatDuration(elapsedMs(state, now)) : '';
      cancel.hidden = !state.live;
      rerun.hidden = state.live || state.runId === null;
      rerunFailed.hidden =
        state.live || !(state.outcome === 'failed' || state.outcome === 'cancelled' || p.failed > 0);
    },
  };
}

function statusForIcon(outcome: string): string {
  if (outcome === 'success') return 'done';
  if (outcome === 'running') return 'running';
  if (outcome === 'paused') return 'paused';
  if (['failed', 'error', 'locked', 'pipeline-error', 'crashed'].includes(outcome)) return 'failed';
  if (outcome === 'missing-external' || outcome === 'incomplete') return 'missing-external';
  return 'cancelled';
}

function outcomeIconName(outcome: string): string {
  switch (outcome) {
    case 'success':
      return 'pass-filled';
    case 'running':
      return 'loading';
    case 'paused':
      return 'debug-pause';
    case 'failed':
    case 'error':
    case 'pipeline-error':
    case 'crashed':
      return 'error';
    case 'locked':
      return 'lock';
    case 'missing-external':
    case 'incomplete':
      return 'warning';
    case 'none':
      return 'circle-large-outline';
    default:
      return 'circle-slash';
  }
}
