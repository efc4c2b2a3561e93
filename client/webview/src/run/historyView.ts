// Past runs of the workspace (#history): the list to replay, and each family's duration over the
// last runs as a sparkline with its trend, slowest first.
import type { RunListEntry } from '../messages';
import { el } from '../shared/dom';
import { durationTrend, slowestFirst, sparklinePoints } from './history';
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
      cell(run.root),
      cell(new Date(run.startedAt).toLocaleString()),
      cell(run.durationMs !== undefined ? formatDuration(run.durationMs) : '—'),
      cell(run.outcome ?? 'unfinished'),
    );
    row.addEventListener('click', () => openRun(run.runId));
    row.addEventListener('keydown', (event) => event.key === 'Enter' && openRun(run.runId));
    list.append(row);
  }
  element.append(el('h3', undefined, 'Runs'), list);

  const families = slowestFirst(durations);
  if (families.length === 0) return;
  const table = el('table', 'history-durations');
  table.append(
    headRow(['Task', `Last ${Math.max(...families.map((f) => f.values.length))} runs`, 'Latest', 'Trend']),
  );
  for (const family of families) {
    const row = el('tr');
    row.dataset.family = family.family;
    const trend = durationTrend(family.values);
    const trendCell = el('span', `trend trend-${trend}`, TREND_TEXT[trend]);
    row.append(
      cell(family.family),
      cell(sparkline(family.values)),
      cell(formatDuration(family.latest)),
      cell(trendCell),
    );
    table.append(row);
  }
  element.append(el('h3', undefined, 'Durations per task'), table);
}

function sparkline(newestFirst: number[]): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('class', 'sparkline');
  svg.setAttribute('width', '120');
  svg.setAttribute('height', '24');
  svg.setAttribute('viewBox', '-2 -2 124 28');
  const line = document.createElementNS(SVG_NS, 'polyline');
  line.setAttribute('points', sparklinePoints(newestFirst, 120, 24));
  svg.append(line);
  svg.append(document.createElementNS(SVG_NS, 'title'));
  svg.lastElementChild!.textContent = [...newestFirst].reverse().map(formatDuration).join(' → ');
  return svg;
}

function cell(content: string | Node): HTMLTableCellElement {
  const td = el('td');
  td.append(content);
  return td;
}

function headRow(labels: string[]): HTMLTableRowElement {
  const row = el('tr');
  for (const label of labels) row.append(el('th', undefined, label));
  return row;
}
