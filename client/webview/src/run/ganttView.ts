// Draws the run's timeline (#gantt): a time axis and one row per task, one bar per attempt, so
// retries, waits and the long poles are visible at a glance.
import { breakableName } from '../dag/nameBreaks';
import { el } from '../shared/dom';
import { ganttRows, timeScale } from './gantt';
import './ganttLabels.css';
import { differingParams, paramLabel } from './instanceLabels';
import { elapsedMs, formatDuration, type RunState } from './runState';

/** Task labels take at most 220 px, less in a narrow panel so the bars keep most of the width. */
function labelWidth(panelPx: number): number {
  return Math.round(Math.min(220, Math.max(110, panelPx * 0.3)));
}

export function renderGantt(
  element: HTMLElement,
  state: RunState,
  now: number,
  selected: string | null,
  select: (id: string) => void,
): void {
  const rows = ganttRows(state, now);
  const differing = differingParams(state.tasks.values());
  element.replaceChildren();
  if (rows.length === 0) {
    element.append(el('div', 'empty', state.runId ? 'No task has started yet.' : 'No run to show.'));
    return;
  }
  const span = Math.max(elapsedMs(state, now), ...rows.flatMap((r) => r.bars.map((b) => b.end)));
  // The track leaves room on its right for the last bar's duration label (.gantt-track margin).
  const labelPx = labelWidth(element.clientWidth);
  element.style.setProperty('--gantt-label', `${labelPx}px`);
  const trackPx = Math.max(160, element.clientWidth - labelPx - 32 - 80);
  const scale = timeScale(span, trackPx);

  const axis = el('div', 'gantt-axis');
  axis.append(el('div', 'gantt-label'));
  const ticks = el('div', 'gantt-track');
  for (const tick of scale.ticks) {
    const t = el('span', 'gantt-tick', tick.label);
    t.style.left = `${tick.x}px`;
    ticks.append(t);
  }
  axis.append(ticks);
  element.append(axis);

  for (const row of rows) {
    const line = el('div', 'gantt-row');
    line.dataset.taskId = row.taskId;
    line.dataset.status = row.status;
    line.classList.toggle('selected', row.taskId === selected);
    // Family, then only the parameters that tell its instances apart. Both wrap (the family at its
    // word breaks, the parameters between each other) instead of being cut, so
    // `CleanOrders(date=2026-11…` never repeats on three rows; the row grows a line instead.
    const label = el('div', 'gantt-label');
    const task = state.tasks.get(row.taskId);
    const params = task ? paramLabel(task, differing.get(row.taskId), true) : '';
    const family = breakableName(row.family, 'gantt-family');
    family.removeAttribute('title');
    label.append(family);
    if (params) label.append(el('span', 'gantt-params', params));
    label.title = row.taskId;
    const track = el('div', 'gantt-track');
    for (const tick of scale.ticks) {
      const grid = el('span', 'gantt-grid');
      grid.style.left = `${tick.x}px`;
      track.append(grid);
    }
    for (const bar of row.bars) {
      const b = el('span', `gantt-bar ${bar.outcome}`);
      b.dataset.attempt = String(bar.attempt);
      b.style.left = `${bar.start * scale.pxPerMs}px`;
      b.style.width = `${Math.max(2, (bar.end - bar.start) * scale.pxPerMs)}px`;
      b.title = `${row.taskId} try ${bar.attempt}: ${bar.outcome}${bar.timedOut ? ' (timed out)' : ''}, ${formatDuration(bar.end - bar.start)}`;
      if (row.bars.length > 1) b.textContent = String(bar.attempt);
      track.append(b);
    }
    const total = el('span', 'gantt-duration', formatDuration(row.busyMs));
    total.style.left = `${Math.max(...row.bars.map((b) => b.end)) * scale.pxPerMs + 6}px`;
    track.append(total);
    line.append(label, track);
    line.addEventListener('click', () => select(row.taskId));
    element.append(line);
  }
}
