// The server's PipelineGraph as the graph view draws it: edges in data-flow direction, the scope
// it shows, and whether it is too big to draw in full. Pure.
import type { GraphNodeInfo, PipelineGraph } from '../../../../server/src/protocol';
import type { GraphViewState } from '../messages';

/** Past this many nodes the view draws compact nodes and suggests a smaller depth. */
export const LARGE_GRAPH_NODES = 300;

export interface ViewEdge {
  id: string;
  /** Upstream (required) node: drawn on the left. */
  source: string;
  /** Downstream (requiring) node. */
  target: string;
  classes: string[];
}

/** Server edges point from the requiring task to the required one; the view draws data flow. */
export function viewEdges(graph: PipelineGraph): ViewEdge[] {
  const seen = new Set<string>();
  const edges: ViewEdge[] = [];
  for (const e of graph.edges) {
    const id = `${e.to}->${e.from}`;
    // One requirement written twice (two `new X()` in requires) is one edge on the graph.
    if (seen.has(id)) continue;
    seen.add(id);
    const classes = [
      e.inCycle ? 'cycle' : '',
      e.dynamic ? 'dynamic' : '',
      e.optional ? 'optional' : '',
    ].filter(Boolean);
    edges.push({ id, source: e.to, target: e.from, classes });
  }
  return edges;
}

/**
 * What the drawing depends on, as one string: the graph without source locations (typing above a
 * task moves its ranges on every keystroke, and its node looks the same). Equal keys draw alike.
 */
export function drawingKey(graph: PipelineGraph, depth: number): string {
  // Copies without the locations, then one plain stringify: a replacer function is several times slower.
  const nodes = graph.nodes.map(withoutLocations);
  const edges = graph.edges.map(({ location: _l, ...edge }) => edge);
  return JSON.stringify({ nodes, edges, cycles: graph.cycles, focus: graph.focus, depth });
}

function withoutLocations({ nameRange: _n, range: _r, outputs, ...node }: GraphNodeInfo) {
  return { ...node, outputs: outputs.map(({ range: _o, ...output }) => output) };
}

/** What one node's drawing depends on: an equal key (and card size) can keep its element. */
export function nodeDrawingKey(node: GraphNodeInfo, compact: boolean): string {
  return JSON.stringify([compact, withoutLocations(node)]);
}

export function isLarge(graph: PipelineGraph): boolean {
  return graph.nodes.length > LARGE_GRAPH_NODES;
}

/** What the view remembers of the graph it shows, for setState and the host's serializer. */
export function focusOf(graph: PipelineGraph): GraphViewState['focus'] {
  const node = graph.focus ? graph.nodes.find((n) => n.id === graph.focus) : undefined;
  return node ? { uri: node.uri, family: node.family } : null;
}

/** A one-line description of the scope: whole workspace, or the neighbourhood of a task. */
export function scopeLabel(graph: PipelineGraph, depth: number): string {
  const focus = graph.focus ? graph.nodes.find((n) => n.id === graph.focus) : undefined;
  const count = `${graph.nodes.length} task${graph.nodes.length === 1 ? '' : 's'}`;
  if (!focus) return `Workspace · ${count}`;
  return `${focus.family} ± ${depth < 0 ? 'all' : depth} · ${count}`;
}

/** Nodes nothing upstream feeds (a pipeline's start): where a view too wide to fit begins. */
export function sourcesOf(nodeIds: string[], edges: ViewEdge[]): string[] {
  const fed = new Set(edges.filter((e) => e.source !== e.target).map((e) => e.target));
  return nodeIds.filter((id) => !fed.has(id));
}
