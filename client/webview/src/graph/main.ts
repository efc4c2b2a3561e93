// The graph webview: draws the language server's pipeline graph, follows the code as it changes,
// and turns clicks into messages for the extension host.
import '@vscode/codicons/dist/codicon.css';
import '../shared/theme.css';
import '../dag/optionalEdge.css';
import './graph.css';
import type { TaskStatus } from '../../../../runtime/src/events';
import type { PipelineGraph } from '../../../../server/src/protocol';
import { DagCanvas } from '../dag/dagCanvas';
import type { Viewport } from '../dag/viewport';
import { LayoutClient, workerUrlNextTo } from '../layout/layoutClient';
import type { GraphHostMessage, GraphViewMessage, GraphViewState } from '../messages';
import { el } from '../shared/dom';
import { connectToHost, onHostMessage, ownScriptUrl } from '../shared/vscodeApi';
import {
  drawingKey,
  focusOf,
  isLarge,
  LARGE_GRAPH_NODES,
  nodeDrawingKey,
  scopeLabel,
  sourcesOf,
  viewEdges,
} from './graphModel';
import { nodeElement } from './nodeElement';
import { PlanOverlay } from './planOverlay';
import { searchTasks } from './search';
import { createToolbar } from './toolbar';
import { BlastRadiusOverlay } from './blastRadius';
import { DurationBadges } from './durations';

const vscode = connectToHost<GraphViewMessage, GraphViewState>();
const workerUrl = workerUrlNextTo(ownScriptUrl());
let state: GraphViewState = vscode.getState() ?? { focus: null, depth: 2 };

let graph: PipelineGraph | undefined;
let highlighted: string | null = null;
let statuses: Record<string, TaskStatus> = {};
let matches: string[] = [];
let matchIndex = 0;

function saveState(change: Partial<GraphViewState>): void {
  state = { ...state, ...change };
  vscode.setState(state);
}

let viewportSave: ReturnType<typeof setTimeout> | undefined;
function rememberViewport(viewport: Viewport): void {
  // Pans and zooms fire per frame; the saved state only needs the last one.
  clearTimeout(viewportSave);
  // A fitted view is saved as no viewport: restored, it fits the panel it then has.
  viewportSave = setTimeout(() => saveState({ viewport: canvas.isAutoFit() ? undefined : viewport }), 200);
}

const root = document.getElementById('root') ?? document.body;
root.classList.add('graph-view');
const toolbar = createToolbar({
  search,
  nextMatch: (backwards) => {
    if (matches.length === 0) return;
    matchIndex = (matchIndex + (backwards ? matches.length - 1 : 1)) % matches.length;
    revealMatch();
  },
  changeDepth: (depth) => vscode.postMessage({ type: 'setDepth', depth }),
  showWorkspace: () => vscode.postMessage({ type: 'setFocus', nodeId: null }),
  zoom: (factor) => canvas.zoomBy(factor),
  fit: () => canvas.fit(),
});
const notice = el('div', 'notice');
notice.id = 'notice';
notice.hidden = true;
const canvasHost = el('div', 'canvas-host');
root.append(toolbar.element, notice, canvasHost);
const canvas = new DagCanvas(canvasHost, new LayoutClient(workerUrl), {
  onViewportChange: rememberViewport,
  stableNodes: true,
  interest,
});
toolbar.element.insertBefore(canvas.showAllButton, toolbar.element.querySelector('#zoom-out'));
const planOverlay = new PlanOverlay((unit) => vscode.postMessage({ type: 'planMode', unit }));
// Above the canvas, not over it: the plan's legend never hides a node.
root.insertBefore(planOverlay.legend, canvasHost);

const durations = new DurationBadges();
const blastRadius = new BlastRadiusOverlay();
canvasHost.append(blastRadius.banner);

/** What a fit too wide to read shows: the selected, cursor or focus task and its neighbours, else the sources. */
function interest(): (string | null | undefined)[] {
  const task = [state.selected, highlighted, graph?.focus].find((id) => id != null && canvas.hasNode(id));
  if (task) return canvas.withNeighbours(task);
  if (!graph) return [];
  return sourcesOf(
    graph.nodes.map((n) => n.id),
    viewEdges(graph),
  );
}

function showNotice(text: string | null, kind: 'info' | 'warning' | 'error' = 'info'): void {
  notice.hidden = text === null;
  notice.textContent = text ?? '';
  notice.dataset.kind = kind;
}

/** The drawing key of the graph drawn (or being drawn) now: an equal one changes nothing on screen. */
let drawnKey = '';

async function render(next: PipelineGraph, depth: number): Promise<void> {
  const key = drawingKey(next, depth);
  if (key === drawnKey && graph) {
    // Only source locations moved (typing above a task): no DOM work, clicks read the new ranges.
    graph = next;
    return;
  }
  drawnKey = key;
  const shownBefore = graph ? new Set(graph.nodes.map((n) => n.id)) : undefined;
  graph = next;
  const large = isLarge(next);
  const edges = viewEdges(next);
  // Full cards when they fit the panel readably, else compact ones (titles only). An update of the
  // graph on screen (at least half its tasks shown) keeps its cards: cards of another size move every
  // node, so one task typed into the editor would redraw the whole picture elsewhere.
  const known = shownBefore ? next.nodes.filter((n) => shownBefore.has(n.id)).length : 0;
  const shownCompact = known > 0 && known * 2 >= next.nodes.length ? root.dataset.compact : undefined;
  let compact = large || shownCompact === 'true';
  let nodes = nodeElements(next, compact);
  if (!compact && shownCompact === undefined && !canvas.fitsReadably(nodes, edges)) {
    compact = true;
    nodes = nodeElements(next, true);
  }
  root.dataset.compact = String(compact);
  toolbar.setScope(scopeLabel(next, depth), next.focus ? depth : null);
  if (next.nodes.length === 0)
    showNotice('No task classes found yet: a class that extends Task appears here.');
  else if (large)
    showNotice(
      `${next.nodes.length} tasks: past ${LARGE_GRAPH_NODES} the graph shows names only. ` +
        'Open it from a task’s Graph lens, or lower the depth, to see parameters and outputs.',
      'warning',
    );
  else showNotice(null);

  try {
    const outcome = await canvas.show(
      nodes,
      edges,
      [state.selected, highlighted, next.focus],
      canvas.hasLayout() ? 'fit' : (state.viewport ?? 'fit'),
    );
    if (outcome === 'stale') return;
    // A task that just appeared (typed into the editor) is what the person wants to see: pan as
    // little as needed to show it with its neighbours; the rest of the picture stays where it was.
    const added = shownBefore && next.nodes.find((n) => !shownBefore.has(n.id));
    if (added) canvas.revealNode(added.id);
  } catch (error) {
    drawnKey = '';
    showNotice(
      `Could not lay out the graph: ${error instanceof Error ? error.message : String(error)}`,
      'error',
    );
    return;
  }
  applyStatuses();
  applyPlan();
  applyMarks();
  search(toolbar.searchInput.value, false);
  applyDurationsAndRadius();
}

/** Durations and a rerun's blast radius on the nodes (durations.ts, blastRadius.ts). */
function applyDurationsAndRadius(): void {
  const nodes = graph?.nodes ?? [];
  durations.apply(nodes, (id) => canvas.nodeElement(id));
  blastRadius.apply(nodes, (id) => canvas.nodeElement(id));
}

/** The node elements drawn last, by task id, with what they were drawn from. */
let drawnElements = new Map<string, { key: string; element: HTMLElement }>();

/**
 * One element per task family; `compact`: titles only. A node drawn from the same content keeps
 * its element (and the canvas its measured size): a change to one task redraws that task only.
 */
function nodeElements(next: PipelineGraph, compact: boolean): Map<string, HTMLElement> {
  const nodes = new Map<string, HTMLElement>();
  const drawn = new Map<string, { key: string; element: HTMLElement }>();
  for (const node of next.nodes) {
    const key = nodeDrawingKey(node, compact);
    const kept = drawnElements.get(node.id);
    if (kept?.key === key) {
      nodes.set(node.id, kept.element);
      drawn.set(node.id, kept);
      continue;
    }
    const element = nodeElement(node, compact, {
      run: (n, mode) => vscode.postMessage({ type: 'run', uri: n.uri, family: n.family, mode }),
      focus: (n) => vscode.postMessage({ type: 'setFocus', nodeId: n.id }),
    });
    const open = () => {
      select(node.id);
      // The newest graph's range: an unchanged drawing keeps its elements while the code moves.
      const current = graph?.nodes.find((n) => n.id === node.id) ?? node;
      vscode.postMessage({ type: 'open', uri: current.uri, range: current.nameRange });
    };
    element.addEventListener('click', open);
    element.addEventListener('keydown', (event) => event.key === 'Enter' && open());
    nodes.set(node.id, element);
    drawn.set(node.id, { key, element });
  }
  drawnElements = drawn;
  return nodes;
}

function select(id: string | null): void {
  saveState({ selected: id });
  applyMarks();
}

/** Selection, the editor's cursor task and the focus node, as classes on nodes and edges. */
function applyMarks(): void {
  for (const node of graph?.nodes ?? []) {
    const element = canvas.nodeElement(node.id);
    element?.classList.toggle('selected', node.id === state.selected);
    element?.classList.toggle('cursor', node.id === highlighted);
    element?.classList.toggle('focus', node.id === graph?.focus);
  }
  canvas.markEdgesOf(state.selected ?? highlighted);
}

function applyPlan(): void {
  planOverlay.apply(graph?.nodes ?? [], (id) => canvas.nodeElement(id));
}

function applyStatuses(): void {
  for (const node of graph?.nodes ?? []) {
    const element = canvas.nodeElement(node.id);
    if (element) element.dataset.status = statuses[node.family] ?? 'none';
  }
}

function search(query: string, reveal = true): void {
  const tasks = (graph?.nodes ?? []).map((n) => ({ id: n.id, name: n.family }));
  matches = query.trim() === '' ? [] : searchTasks(query, tasks).map((h) => h.id);
  matchIndex = 0;
  const matched = new Set(matches);
  canvasHost.classList.toggle('searching', matches.length > 0);
  for (const task of tasks) canvas.nodeElement(task.id)?.classList.toggle('match', matched.has(task.id));
  toolbar.setMatches(matchIndex, matches.length, query);
  if (reveal && matches.length > 0) revealMatch();
}

function revealMatch(): void {
  const id = matches[matchIndex];
  if (!id) return;
  toolbar.setMatches(matchIndex, matches.length, toolbar.searchInput.value);
  canvas.centreOnNode(id);
  select(id);
}

onHostMessage<GraphHostMessage>((message) => {
  switch (message.type) {
    case 'graph':
      saveState({ depth: message.depth, focus: focusOf(message.graph) });
      void render(message.graph, message.depth);
      break;
    case 'ranges': {
      // The drawing is unchanged: only where a click takes the editor.
      const moved = message.nameRanges;
      if (graph)
        graph = {
          ...graph,
          nodes: graph.nodes.map((n) => (moved[n.id] ? { ...n, nameRange: moved[n.id]! } : n)),
        };
      break;
    }
    case 'highlight':
      highlighted = message.nodeId;
      applyMarks();
      // Follow the cursor only when its task is out of sight: never yank the view while reading.
      // A view the user has not moved shows the task with its neighbours (a fit, as wide as readable).
      if (highlighted && canvas.isAutoFit()) canvas.revealNode(highlighted);
      else if (highlighted) canvas.centreOnNode(highlighted, true);
      break;
    case 'status':
      statuses = message.statuses;
      applyStatuses();
      break;
    case 'durations':
      durations.set(message.durations);
      applyDurationsAndRadius();
      break;
    case 'blastRadius':
      blastRadius.set(message.radius);
      applyDurationsAndRadius();
      break;
    case 'plan':
      planOverlay.set(message.plan);
      applyPlan();
      break;
    case 'focusSearch':
      toolbar.searchInput.focus();
      toolbar.searchInput.select();
      break;
    case 'layout':
      canvas.setLayoutPreference(message.engine);
      break;
  }
});

vscode.postMessage({ type: 'ready' });
