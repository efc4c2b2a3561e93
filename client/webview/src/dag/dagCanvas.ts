// Draws a laid-out DAG: HTML nodes (measured, then placed) over an SVG of edges, in one pannable,
// zoomable "world". Shared by the graph view and the run view; what a node shows is the caller's.
import type { LayoutClient } from '../layout/layoutClient';
import {
  type FlowEdge,
  layoutShapeKey,
  type LayoutInput,
  type LayoutResult,
  type NodeBox,
} from '../layout/layoutGraph';
import { roundedPath } from './edgePath';
import { el } from '../shared/dom';
import { attachPanZoom } from './panZoom';
import {
  centreOf,
  centreOn,
  fitViewport,
  initialViewport,
  isOffScreen,
  keepAnchor,
  pickAnchor,
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

export class DagCanvas {
  readonly surface: HTMLElement;
  private readonly world: HTMLElement;
  private readonly edgeLayer: SVGSVGElement;
  private readonly nodeLayer: HTMLElement;
  private viewport: Viewport = { x: 0, y: 0, zoom: 1 };
  private layout: LayoutResult | undefined;
  private shapeKey = '';
  private nodes = new Map<string, HTMLElement>();
  private edges: DagEdge[] = [];

  constructor(
    container: HTMLElement,
    private readonly layoutClient: LayoutClient,
    private readonly onViewportChange: (viewport: Viewport) => void = () => {},
  ) {
    this.surface = el('div', 'dag-surface');
    this.surface.tabIndex = 0;
    this.world = el('div', 'dag-world');
    this.edgeLayer = document.createElementNS(SVG_NS, 'svg');
    this.edgeLayer.classList.add('dag-edges');
    this.edgeLayer.innerHTML = arrowMarkers();
    this.nodeLayer = el('div', 'dag-nodes');
    this.world.append(this.edgeLayer, this.nodeLayer);
    this.surface.append(this.world);
    container.append(this.surface);
    attachPanZoom(this.surface, {
      getViewport: () => this.viewport,
      setViewport: (viewport) => this.setViewport(viewport),
    });
  }

  hasLayout(): boolean {
    return this.layout !== undefined;
  }

  getViewport(): Viewport {
    return this.viewport;
  }

  setViewport(viewport: Viewport): void {
    this.viewport = viewport;
    this.world.style.transform = `translate(${viewport.x}px, ${viewport.y}px) scale(${viewport.zoom})`;
    this.onViewportChange(viewport);
  }

  screenSize(): Size {
    return { width: this.surface.clientWidth, height: this.surface.clientHeight };
  }

  nodeElement(id: string): HTMLElement | undefined {
    return this.nodes.get(id);
  }

  nodeBox(id: string): NodeBox | undefined {
    return this.layout?.nodes[id];
  }

  fit(): void {
    if (this.layout) this.setViewport(fitViewport(this.layout, this.screenSize()));
  }

  zoomBy(factor: number): void {
    const size = this.screenSize();
    this.setViewport(zoomAt(this.viewport, factor, { x: size.width / 2, y: size.height / 2 }));
  }

  centreOnNode(id: string, onlyIfOffScreen = false): void {
    const box = this.nodeBox(id);
    if (!box) return;
    if (onlyIfOffScreen && !isOffScreen(this.viewport, box, this.screenSize())) return;
    this.setViewport(centreOn(this.viewport, centreOf(box), this.screenSize()));
  }

  /**
   * Shows new node elements and edges. Measures the nodes, lays out only if the shape changed, and
   * keeps the first anchor candidate still on screen. With no layout yet, `initial` decides the viewport.
   */
  async show(
    nodes: Map<string, HTMLElement>,
    edges: DagEdge[],
    anchorCandidates: (string | null | undefined)[],
    initial: Viewport | 'fit' = 'fit',
  ): Promise<ShowOutcome> {
    this.nodeLayer.replaceChildren(...nodes.values());
    this.nodes = nodes;
    this.edges = edges;
    // Text is measured in its real fonts: reading a size starts their loading, fonts.ready waits for it.
    void this.nodeLayer.offsetWidth;
    await document.fonts.ready;
    if (this.nodes !== nodes) return 'stale';
    const input: LayoutInput = { nodes: [...nodes].map(([id, element]) => measure(id, element)), edges };
    const key = layoutShapeKey(input);
    if (this.layout && key === this.shapeKey) {
      this.place(this.layout);
      return 'reused';
    }
    for (const element of nodes.values()) element.classList.add('measuring');
    const layout = await this.layoutClient.layout(input);
    if (!layout) return 'stale';
    const before = this.layout;
    this.layout = layout;
    this.shapeKey = key;
    this.place(layout);
    // How many layouts this canvas applied: lets tests and bug reports see when a layout was skipped.
    this.surface.dataset.layouts = String(Number(this.surface.dataset.layouts ?? 0) + 1);
    if (!before) {
      this.setViewport(initial === 'fit' ? initialViewport(layout, this.screenSize()) : initial);
    } else {
      const anchor = pickAnchor(anchorCandidates, before.nodes, layout.nodes);
      if (anchor) this.setViewport(keepAnchor(this.viewport, before.nodes[anchor]!, layout.nodes[anchor]!));
    }
    return 'laid-out';
  }

  private place(layout: LayoutResult): void {
    for (const [id, element] of this.nodes) {
      const box = layout.nodes[id];
      element.classList.remove('measuring');
      if (!box) continue;
      element.style.left = `${box.x}px`;
      element.style.top = `${box.y}px`;
      element.style.width = `${box.width}px`;
      element.style.height = `${box.height}px`;
    }
    this.edgeLayer.setAttribute('width', String(layout.width));
    this.edgeLayer.setAttribute('height', String(layout.height));
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
    this.edgeLayer.querySelectorAll('path.dag-edge').forEach((p) => p.remove());
    this.edgeLayer.append(...paths);
  }

  /** Marks the edges touching `id` (the selected node), so its neighbourhood stands out. */
  markEdgesOf(id: string | null): void {
    this.edgeLayer.querySelectorAll<SVGPathElement>('path.dag-edge').forEach((path) => {
      path.classList.toggle(
        'related',
        id != null && (path.dataset.source === id || path.dataset.target === id),
      );
    });
  }
}

function measure(id: string, element: HTMLElement): { id: string; width: number; height: number } {
  element.style.removeProperty('width');
  element.style.removeProperty('height');
  return { id, width: Math.ceil(element.offsetWidth), height: Math.ceil(element.offsetHeight) };
}

function arrowMarkers(): string {
  const marker = (id: string) =>
    `<marker id="${id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">` +
    `<path class="${id}" d="M0,0 L10,5 L0,10 z"/></marker>`;
  return `<defs>${marker('arrow')}${marker('arrow-cycle')}${marker('arrow-related')}</defs>`;
}
