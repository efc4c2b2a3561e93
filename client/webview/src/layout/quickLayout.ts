// A rough layered layout computed at once on the main thread: what the canvas shows while elkjs
// (in its worker, slow to start the first time) computes the real one, so a graph is never blank.
import type { LayoutInput, LayoutResult, NodeBox, Point } from './layoutGraph';

const PADDING = 24;
const LAYER_GAP = 56;
const NODE_GAP = 24;

/** Columns by longest path from the sources (a cycle's back edges are ignored), rows in input order. */
export function quickLayout(input: LayoutInput): LayoutResult {
  const ids = new Set(input.nodes.map((n) => n.id));
  const upstream = new Map<string, string[]>(input.nodes.map((n) => [n.id, []]));
  for (const e of input.edges) {
    if (ids.has(e.source) && ids.has(e.target) && e.source !== e.target)
      upstream.get(e.target)!.push(e.source);
  }
  const layer = new Map<string, number>();
  const visiting = new Set<string>();
  const layerOf = (id: string): number => {
    const known = layer.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0;
    visiting.add(id);
    const depth = Math.max(-1, ...upstream.get(id)!.map(layerOf)) + 1;
    visiting.delete(id);
    layer.set(id, depth);
    return depth;
  };
  const columns: (typeof input.nodes)[] = [];
  for (const node of input.nodes) (columns[layerOf(node.id)] ??= []).push(node);

  const nodes: Record<string, NodeBox> = {};
  let x = PADDING;
  let height = 0;
  for (const column of columns) {
    if (!column) continue;
    let y = PADDING;
    for (const node of column) {
      nodes[node.id] = { x, y, width: node.width, height: node.height };
      y += node.height + NODE_GAP;
    }
    height = Math.max(height, y - NODE_GAP + PADDING);
    x += Math.max(...column.map((n) => n.width)) + LAYER_GAP;
  }
  const edges: Record<string, Point[]> = {};
  for (const e of input.edges) {
    const from = nodes[e.source];
    const to = nodes[e.target];
    if (!from || !to || e.source === e.target) continue;
    edges[e.id] = [
      { x: from.x + from.width, y: from.y + from.height / 2 },
      { x: to.x, y: to.y + to.height / 2 },
    ];
  }
  return { nodes, edges, width: Math.max(0, x - LAYER_GAP + PADDING), height };
}
