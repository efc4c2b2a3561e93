// Converts a measured DAG to elkjs's input and elkjs's answer back to positions: pure, no DOM, no worker.
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';

/** A node whose rendered size is known (measured in the DOM before layout). */
export interface SizedNode {
  id: string;
  width: number;
  height: number;
}

/** An edge in data-flow direction: `source` is produced first (upstream), `target` consumes it. */
export interface FlowEdge {
  id: string;
  source: string;
  target: string;
}

/** Where data flows: RIGHT (requirements on the left) or DOWN (requirements on top, for tall panels). */
export type Direction = 'RIGHT' | 'DOWN';

export interface LayoutInput {
  nodes: SizedNode[];
  edges: FlowEdge[];
  /** RIGHT unless given. */
  direction?: Direction;
}

export type EdgeRouting = 'orthogonal' | 'splines';

export interface Point {
  x: number;
  y: number;
}

export interface NodeBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LayoutResult {
  nodes: Record<string, NodeBox>;
  /** Each edge as a polyline (start, bend points, end) in graph coordinates. */
  edges: Record<string, Point[]>;
  width: number;
  height: number;
}

/** Space between layers and between nodes of one layer: compact, so more of a graph fits a panel. */
export const LAYER_GAP = 40;
export const NODE_GAP = 12;
export const PADDING = 16;

/**
 * elkjs's layered algorithm in `direction`: requirements first (left or top), what consumes them
 * after. Model order (the order of the input, which the canvas seeds from the previous picture)
 * keeps an updated graph where it was.
 */
export function layoutOptions(routing: EdgeRouting, direction: Direction = 'RIGHT'): Record<string, string> {
  return {
    'elk.algorithm': 'layered',
    'elk.direction': direction,
    'elk.edgeRouting': routing === 'orthogonal' ? 'ORTHOGONAL' : 'SPLINES',
    'elk.layered.spacing.nodeNodeBetweenLayers': String(LAYER_GAP),
    'elk.spacing.nodeNode': String(NODE_GAP),
    'elk.spacing.edgeNode': '12',
    'elk.spacing.edgeEdge': '8',
    // Cycles are shown, not hidden: elk reverses back edges itself; greedy keeps them few.
    'elk.layered.cycleBreaking.strategy': 'GREEDY',
    'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
    'elk.padding': `[top=${PADDING},left=${PADDING},bottom=${PADDING},right=${PADDING}]`,
  };
}

/** Builds elk's graph. Edges whose ends are not nodes (a cut neighbourhood) are left out. */
export function toElkGraph(input: LayoutInput, routing: EdgeRouting = 'orthogonal'): ElkNode {
  const ids = new Set(input.nodes.map((n) => n.id));
  const edges: ElkExtendedEdge[] = input.edges
    .filter((e) => ids.has(e.source) && ids.has(e.target))
    .map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] }));
  return {
    id: 'root',
    layoutOptions: layoutOptions(routing, input.direction),
    children: input.nodes.map((n) => ({ id: n.id, width: n.width, height: n.height })),
    edges,
  };
}

/** Reads positions from elk's laid-out graph (top-level nodes and edges only: ours is flat). */
export function fromElkGraph(laidOut: ElkNode): LayoutResult {
  const nodes: Record<string, NodeBox> = {};
  for (const child of laidOut.children ?? []) {
    nodes[child.id] = {
      x: child.x ?? 0,
      y: child.y ?? 0,
      width: child.width ?? 0,
      height: child.height ?? 0,
    };
  }
  const edges: Record<string, Point[]> = {};
  for (const edge of laidOut.edges ?? []) {
    const points: Point[] = [];
    for (const section of edge.sections ?? []) {
      if (points.length === 0) points.push(section.startPoint);
      points.push(...(section.bendPoints ?? []), section.endPoint);
    }
    if (points.length > 1) edges[edge.id] = points;
  }
  return { nodes, edges, width: laidOut.width ?? 0, height: laidOut.height ?? 0 };
}

/**
 * What decides a layout: node ids with their sizes and the edges. Two inputs with the same key lay
 * out the same, so a new graph with an unchanged shape reuses the layout it already has.
 */
export function layoutShapeKey(input: LayoutInput): string {
  const nodes = input.nodes.map((n) => `${n.id}:${Math.round(n.width)}x${Math.round(n.height)}`).sort();
  const edges = input.edges.map((e) => `${e.source}>${e.target}`).sort();
  return `${input.direction ?? 'RIGHT'}#${nodes.join('|')}#${edges.join('|')}`;
}
