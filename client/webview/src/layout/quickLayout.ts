// A rough layered layout computed at once on the main thread: what the canvas shows while elkjs
// (in its worker, slow to start the first time) computes the real one, so a graph is never blank.
import type { LayoutInput, LayoutResult, NodeBox, Point } from './layoutGraph';

const PADDING = 24;
const LAYER_GAP = 56;
const NODE_GAP = 24;

/** Columns by longest path from the sources (a cycle's back edges are ignored), rows in input order. */
export function quickLayout(input: LayoutInput): LayoutResult {
  const ids = new Set(input.nodes.map((n) => n.id));
  const downstream = new Map<string, string[]>(input.nodes.map((n) => [n.id, []]));
  const waitingFor = new Map<string, number>(input.nodes.map((n) => [n.id, 0]));
  for (const e of input.edges) {
    if (!ids.has(e.source) || !ids.has(e.target) || e.source === e.target) continue;
    downstream.get(e.source)!.push(e.target);
    waitingFor.set(e.target, waitingFor.get(e.target)! + 1);
  }
  // Kahn's order, no recursion (a long chain must not overflow the stack); nodes on a cycle never
  // become ready and stay in the layer their placed requirements pushed them to.
  const layer = new Map<string, number>(input.nodes.map((n) => [n.id, 0]));
  const ready = input.nodes.filter((n) => waitingFor.get(n.id) === 0).map((n) => n.id);
  for (let i = 0; i < ready.length; i++) {
    const id = ready[i]!;
    for (const next of downstream.get(id)!) {
      layer.set(next, Math.max(layer.get(next)!, layer.get(id)! + 1));
      const left = waitingFor.get(next)! - 1;
      waitingFor.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  const layerOf = (id: string) => layer.get(id)!;
  const columns: (typeof input.nodes)[] = [];
  for (const node of input.nodes) (columns[layerOf(node.id)] ??= []).push(node);

  // Each column centred on the tallest, as elk's layered layout roughly does.
  const columnHeight = (column: typeof input.nodes) =>
    column.reduce((sum, n) => sum + n.height, 0) + NODE_GAP * (column.length - 1);
  const present = columns.filter((column) => column !== undefined);
  const height = present.length === 0 ? 0 : Math.max(...present.map(columnHeight)) + 2 * PADDING;
  const nodes: Record<string, NodeBox> = {};
  let x = PADDING;
  for (const column of present) {
    let y = (height - columnHeight(column)) / 2;
    for (const node of column) {
      nodes[node.id] = { x, y, width: node.width, height: node.height };
      y += node.height + NODE_GAP;
    }
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
