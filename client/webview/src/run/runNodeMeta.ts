// A run node's meta line (duration, how it compares with the usual, tries, rows, share of the run,
// worker): parts in the order a person needs them, each whole or not drawn at all. The node is
// 180 px wide and its height is fixed once laid out, so a part that does not fit is dropped from the
// end (CSS: whole parts wrap onto a clipped second line) rather than cut mid-number; the hover
// has the whole line.
import { el } from '../shared/dom';
import { checkBadgeElement } from './checkList';
import { compareToUsual, median, shareOfRun, type Trend } from './history';
import { rowsLabel } from './rowsLoaded';
import { formatDuration, type TaskRun } from './runState';
import { slaNodeMark } from './slaBanner';
import { STATUS_LABEL } from './statusIcons';
import { workerLabel } from './workerLabel';
import './runNodeMeta.css';

export interface MetaPart {
  text: string;
  /** A mark drawn as its own element (a data check's badge, a missed SLA). */
  element?: HTMLElement;
  className?: string;
}

/**
 * The parts, most useful first: marks a person must not miss, then what the task took and whether
 * that is unusual, then how it went (tries, waits), then the rest; `pastMs` are its earlier runs'
 * durations, `runMs` a finished run's duration (for the share).
 */
export function metaParts(
  task: TaskRun,
  runMs: number | undefined,
  pastMs: number[],
): { parts: MetaPart[]; trend: Trend } {
  const parts: MetaPart[] = [];
  for (const mark of [checkBadgeElement(task.checks), slaNodeMark(task.slaMiss)])
    if (mark) parts.push({ text: mark.textContent ?? '', element: mark });
  if (task.status === 'running' && task.progress !== undefined)
    parts.push({ text: `${Math.round(task.progress * 100)}%` });
  const busy = task.attempts.reduce((sum, a) => sum + ((a.end ?? a.start) - a.start), 0);
  const finished = task.attempts.length > 0 && task.status !== 'running';
  if (finished) parts.push({ text: formatDuration(busy) });
  const trend =
    task.status === 'done' && task.durationMs !== undefined ? compareToUsual(task.durationMs, pastMs) : 'new';
  if (trend === 'slower' || trend === 'faster')
    parts.push({
      text: `${trend === 'slower' ? '▲' : '▼'} usually ${formatDuration(median(pastMs))}`,
      className: `trend trend-${trend}`,
    });
  if (task.attempts.length === 0 && task.status !== 'running')
    parts.push({ text: STATUS_LABEL[task.status] });
  const tries = task.attempts.length;
  if (tries > 1 || task.retrying)
    parts.push({ text: task.retrying ? `retrying (try ${tries + 1})` : `${tries} tries` });
  if (task.status === 'blocked' && task.blockedBy?.length)
    parts.push({ text: `waits for ${task.blockedBy.length} failed` });
  const rows = rowsLabel(task);
  if (rows) parts.push({ text: rows });
  if (finished && runMs) parts.push({ text: `${Math.round(shareOfRun(busy, runMs) * 100)}% of run` });
  const worker = workerLabel(task);
  if (worker) parts.push({ text: worker });
  return { parts, trend };
}

/** Fills a node's `.run-meta` with its parts (text `a · b · c`); the title holds them all. */
export function renderRunMeta(
  meta: HTMLElement,
  task: TaskRun,
  runMs: number | undefined,
  pastMs: number[],
): void {
  const { parts, trend } = metaParts(task, runMs, pastMs);
  meta.dataset.trend = trend;
  fillMeta(meta, parts);
}

/**
 * Draws `parts` in a `.run-meta` line (an instance's or a folded family's), each whole or dropped
 * whole; unchanged text is not redrawn (a 1,000-instance family is updated on every batch).
 */
export function fillMeta(meta: HTMLElement, parts: MetaPart[]): void {
  const text = parts.map((p) => p.text).join(' · ');
  // A mark's own hover (which checks failed) can change while its text stays.
  const key = [text, ...parts.map((p) => p.element?.title ?? '')].join('\n');
  meta.classList.add('meta-parts');
  if (meta.dataset.key === key) return;
  meta.dataset.key = key;
  meta.title = text;
  meta.replaceChildren(
    ...parts.flatMap((part, i) => {
      const span = el('span', `meta-part${part.className ? ` ${part.className}` : ''}`);
      if (i > 0) span.append('· ');
      span.append(part.element ?? part.text);
      // The space between parts is where a part that does not fit moves to the clipped line.
      return i > 0 ? [' ', span] : [span];
    }),
  );
}
