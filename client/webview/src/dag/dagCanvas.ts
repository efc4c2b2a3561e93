// Draws a laid-out DAG: HTML nodes (measured, then placed) over an SVG of edges, in one pannable,
// zoomable "world". Shared by the graph view and the run view; what a node shows is the caller's.
import type { LayoutClient } from '../layout/layoutClient';
import {
  type Direction,
  type FlowEdge,
  layoutShapeKey,
  type LayoutInput,
  type LayoutResult,
  type NodeBox,
  type Point,
} from '../layout/layoutGraph';
import { chooseEngine, type Engine, updates } from '../layout/layoutPlan';
import type { LayoutPreference } from '../messages';
import { quickLayout } from '../layout/quickLayout';
import './dag.css';
import { roundedPath } from './edgePath';
import { el } from '../shared/dom';
import { attachPanZoom } from './panZoom';
import { showAllButton, shownNote, zoomControls } from './viewControls';
import {
  centreOf,
  centreOn,
  fitViewport,
  isFullyOnScreen,
  isOffScreen,
  keepAnchor,
  pickAnchor,
  READABLE_ZOOM,
  readableFit,
  reveal,
  type Size,
  type Viewport,
  zoomAt,
} from './viewport';

const SVG_NS = 'http://www.w3.org/2000/svg';

export interface DagEdge extends FlowEdge {
  /** CSS classes for the edge path, e.g. 'cycle', 'dynamic'. */
  classes: string[];
}

export type ShowOutcome = 'laid-out' | 'reused' | 'stale';

export interface DagCanvasOptions {
  onViewportChange?: (viewport: Viewport) => void;
  /**
   * The tasks the user is interested in, most important first (selection, cursor, failed…): a fit
   * that cannot show the whole graph readably shows these, and a canvas that got smaller keeps them.
   */
  interest?: () => (string | null | undefined)[];
  /** Re-fit after each new layout while the user has not moved the view (a run's growing graph). */
  refitOnLayout?: boolean;
  /**
   * A node element passed to show() again has not changed size (a changed node comes as a new
   * element): its first measured size is kept, and unchanged elements stay in the page untouched.
   */
  stableNodes?: boolean;
}

/** Up to this many nodes the direction is chosen by trying both (two quick layouts); above, by the panel's shape. */
const TRY_BOTH_DIRECTIONS = 400;

/**
 * The flow direction that shows `input` largest in `screen`: each direction's quick layout fitted,
 * the larger zoom wins; close calls (and big graphs) follow the panel's shape, top-down when tall.
 */
export function chooseDirection(input: LayoutInput, screen: Size): Direction {
  const byShape: Direction = screen.height > screen.width * 1.15 ? 'DOWN' : 'RIGHT';
  if (input.nodes.length > TRY_BOTH_DIRECTIONS || screen.width <= 0 || screen.height <= 0) return byShape;
  const right = fitZoom(input, 'RIGHT', screen);
  const down = fitZoom(input, 'DOWN', screen);
  if (Math.abs(right - down) <= CLOSE_CALL * Math.max(right, down)) return byShape;
  return right > down ? 'RIGHT' : 'DOWN';
}

/** Zooms within this share of each other are a close call (chooseDirection). */
const CLOSE_CALL = 0.03;
/**
 * A resize turns a graph the view follows only when the other direction shows it this much larger:
 * turning redraws the whole picture, worth it when a panel went from wide to tall, not for a log
 * panel opening or a webview settling its size.
 */
const RESIZE_TURNS_AT = 1.25;

/** The zoom a fit of `input`'s quick layout in `direction` would take. */
function fitZoom(input: LayoutInput, direction: Direction, screen: Size): number {
  return fitViewport(quickLayout({ ...input, direction }), screen, 16, 0).zoom;
}

/**
 * `current`, unless the other direction shows `input` more than `margin` times larger in `screen`
 * (above TRY_BOTH_DIRECTIONS nodes: unless the panel's shape now calls for the other one).
 */
export function turnedDirection(
  input: LayoutInput,
  screen: Size,
  current: Direction,
  margin: number,
): Direction {
  const other: Direction = current === 'DOWN' ? 'RIGHT' : 'DOWN';
  if (screen.width <= 0 || screen.height <= 0) return current;
  if (input.nodes.length > TRY_BOTH_DIRECTIONS) return chooseDirection(input, screen);
  return fitZoom(input, other, screen) > margin * fitZoom(input, current, screen) ? other : current;
}

export class DagCanvas {
  readonly surface: HTMLElement;
  private readonly world: HTMLElement;
  private readonly edgeLayer: SVGSVGElement;
  private readonly nodeLayer: HTMLElement;
  private viewport: Viewport = { x: 0, y: 0, zoom: 1 };
  private layout: LayoutResult | undefined;
  private shapeKey = '';
  /** What the newest show() asked to lay out (a resize that favours the other direction re-lays it out). */
  private lastInput: LayoutInput | undefined;
  private readonly pendingBadge: HTMLElement;
  private readonly showAllNote: HTMLElement;
  /** True from Show all until the view moves: the note says what it shows. */
  private showingAll = false;
  private nodes = new Map<string, HTMLElement>();
  private edges: DagEdge[] = [];
  /**
   * True until the user pans or zooms: until then the view stays fitted as the canvas is resized
   * (a webview starts small and grows, a log panel opens beside it).
   */
  private autoFit = true;
  private lastSize: Size = { width: 0, height: 0 };
  /** "Show all N" while part of the graph is out of view; the view puts it in its toolbar. */
  private readonly showAllControl = showAllButton(this);
  readonly showAllButton = this.showAllControl.element;

  constructor(
    container: HTMLElement,
    private readonly layoutClient: LayoutClient,
    private readonly options: DagCanvasOptions = {},
  ) {
    this.surface = el('div', 'dag-surface');
    this.surface.tabIndex = 0;
    this.world = el('div', 'dag-world');
    this.edgeLayer = document.createElementNS(SVG_NS, 'svg');
    this.edgeLayer.classList.add('dag-edges');
    this.edgeLayer.innerHTML = arrowMarkers();
    this.nodeLayer = el('div', 'dag-nodes');
    this.world.append(this.edgeLayer, this.nodeLayer);
    // A layout on its way is visible: the picture may still change.
    this.pendingBadge = el('div', 'dag-pending', 'Laying out…');
    this.pendingBadge.id = 'layout-pending';
    this.pendingBadge.hidden = true;
    // What Show all could not show, in words (nodes too many to draw even at its smallest zoom).
    this.showAllNote = el('div', 'dag-show-all-note');
    this.showAllNote.id = 'show-all-note';
    this.showAllNote.hidden = true;
    this.surface.append(this.world, this.pendingBadge, this.showAllNote);
    container.append(this.surface);
    layoutClient.onPending = (pending) => {
      this.pendingBadge.hidden = !pending;
      this.surface.dataset.layoutPending = String(pending);
      // Read by tests: a worker started over (its elk loading again) delays every layout behind it.
      this.surface.dataset.layoutWorkers = String(layoutClient.workersStarted);
    };
    attachPanZoom(this.surface, {
      getViewport: () => this.viewport,
      setViewport: (viewport) => {
        this.autoFit = false;
        this.setViewport(viewport);
      },
    });
    new ResizeObserver(() => {
      this.size = undefined;
      this.resized();
    }).observe(this.surface);
  }

  /** Whether the view follows fits (the user has not panned or zoomed since the last fit). */
  isAutoFit(): boolean {
    return this.autoFit;
  }

  /** Fits again on the next layout and resize, as for a new graph (e.g. a new run). */
  resetView(): void {
    this.autoFit = true;
    this.fresh = true;
    this.fitNow();
  }

  hasLayout(): boolean {
    return this.layout !== undefined;
  }

  getViewport(): Viewport {
    return this.viewport;
  }

  setViewport(viewport: Viewport, showingAll = false): void {
    this.viewport = viewport;
    this.showingAll = showingAll;
    this.world.style.transform = `translate(${viewport.x}px, ${viewport.y}px) scale(${viewport.zoom})`;
    // Read by tests and the e2e suite: the zoom the user sees, whether the view follows fits.
    this.surface.dataset.zoom = viewport.zoom.toFixed(3);
    this.surface.dataset.autoFit = String(this.autoFit);
    this.updateShowAll();
    this.options.onViewportChange?.(viewport);
  }

  /** Zoom, fit and show-all buttons for a view without a toolbar of its own (the run view). */
  controls(): HTMLElement {
    return zoomControls(this, this.showAllButton);
  }

  /** Zooms out as far as needed to show every node, however small: the user asked for it. */
  showAll(): void {
    const size = this.screenSize();
    if (!this.layout || size.width <= 0 || size.height <= 0) return;
    this.autoFit = false;
    this.setViewport(fitViewport(this.layout, size, 16, 0.005), true);
  }

  /**
   * The zoom a fit would need for these nodes (measured here, laid out roughly in the direction the
   * canvas would choose): lets a view pick compact cards or a family view before drawing.
   */
  estimateFitZoom(nodes: Map<string, HTMLElement>, edges: FlowEdge[]): number {
    const size = this.screenSize();
    if (size.width <= 0 || size.height <= 0) return 1;
    const probe = el('div', 'dag-probe');
    probe.append(...nodes.values());
    this.world.append(probe);
    const input: LayoutInput = { nodes: measureAll(nodes), edges };
    probe.remove();
    input.direction = this.directionFor(input, size);
    return fitViewport(quickLayout(input), size, 16, 0).zoom;
  }

  /** Whether `nodes` would be drawn whole at a readable zoom (see estimateFitZoom). */
  fitsReadably(nodes: Map<string, HTMLElement>, edges: FlowEdge[]): boolean {
    return this.estimateFitZoom(nodes, edges) >= READABLE_ZOOM;
  }

  /** The flow direction of the current layout. */
  direction(): Direction | undefined {
    return this.lastInput?.direction;
  }

  private updateShowAll(): void {
    const boxes = this.layout ? Object.values(this.layout.nodes) : [];
    const size = this.screenSize();
    if (size.width <= 0 || size.height <= 0) return;
    const inView = boxes.filter((box) => isFullyOnScreen(this.viewport, box, size)).length;
    this.showAllControl.update(inView, boxes.length);
    // A fit too big to read whole says so too (viewport.ts readableFit: readable wins).
    this.showAllNote.hidden = !(this.showingAll || this.autoFit) || inView === boxes.length;
    this.showAllNote.classList.toggle('fit-note', !this.showingAll);
    if (!this.showAllNote.hidden)
      this.showAllNote.textContent = shownNote(inView, boxes.length, this.showingAll);
  }

  /**
   * The surface's size, read once per resize: reading clientWidth right after nodes were placed forces
   * a layout of every node (measured: the largest single cost of drawing 1,000 nodes).
   */
  screenSize(): Size {
    this.size ??= { width: this.surface.clientWidth, height: this.surface.clientHeight };
    return this.size;
  }

  private size: Size | undefined;

  nodeElement(id: string): HTMLElement | undefined {
    return this.nodes.get(id);
  }

  /** Whether the canvas draws this node (laid out yet or not). */
  hasNode(id: string): boolean {
    return this.nodes.has(id);
  }

  nodeBox(id: string): NodeBox | undefined {
    return this.layout?.nodes[id];
  }

  /**
   * Fit to view (never below a readable zoom), and keep fitting as the canvas is resized. The person
   * asked for the best view of the graph as it is now: a graph that grew in its first direction
   * turns when the other one shows it larger (beyond a close call).
   */
  fit(): void {
    this.autoFit = true;
    if (!this.turnTo(1 + CLOSE_CALL)) this.fitNow();
  }

  /**
   * Lays the graph out again in the other direction when that one shows it `margin` times larger;
   * whether it did. The new layout is fitted (its seed is of the other direction: a first picture).
   */
  private turnTo(margin: number): boolean {
    const size = this.screenSize();
    const current = this.lastInput?.direction;
    if (!this.layout || !this.lastInput || !current) return false;
    const direction = turnedDirection(this.lastInput, size, current, margin);
    if (direction === current) return false;
    // The picture on screen is fitted at once, the turned one again when it lands. Fit answers the
    // click, and what the view says (zoom, data-auto-fit) is true meanwhile: the new layout waits at
    // least for fonts loading, for elk's worker seconds in a real VS Code (its badge says so). Not
    // "pending, old view kept": that left the old zoom showing under data-auto-fit="true", and a
    // person's Fit did nothing for as long. Our own layout (most graphs) lands in this same task, so
    // the person sees one change, not two.
    this.fitNow();
    this.nextDirection = direction;
    void this.show(this.nodes, this.edges, [], 'fit');
    return true;
  }

  private fitNow(): void {
    const size = this.screenSize();
    if (!this.layout || size.width <= 0 || size.height <= 0) return;
    this.setViewport(readableFit(this.layout, size, this.interestBoxes()));
  }

  zoomBy(factor: number): void {
    this.autoFit = false;
    const size = this.screenSize();
    this.setViewport(zoomAt(this.viewport, factor, { x: size.width / 2, y: size.height / 2 }));
  }

  /** Centres a node (a search result); with `onlyIfOffScreen`, only when it cannot be seen. */
  centreOnNode(id: string, onlyIfOffScreen = false): void {
    const box = this.nodeBox(id);
    if (!box) return;
    if (onlyIfOffScreen && !isOffScreen(this.viewport, box, this.screenSize())) return;
    this.autoFit = false;
    this.setViewport(centreOn(this.viewport, centreOf(box), this.screenSize()));
  }

  /** Pans as little as needed to show a node and its neighbours (a selection, a running task). */
  revealNode(id: string): void {
    const boxes = this.withNeighbours(id).flatMap((n) => this.nodeBox(n) ?? []);
    const size = this.screenSize();
    if (boxes.length === 0 || size.width <= 0 || size.height <= 0) return;
    const next = reveal(this.viewport, boxes, size);
    if (next.x !== this.viewport.x || next.y !== this.viewport.y) this.setViewport(next);
  }

  /** While the view follows fits, fits again when the first task of interest went out of sight. */
  keepInterestInView(): void {
    const first = this.interestIds()[0];
    const size = this.screenSize();
    if (!this.autoFit || !first || size.width <= 0) return;
    if (isOffScreen(this.viewport, this.nodeBox(first)!, size)) this.fitNow();
  }

  /** `id` first, then the nodes one edge away from it. */
  withNeighbours(id: string): string[] {
    const near = this.edges.flatMap((e) =>
      e.source === id ? [e.target] : e.target === id ? [e.source] : [],
    );
    return [id, ...new Set(near)];
  }

  /** The interest the view names, limited to nodes `layout` places. */
  private interestIds(layout = this.layout): string[] {
    const ids = (this.options.interest?.() ?? []).filter((id): id is string => id != null);
    return [...new Set(ids)].filter((id) => layout?.nodes[id] !== undefined);
  }

  private interestBoxes(layout = this.layout): NodeBox[] {
    return this.interestIds(layout).map((id) => layout!.nodes[id]!);
  }

  private resized(): void {
    const size = this.screenSize();
    const was = this.lastSize;
    this.lastSize = size;
    if (size.width <= 0 || size.height <= 0 || !this.layout) return;
    // A panel turned from wide to tall (or back) while the view follows fits: lay out for its new shape.
    if (this.autoFit && this.turnTo(RESIZE_TURNS_AT)) return;
    if (this.autoFit) this.fitNow();
    // Shown again after being hidden (a tab): the view is where the user left it.
    else if (was.width > 0 && was.height > 0) {
      const first = this.interestIds()[0];
      if (first) this.revealNode(first);
    }
  }

  /**
   * Shows new node elements and edges. Measures the nodes, lays out only if the shape changed, and
   * keeps the first anchor candidate still on screen. With no layout yet, `initial` decides the viewport.
   * Resolves once these nodes are placed, or 'stale' when other nodes replaced them meanwhile.
   */
  show(
    nodes: Map<string, HTMLElement>,
    edges: DagEdge[],
    anchorCandidates: (string | null | undefined)[],
    initial: Viewport | 'fit' = 'fit',
  ): Promise<ShowOutcome> {
    const seq = ++this.shows;
    const outcome = this.showNow(nodes, edges, anchorCandidates, initial).then((result) =>
      // Laid out again for the panel's new shape (the same nodes, a newer show): the caller's nodes
      // are placed when that one is done (the run view marks a drawn event only then).
      result === 'stale' && seq !== this.shows && this.nodes === nodes ? this.latestShow : result,
    );
    this.latestShow = outcome;
    return outcome;
  }

  /** Counts show() calls; `latestShow` is the newest one's outcome. */
  private shows = 0;
  private latestShow: Promise<ShowOutcome> = Promise.resolve('laid-out');

  private async showNow(
    nodes: Map<string, HTMLElement>,
    edges: DagEdge[],
    anchorCandidates: (string | null | undefined)[],
    initial: Viewport | 'fit',
  ): Promise<ShowOutcome> {
    if (this.options.stableNodes) {
      // Only what changed leaves or enters the page: re-inserting every node restyles them all.
      for (const [id, element] of this.nodes) if (nodes.get(id) !== element) element.remove();
      for (const element of nodes.values())
        if (element.parentNode !== this.nodeLayer) this.nodeLayer.append(element);
    } else this.nodeLayer.replaceChildren(...nodes.values());
    this.nodes = nodes;
    this.edges = edges;
    if (nodes.size === 0) {
      // Nothing to lay out (a run before its graph arrives): no layout, so the first graph is laid out,
      // placed and fitted as a first one; a layout still on its way is dropped.
      void this.layoutClient.layout({ nodes: [], edges: [] });
      this.layout = this.placed = this.lastInput = undefined;
      this.shapeKey = '';
      this.edgeLayer.querySelectorAll('path.dag-edge').forEach((p) => p.remove());
      return 'laid-out';
    }
    // Text is measured in its real fonts: reading a size starts their loading, fonts.ready waits for it.
    void this.nodeLayer.offsetWidth;
    await document.fonts.ready;
    if (this.nodes !== nodes) return 'stale';
    const input: LayoutInput = {
      nodes: measureAll(nodes, this.options.stableNodes ? this.measured : undefined),
      edges,
    };
    const size = this.screenSize();
    input.direction = this.directionFor(input, size);
    this.nextDirection = undefined;
    this.fresh = false;
    this.lastInput = input;
    const key = layoutShapeKey(input);
    if (this.layout && key === this.shapeKey) {
      this.place(this.layout);
      return 'reused';
    }
    const seed = this.seed(input.direction);
    // An update keeps the engine that drew the picture it updates (else it would jump as a whole).
    const engine = chooseEngine(input, seed, this.layoutEngine, this.layoutPreference);
    const elk = engine === 'elk';
    // Our own layout (every graph unless the setting chose elk: layoutPlan) is made at once, before the next frame: placing a
    // rough or the old picture first would be placed and thrown away unseen (2,000 nodes: a layout and
    // a placing).
    if (elk && this.layout && seed) {
      // Until the new layout arrives, known nodes stay where they were (new ones appear with it).
      this.place(this.layout);
    } else if (elk) {
      // The first elk layout can take a second (its worker starts): show a rough one meanwhile.
      const rough = quickLayout(input);
      this.place(rough);
      if (size.width > 0 && size.height > 0) {
        this.setViewport(
          initial === 'fit' || !this.showsAnyNode(rough, initial)
            ? readableFit(rough, size, this.interestBoxes(rough))
            : initial,
        );
      }
    }
    const answer = await this.layoutClient.layout(input, seed, engine);
    if (!answer) return 'stale';
    if (this.nodes !== nodes) return 'stale';
    // elk draws only when the person chose it (plumb.graph.layout): its picture is shown as it is,
    // even where ours would fit larger, as the setting promises.
    const layout = answer;
    const before = this.layout;
    this.layout = layout;
    this.layoutDirection = input.direction;
    this.layoutEngine = engine;
    this.shapeKey = key;
    this.place(layout);
    // How many layouts this canvas applied: lets tests and bug reports see when a layout was skipped.
    this.surface.dataset.layouts = String(Number(this.surface.dataset.layouts ?? 0) + 1);
    this.surface.dataset.engine = this.layoutEngine;
    if (!before || !seed) {
      // A saved viewport over empty space (the graph changed while the view was closed) is not kept.
      if (initial === 'fit' || !this.showsAnyNode(layout, initial)) this.fitNow();
      else {
        this.autoFit = false;
        this.setViewport(initial);
      }
    } else if (this.autoFit && (this.options.refitOnLayout || this.engineChanged)) {
      this.fitNow();
    } else {
      const anchor = pickAnchor(anchorCandidates, before.nodes, layout.nodes);
      if (anchor) this.setViewport(keepAnchor(this.viewport, before.nodes[anchor]!, layout.nodes[anchor]!));
    }
    this.engineChanged = false;
    return 'laid-out';
  }

  /**
   * The flow direction `input` is laid out in. A view the user moved keeps the direction they are
   * reading in. So does an update of the graph on screen, even while the view follows fits: a graph
   * growing by a task (typed in the editor, or a run's dynamic requirement) must not turn as a whole,
   * which moves every node the person was looking at. A new graph (or one after Reset) takes the
   * direction that shows it best in this panel; a resize that strongly favours the other direction
   * and the person's own Fit turn it (turnTo), as asked for.
   */
  private directionFor(input: LayoutInput, size: Size): Direction {
    if (this.nextDirection) return this.nextDirection;
    const current = this.lastInput?.direction;
    if (!this.layout || !current || this.fresh) return chooseDirection(input, size);
    return !this.autoFit || updates(input, this.layout.nodes) ? current : chooseDirection(input, size);
  }

  /** Set by turnTo: the direction the next show() lays out in. */
  private nextDirection: Direction | undefined;
  /** Set by resetView: the next show() chooses its direction as for a new graph. */
  private fresh = false;

  /** The current layout's node centres, when it has the same direction: the next layout's seed. */
  private seed(direction: Direction | undefined): Record<string, Point> | undefined {
    if (!this.layout || this.layoutDirection !== direction) return undefined;
    const seed: Record<string, Point> = {};
    for (const [id, box] of Object.entries(this.layout.nodes)) seed[id] = centreOf(box);
    return seed;
  }

  private layoutDirection: Direction | undefined;
  /** Which engine drew the current layout. */
  private layoutEngine: Engine | undefined;
  /** Set by a change of the layout setting until the next layout lands. */
  private engineChanged = false;
  /** The setting plumb.graph.layout, as the host last sent it. */
  private layoutPreference: LayoutPreference = 'plumb';

  /** Takes the person's layout setting; a change lays the graph on screen out again with it. */
  setLayoutPreference(preference: LayoutPreference): void {
    if (preference === this.layoutPreference) return;
    this.layoutPreference = preference;
    // Not an update of the picture: the engine is chosen afresh, and a view that follows fits is
    // fitted to the new picture (anchored on one node, the rest of another engine's could be off screen).
    this.layoutEngine = undefined;
    this.engineChanged = true;
    if (!this.layout) return;
    this.shapeKey = '';
    void this.show(this.nodes, this.edges, [], this.viewport);
  }

  private showsAnyNode(layout: LayoutResult, viewport: Viewport): boolean {
    const size = this.screenSize();
    return Object.values(layout.nodes).some((box) => isFullyOnScreen(viewport, box, size));
  }

  private place(layout: LayoutResult): void {
    for (const [id, element] of this.nodes) {
      const box = layout.nodes[id];
      // A node the layout does not know yet stays hidden until the layout that places it.
      element.classList.toggle('measuring', !box);
      if (!box) continue;
      element.style.left = `${box.x}px`;
      element.style.top = `${box.y}px`;
      element.style.width = `${box.width}px`;
      element.style.height = `${box.height}px`;
    }
    this.edgeLayer.setAttribute('width', String(layout.width));
    this.edgeLayer.setAttribute('height', String(layout.height));
    this.placed = layout;
    this.edgeLayer.querySelectorAll('path.dag-edge').forEach((p) => p.remove());
    if (this.edges.length > MERGE_EDGES_ABOVE) {
      this.edgeLayer.append(...mergedPaths(this.edges, layout));
      return;
    }
    const paths = this.edges.flatMap((edge) => {
      const points = layout.edges[edge.id];
      if (!points) return [];
      const path = document.createElementNS(SVG_NS, 'path');
      path.setAttribute('d', roundedPath(points));
      path.setAttribute('class', ['dag-edge', ...edge.classes].join(' '));
      path.dataset.source = edge.source;
      path.dataset.target = edge.target;
      return [path];
    });
    this.edgeLayer.append(...paths);
  }

  /** The layout the nodes and edges are drawn at now (a rough one until the final arrives). */
  private placed: LayoutResult | undefined;
  /** With stableNodes: each element's measured size. */
  private readonly measured = new WeakMap<HTMLElement, { width: number; height: number }>();

  /** Marks the edges touching `id` (the selected node), so its neighbourhood stands out. */
  markEdgesOf(id: string | null): void {
    if (this.edges.length > MERGE_EDGES_ABOVE) {
      // Merged edges cannot be marked one by one: the selected node's are drawn again on top.
      this.edgeLayer.querySelector('path.dag-edge.related')?.remove();
      const touching = this.edges.filter((e) => id != null && (e.source === id || e.target === id));
      if (touching.length > 0 && this.placed) {
        const [path] = mergedPaths(touching, this.placed, false);
        path?.classList.add('related');
        if (path) this.edgeLayer.append(path);
      }
      return;
    }
    this.edgeLayer.querySelectorAll<SVGPathElement>('path.dag-edge').forEach((path) => {
      path.classList.toggle(
        'related',
        id != null && (path.dataset.source === id || path.dataset.target === id),
      );
    });
  }
}

/**
 * Above this many edges, edges with the same classes are drawn as one path: one element instead of
 * thousands (measured: creating and styling a path per edge was a third of drawing 1,000 nodes).
 */
const MERGE_EDGES_ABOVE = 400;

/** One path per set of edge classes (`byClass` false: one path for all), each edge a subpath. */
function mergedPaths(edges: DagEdge[], layout: LayoutResult, byClass = true): SVGPathElement[] {
  const groups = new Map<string, string[]>();
  for (const edge of edges) {
    const points = layout.edges[edge.id];
    if (!points) continue;
    const key = byClass ? edge.classes.join(' ') : '';
    const list = groups.get(key) ?? [];
    list.push(roundedPath(points), chevron(points));
    groups.set(key, list);
  }
  return [...groups].map(([classes, ds]) => {
    const path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', ds.join(' '));
    path.setAttribute('class', `dag-edge merged ${classes}`.trim());
    path.dataset.edges = String(ds.length / 2);
    return path;
  });
}

/** An open arrowhead at the end of `points`, as a subpath (a marker would draw only one per path). */
function chevron(points: Point[]): string {
  const tip = points[points.length - 1];
  const from = points[points.length - 2];
  if (!tip || !from) return '';
  const length = Math.hypot(tip.x - from.x, tip.y - from.y) || 1;
  const [ux, uy] = [(tip.x - from.x) / length, (tip.y - from.y) / length];
  const at = (back: number, side: number) =>
    `${(tip.x - ux * back - uy * side).toFixed(1)},${(tip.y - uy * back + ux * side).toFixed(1)}`;
  return `M${at(6, 4)} L${at(0, 0)} L${at(6, -4)}`;
}

/** Each node's natural size: all sizes cleared first, then all read (one reflow, not one per node). */
function measureAll(
  nodes: Map<string, HTMLElement>,
  known?: WeakMap<HTMLElement, { width: number; height: number }>,
): { id: string; width: number; height: number }[] {
  for (const element of nodes.values()) {
    if (known?.has(element)) continue;
    // Only where set: a fresh node has no size, and touching its style would dirty it for nothing.
    if (element.style.width !== '') element.style.removeProperty('width');
    if (element.style.height !== '') element.style.removeProperty('height');
  }
  // offsetWidth is rounded: a node set to 154 px whose text needs 154.4 would wrap or cut its title.
  return [...nodes].map(([id, element]) => {
    const size = known?.get(element) ?? { width: element.offsetWidth + 1, height: element.offsetHeight + 1 };
    known?.set(element, size);
    return { id, ...size };
  });
}

function arrowMarkers(): string {
  const marker = (id: string) =>
    `<marker id="${id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">` +
    `<path class="${id}" d="M0,0 L10,5 L0,10 z"/></marker>`;
  return `<defs>${marker('arrow')}${marker('arrow-cycle')}${marker('arrow-related')}</defs>`;
}
