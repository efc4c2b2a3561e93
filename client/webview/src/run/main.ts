// The run webview: one pipeline run, live or replayed, as a DAG coloured by status, a task's log,
// a timeline, the summary, and the history of past runs.
import '@vscode/codicons/dist/codicon.css';
import '../shared/theme.css';
import '../dag/optionalEdge.css';
import './run.css';
import { DagCanvas, type DagEdge } from '../dag/dagCanvas';
import { LayoutClient, workerUrlNextTo } from '../layout/layoutClient';
import type { RunHostMessage, RunListEntry, RunViewMessage, RunViewState } from '../messages';
import { el } from '../shared/dom';
import { connectToHost, onHostMessage, ownScriptUrl } from '../shared/vscodeApi';
import { familyNodeElement, updateFamilyNode } from './familyNode';
import { familiesToFold, foldEdges, foldFamilies, type Folding } from './familyView';
import { renderGantt } from './ganttView';
import { createHeader } from './header';
import { renderHistory } from './historyView';
import { differingParams } from './instanceLabels';
import { createLogPanel } from './logPanel';
import { applyRunEvents, emptyRun, type RunState } from './runState';
import { runNodeElement, updateRunNode } from './runNode';
import { renderSummary } from './summaryView';

/** Past this many tasks the run graph draws compact nodes. */
const LARGE_RUN = 300;

type Tab = 'graph' | 'timeline' | 'history';

const vscode = connectToHost<RunViewMessage, RunViewState>();
const workerUrl = workerUrlNextTo(ownScriptUrl());
const saved = vscode.getState();
let run: RunState = emptyRun(saved?.runId ?? null);
let selected: string | null = saved?.selectedTask ?? null;
let history: { runs: RunListEntry[]; durations: Record<string, number[]> } = { runs: [], durations: {} };
let tab: Tab = 'graph';
let drawnGraphVersion = -1;
/** Counts graph draws; `drawing` is true while the newest waits for its layout (nodes not placed yet). */
let draws = 0;
let drawing = false;
/** A node just selected: shown with its neighbours once the log panel has taken its space. */
let toReveal: string | null = null;
/** Families the user expanded from the family view (until the next run). */
let expanded = new Set<string>();
/** The family expanded last: what the person asked to see (interest). */
let lastExpanded: string | null = null;
/** How the drawn graph folds instances into family nodes. */
let folding: Folding = { nodeOf: new Map(), groups: new Map() };
/** The canvas size the drawn graph's folding was decided for. */
let drawnSize = { width: 0, height: 0 };

function save(): void {
  vscode.setState({ runId: run.runId, selectedTask: selected });
}

const root = document.getElementById('root') ?? document.body;
root.classList.add('run-view');
const header = createHeader({
  cancel: () => run.runId && vscode.postMessage({ type: 'cancel', runId: run.runId }),
  rerun: (mode) => run.runId && vscode.postMessage({ type: 'rerun', runId: run.runId, mode }),
});
const summary = el('section', 'summary');
summary.id = 'summary';
summary.hidden = true;

const tabs = el('div', 'tabs');
tabs.setAttribute('role', 'tablist');
const tabButtons = new Map<Tab, HTMLButtonElement>();
for (const [name, label] of [
  ['graph', 'Graph'],
  ['timeline', 'Timeline'],
  ['history', 'History'],
] as const) {
  const button = el('button', 'tab', label);
  button.type = 'button';
  button.id = `tab-${name}`;
  button.setAttribute('role', 'tab');
  button.addEventListener('click', () => showTab(name));
  tabButtons.set(name, button);
  tabs.append(button);
}

const body = el('div', 'run-body');
const graphPanel = el('div', 'panel graph-panel');
const canvasHost = el('div', 'canvas-host');
const logPanel = createLogPanel({
  openTask: (family) => vscode.postMessage({ type: 'open-task', family }),
  close: () => selectTask(null),
});
graphPanel.append(canvasHost);
const gantt = el('div', 'panel gantt');
gantt.id = 'gantt';
const historyPanel = el('div', 'panel history');
historyPanel.id = 'history';
body.append(graphPanel, gantt, historyPanel, logPanel.element);
root.append(header.element, summary, tabs, body);
const canvas = new DagCanvas(canvasHost, new LayoutClient(workerUrl), {
  refitOnLayout: true,
  interest,
});
const graphControls = canvas.controls();
tabs.append(graphControls);

/**
 * The tasks a view of the run too wide to read whole shows, with their neighbours: the selected
 * one, else (while live) the first running, else the first failed, else the task the run was for;
 * after an expand, what the person opened leads (below).
 */
function interest(): string[] {
  const first = (status: string) => [...run.tasks.values()].find((t) => t.status === status)?.id;
  // A task folded into its family's node is shown by that node.
  const task = [selected, run.live ? first('running') : null, first('failed'), run.root]
    .map((id) => (id != null ? (folding.nodeOf.get(id) ?? id) : id))
    .find((id) => id != null && canvas.hasNode(id));
  const around = task ? canvas.withNeighbours(task) : [];
  const opened = run.order.filter((id) => run.tasks.get(id)?.family === lastExpanded && canvas.hasNode(id));
  if (opened.length === 0 || (selected && canvas.hasNode(selected))) return around;
  // After an expand (nothing selected): what the person opened, then the families still folded (what
  // they may open next: out of view, only the note's count would hint at them), then the task above
  // with what fed it, then the rest of the opened family; a fit shows as many as fit readably, in order.
  return [opened[0]!, ...folding.groups.keys(), ...around, ...opened.slice(1)];
}

function showTab(name: Tab): void {
  tab = name;
  for (const [n, button] of tabButtons) {
    button.classList.toggle('active', n === name);
    button.setAttribute('aria-selected', String(n === name));
  }
  graphPanel.hidden = name !== 'graph';
  graphControls.hidden = name !== 'graph';
  gantt.hidden = name !== 'timeline';
  historyPanel.hidden = name !== 'history';
  logPanel.element.classList.toggle('docked', name !== 'history');
  render();
}

function selectTask(id: string | null): void {
  selected = id;
  save();
  for (const element of canvasHost.querySelectorAll<HTMLElement>('.run-node')) {
    element.classList.toggle('selected', element.dataset.taskId === id);
  }
  canvas.markEdgesOf(id);
  toReveal = id;
  render();
}

async function drawGraph(): Promise<void> {
  drawnGraphVersion = run.graphVersion;
  const compact = run.tasks.size > LARGE_RUN;
  const differing = differingParams(run.tasks.values());
  const instanceNode = (id: string) => {
    const task = run.tasks.get(id)!;
    const element = runNodeElement(task, differing.get(id), compact);
    element.classList.toggle('compact', compact);
    element.classList.toggle('selected', id === selected);
    element.addEventListener('click', () => selectTask(id));
    element.addEventListener('dblclick', () =>
      vscode.postMessage({ type: 'open-task', family: task.family }),
    );
    element.addEventListener('keydown', (event) => event.key === 'Enter' && selectTask(id));
    return element;
  };
  const taskEdges = run.edges.map((e) => ({
    source: e.to,
    target: e.from,
    classes: [...(e.dynamic ? ['dynamic'] : []), ...(e.optional ? ['optional'] : [])],
  }));
  const tasks = run.order.map((id) => run.tasks.get(id)!);
  // Big families fold at once (a fan-in elk cannot lay out in time); when the instances would still
  // not fit readably, every family with several instances folds: the family view.
  const build = (fold: Set<string>) => {
    const next = foldFamilies(tasks, fold);
    const nodes = new Map<string, HTMLElement>();
    for (const id of run.order) {
      const node = next.nodeOf.get(id)!;
      if (nodes.has(node)) continue;
      const group = next.groups.get(node);
      nodes.set(node, group ? familyGroupNode(node, group.family, group.ids.length) : instanceNode(id));
    }
    const edges: DagEdge[] = foldEdges(taskEdges, next.nodeOf);
    return { next, nodes, edges };
  };
  let built = build(familiesToFold(tasks, expanded, false));
  const foldable = familiesToFold(tasks, expanded, true);
  if (foldable.size > built.next.groups.size && !canvas.fitsReadably(built.nodes, built.edges)) {
    built = build(foldable);
  }
  folding = built.next;
  drawnSize = canvas.screenSize();
  const draw = ++draws;
  drawing = true;
  try {
    if ((await canvas.show(built.nodes, built.edges, [selected, run.root])) === 'stale') return;
  } finally {
    if (draw === draws) drawing = false;
  }
  canvas.markEdgesOf(selected);
  updateNodes();
}

function familyGroupNode(id: string, family: string, count: number): HTMLElement {
  const element = familyNodeElement(id, family, count);
  const expand = () => {
    expanded.add(family);
    lastExpanded = family;
    drawnGraphVersion = -1;
    render();
  };
  element.addEventListener('click', expand);
  element.addEventListener('keydown', (event) => event.key === 'Enter' && expand());
  return element;
}

function updateNodes(): void {
  const runMs = run.live ? undefined : run.durationMs;
  for (const [id, task] of run.tasks) {
    const element = canvas.nodeElement(id);
    if (element) updateRunNode(element, task, runMs, history.durations[id]);
  }
  for (const [id, group] of folding.groups) {
    const element = canvas.nodeElement(id);
    if (element)
      updateFamilyNode(
        element,
        group.ids.map((t) => run.tasks.get(t)!),
      );
  }
  // While live and not moved by the user, the task of interest (e.g. the running one) stays in view.
  if (run.live) canvas.keepInterestInView();
  // The last event the graph shows, once laid out: tests and the e2e suite wait on it, not on time.
  if (!drawing && canvas.hasLayout()) root.dataset.drawnSeq = String(run.lastSeq);
}

let frame = 0;
/** Renders at most once per animation frame, however many batches arrive. */
function render(): void {
  if (frame) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    const now = Date.now();
    header.update(
      run,
      now,
      history.runs.map((r) => r.root),
    );
    renderSummary(summary, run, selectTask);
    if (run.graphVersion !== drawnGraphVersion) void drawGraph();
    else updateNodes();
    logPanel.show(selected ? (run.tasks.get(selected) ?? null) : null);
    if (toReveal && tab === 'graph' && canvas.nodeBox(toReveal)) {
      // The log panel is open now: the canvas has its final width.
      canvas.revealNode(toReveal);
      toReveal = null;
    }
    if (tab === 'timeline') renderGantt(gantt, run, now, selected, selectTask);
    if (tab === 'history') renderHistory(historyPanel, history.runs, history.durations, run.runId, openRun);
    root.dataset.live = String(run.live);
  });
}

function openRun(runId: string): void {
  vscode.postMessage({ type: 'open-run', runId });
}

// While live, the clock moves even when no event arrives (elapsed time, growing timeline bars).
setInterval(() => run.live && render(), 500);
window.addEventListener('resize', () => {
  // Whether the instances fit (or the family view is needed) was decided for the old size: a panel
  // that grew a lot, or was drawn with no room at all, decides again while the view follows fits.
  const now = canvas.screenSize();
  const grew = (a: number, b: number) => a > b * 1.3 || b === 0;
  if (canvas.isAutoFit() && (grew(now.width, drawnSize.width) || grew(now.height, drawnSize.height)))
    drawnGraphVersion = -1;
  render();
});

onHostMessage<RunHostMessage>((message) => {
  switch (message.type) {
    case 'run-reset':
      run = emptyRun(message.runId, message.live);
      expanded = new Set();
      lastExpanded = null;
      if (message.runId !== vscode.getState()?.runId) selected = null;
      drawnGraphVersion = -1;
      canvas.resetView();
      save();
      if (tab === 'history') showTab('graph');
      break;
    case 'run-events':
      if (message.runId !== run.runId) break;
      applyRunEvents(run, message.events);
      break;
    case 'run-paused':
      if (message.runId === run.runId) run.paused = message.paused;
      break;
    case 'run-history':
      history = { runs: message.runs, durations: message.durations };
      break;
    case 'layout':
      // The canvas lays its graph out again itself: nothing else on the page changes.
      canvas.setLayoutPreference(message.engine);
      return;
  }
  render();
});

showTab('graph');
vscode.postMessage({ type: 'ready' });
