// Past runs of the workspace (#history): the list to replay, and each task's duration over the
// last runs as a sparkline with its trend, slowest first. Names lead with what differs between runs
// (or tasks) of one family and wrap (runName.ts): a narrow panel cut them all to the same text.
import type { RunListEntry } from '../messages';
import { el } from '../shared/dom';
import { durationTrend, slowestFirst, sparklinePoints } from './history';
import { historySlaMark } from './historySla';
import { runNames, type RunName } from './runName';
import { runNameElement } from './runNameElement';
import { formatDuration } from './runState';

const SVG_NS = 'http://www.w3.org/2000/svg';
const TREND_TEXT = { slower: '▲ slower', faster: '▼ faster', steady: 'steady', new: 'new' } as const;

export function renderHistory(
  element: HTMLElement,
  runs: RunListEntry[],
  durations: Record<string, number[]>,
  shownRunId: string | null,
  openRun: (runId: string) => void,
): void {
  element.replaceChildren();
  if (runs.length === 0) {
    element.append(el('div', 'empty', 'No past runs in .plumb/runs yet.'));
    return;
  }
  const list = el('table', 'history-runs');
  list.append(headRow(['', 'Task', 'Started', 'Took', 'Outcome']));
  const rootNames = runNames(runs.map((r) => r.root));
  for (const run of runs) {
    const row = el('tr', 'history-run');
    row.dataset.runId = run.runId;
    row.dataset.outcome = run.outcome ?? 'unknown';
    row.classList.toggle('shown', run.runId === shownRunId);
    row.tabIndex = 0;
    row.title = `Replay run ${run.runId}`;
    const dot = el('span', 'outcome-dot');
    dot.dataset.outcome = run.outcome ?? 'unknown';
    row.append(
      cell(dot),
      nameCell(run.root, rootNames),
      cell(new Date(run.startedAt).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' })),
      cell(run.durationMs !== undefined ? formatDuration(run.durationMs) : '—'),
      cell(run.outcome ?? 'unfinished'),
    );
    const sla = historySlaMark(run);
    if (sla) row.lastElementChild!.append(' ', sla);
    row.classList.toggle('sla-missed', sla !== undefined);
    row.addEventListener('click', () => openRun(run.runId));
    row.addEventListener('keydown', (event) => event.key === 'Enter' && openRun(run.runId));
    list.append(row);
  }
  element.append(el('h3', undefined, 'Runs'), list);

  const tasks = slowestFirst(durations);
  if (tasks.length === 0) return;
  const table = el('table', 'history-durations');
  const runsShown = Math.max(...tasks.map((t) => t.values.length));
  table.append(headRow(['Task', `Last ${runsShown} runs`, 'Latest', 'Trend']));
  const taskNames = runNames(tasks.map((t) => t.taskId));
  for (const task of tasks) {
    const row = el('tr');
    row.dataset.taskId = task.taskId;
    const trend = durationTrend(task.values);
    row.append(
      nameCell(task.taskId, taskNames),
      cell(sparkline(task.values)),
      cell(formatDuration(task.latest)),
      cell(el('span', `trend trend-${trend}`, TREND_TEXT[trend])),
    );
    table.append(row);
  }
  element.append(el('h3', undefined, 'Durations per task'), table);
}

function sparkline(oldestFirst: number[]): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('class', 'sparkline');
  svg.setAttribute('width', '120');
  svg.setAttribute('height', '24');
  svg.setAttribute('viewBox', '-2 -2 124 28');
  const line = document.createElementNS(SVG_NS, 'polyline');
  line.setAttribute('points', sparklinePoints(oldestFirst, 120, 24));
  svg.append(line);
  svg.append(document.createElementNS(SVG_NS, 'title'));
  svg.lastElementChild!.textContent = oldestFirst.map(formatDuration).join(' → ');
  return svg;
}

function cell(content: string | Node, className?: string): HTMLTableCellElement {
  const td = el('td', className);
  td.append(content);
  return td;
}

/** A run's or task's name, taking the room left (`fill`) and wrapping; the whole id in its hover. */
function nameCell(id: string, names: Map<string, RunName>): HTMLTableCellElement {
  const td = cell(runNameElement(names.get(id)!, 'history-name'), 'fill');
  td.title = id;
  return td;
}

function headRow(labels: string[]): HTMLTableRowElement {
  const row = el('tr');
  for (const label of labels) row.append(el('th', undefined, label));
  return row;
}
