// What the graph panel posts for a graph the server answered: nothing when the view shows it already,
// only the moved name ranges when typing moved the code but not the drawing (a keystroke above a
// task), else the whole graph. Pure; the drawing key is the view's own (graphModel.drawingKey).
import type { PipelineGraph, Range } from '../../server/src/protocol';
import { drawingKey } from '../webview/src/graph/graphModel';
import type { GraphHostMessage } from '../webview/src/messages';

/** What the view was last sent: its drawing, and each node's name range (as text, to compare). */
export interface PostedGraph {
  key: string;
  nameRanges: Map<string, string>;
}

export function graphUpdate(
  posted: PostedGraph | undefined,
  graph: PipelineGraph,
  depth: number,
): { message: GraphHostMessage | null; posted: PostedGraph } {
  const key = drawingKey(graph, depth);
  const nameRanges = new Map(graph.nodes.map((n) => [n.id, JSON.stringify(n.nameRange)]));
  const next = { key, nameRanges };
  if (!posted || posted.key !== key) return { message: { type: 'graph', graph, depth }, posted: next };
  const moved: Record<string, Range> = {};
  for (const node of graph.nodes)
    if (posted.nameRanges.get(node.id) !== nameRanges.get(node.id)) moved[node.id] = node.nameRange;
  const message: GraphHostMessage | null =
    Object.keys(moved).length > 0 ? { type: 'ranges', nameRanges: moved } : null;
  return { message, posted: next };
}
