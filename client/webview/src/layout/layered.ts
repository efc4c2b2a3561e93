// Our own layered layout, linear in the graph's size: layers by longest path, order within a layer by
// barycenter sweeps (or kept from the previous picture), nodes pulled toward their neighbours. It is
// the rough layout shown while elk works, and the final one where elk is too slow (see layoutPlan).
import {
  type Direction,
  LAYER_GAP,
  type LayoutInput,
  type LayoutResult,
  NODE_GAP,
  type NodeBox,
  PADDING,
  type Point,
} from './layoutGraph';
import {
  assignLanes,
  gapWidth,
  LANE_SPACING,
  laneOffset,
  OVERVIEW_LANE_SPACING,
  type Step,
} from './layerLanes';
import { placeAcross } from './layeredPlacement';
import { corridorLines, type Span } from './layerCorridors';
import { orderLayers } from './layerOrder';

export interface LayeredOptions {
  /** Barycenter sweeps that reduce crossings (0: input order). */
  sweeps?: number;
  /**
   * Where nodes were in the previous picture (their centres): known nodes keep that order and new
   * ones go next to their neighbours, so an update does not reshuffle what the user was reading.
   */
  seed?: Record<string, Point>;
  /**
   * Across the flow: `aligned` (the default from ALIGNED_MIN_NODES nodes) lines each node up with a
   * median neighbour so edges run straight (layeredPlacement); `packed` packs each layer and shifts it
   * as a whole toward what feeds it (the default below; bench/layout-quality.ts compares the two).
   */
  placement?: 'aligned' | 'packed';
  /** Waypoints a node past which long edges run on corridors instead (MAX_WAYPOINTS_PER_NODE). */
  maxWaypointsPerNode?: number;
}

interface Graph {
  ids: string[];
  up: Map<string, string[]>;
  down: Map<string, string[]>;
}

function graphOf(input: LayoutInput): Graph {
  const ids = input.nodes.map((n) => n.id);
  const known = new Set(ids);
  const up = new Map<string, string[]>(ids.map((id) => [id, []]));
  const down = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const e of input.edges) {
    if (!known.has(e.source) || !known.has(e.target) || e.source === e.target) continue;
    down.get(e.source)!.push(e.target);
    up.get(e.target)!.push(e.source);
  }
  return { ids, up, down };
}

/** Layer = longest path from a source (Kahn's order, no recursion); a cycle's nodes stay where pushed. */
export function layersOf(input: LayoutInput): string[][] {
  const { ids, up, down } = graphOf(input);
  const waiting = new Map(ids.map((id) => [id, up.get(id)!.length]));
  const layer = new Map(ids.map((id) => [id, 0]));
  const ready = ids.filter((id) => waiting.get(id) === 0);
  for (let i = 0; i < ready.length; i++) {
    const id = ready[i]!;
    for (const next of down.get(id)!) {
      layer.set(next, Math.max(layer.get(next)!, layer.get(id)! + 1));
      const left = waiting.get(next)! - 1;
      waiting.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  const layers: string[][] = [];
  for (const id of ids) (layers[layer.get(id)!] ??= []).push(id);
  return layers.filter((l) => l !== undefined);
}

/** Up to this many new nodes, an update keeps every other node exactly where it was. */
const MAX_JOINING_KEPT = 3;

/**
 * From this many nodes, placement `aligned` by default. Below, each layer is packed: a small graph
 * must fit a narrow panel at a readable size (a 30-family graph in 500 px with titles >= 11 px,
 * readableGraph.test.ts), and lining nodes up spreads the picture across the flow; from 31 nodes
 * it replaces elk's picture, which is no narrower, and its bends count more.
 */
export const ALIGNED_MIN_NODES = 31;

/**
 * …up to this many (elk's own limit, ELK_MAX_NODES). Above, packed again: lined up, a big graph spreads
 * far across the flow (layered 600: 13,572 px against 1,140 packed; 2,000: 18,992 x 43,868 px), and
 * "Show all" must still draw it at a size a person can read.
 */
export const ALIGNED_MAX_NODES = 200;

/**
 * Up to this many nodes, the order is also sought from 3 shuffled starts (forced crossings at 200
 * pipeline tasks 1,312 -> 1,074, elk's 955); above, they cost more than they are worth (600: 0.7 -> 1.6 s).
 */
const RESTARTS_UP_TO = 200;

/**
 * Past this many waypoints per node, long edges get none (a bound on the work: pipeline 2,000 has 32 a
 * node, and ordering them cost 8.7 s of CPU against 0.5 s) and run on corridors (layerCorridors).
 */
const MAX_WAYPOINTS_PER_NODE = 12;

/**
 * Splits each edge that skips layers into a chain through one waypoint per skipped layer (added to
 * `layers` and `g`), as Sugiyama's layouts do: the ordering then keeps such an edge clear of the
 * nodes it passes, where a straight line was drawn across them.
 */
function splitLongEdges(
  input: LayoutInput,
  layers: string[][],
  g: Graph,
  cap: number,
): { byEdge: Map<string, string[]>; waypoints: Set<string>; capped: boolean } {
  const byEdge = new Map<string, string[]>();
  const waypoints = new Set<string>();
  const layerOf = new Map<string, number>();
  layers.forEach((layer, i) => layer.forEach((id) => layerOf.set(id, i)));
  const long = input.edges.filter((e) => {
    const [from, to] = [layerOf.get(e.source), layerOf.get(e.target)];
    return from !== undefined && to !== undefined && to - from > 1;
  });
  const count = long.reduce((n, e) => n + layerOf.get(e.target)! - layerOf.get(e.source)! - 1, 0);
  if (count > cap * Math.max(1, input.nodes.length)) return { byEdge, waypoints, capped: true };
  const unlink = (list: string[], id: string) => list.splice(list.indexOf(id), 1);
  for (const e of long) {
    // A repeated edge is drawn along the first one's chain.
    if (!g.down.get(e.source)!.includes(e.target)) {
      const first = long.find((f) => f.source === e.source && f.target === e.target)!;
      byEdge.set(e.id, byEdge.get(first.id)!);
      continue;
    }
    const chain: string[] = [];
    for (let l = layerOf.get(e.source)! + 1; l < layerOf.get(e.target)!; l++) {
      const id = `\u0000${e.id}\u0000${l}`;
      chain.push(id);
      waypoints.add(id);
      layers[l]!.push(id);
      g.up.set(id, []);
      g.down.set(id, []);
    }
    unlink(g.down.get(e.source)!, e.target);
    unlink(g.up.get(e.target)!, e.source);
    [e.source, ...chain, e.target].forEach((id, i, all) => {
      const next = all[i + 1];
      if (next === undefined) return;
      g.down.get(id)!.push(next);
      g.up.get(next)!.push(id);
    });
    byEdge.set(e.id, chain);
  }
  return { byEdge, waypoints, capped: false };
}

/** Orders each layer by the previous picture; a new node sits at the mean of its placed neighbours. */
function seedOrder(layers: string[][], g: Graph, seed: Record<string, Point>, direction: Direction): void {
  const cross = (p: Point) => (direction === 'RIGHT' ? p.y : p.x);
  for (const layer of layers) {
    const key = new Map<string, number>();
    for (const id of layer) {
      const known = seed[id];
      if (known) key.set(id, cross(known));
      else {
        const near = [...g.up.get(id)!, ...g.down.get(id)!].flatMap((n) => (seed[n] ? [cross(seed[n])] : []));
        key.set(id, near.length > 0 ? near.reduce((a, b) => a + b, 0) / near.length : Infinity);
      }
    }
    layer.sort((a, b) => key.get(a)! - key.get(b)!);
  }
}

/**
 * Cross-axis starts for one layer of an update: nodes of the previous picture exactly where they were
 * (pushed apart only where they would overlap), each new node in the free gap nearest to its placed
 * neighbours. So adding a task moves nothing else (the "updates keep the picture").
 */
function placeSeeded(
  layer: string[],
  seed: Record<string, Point>,
  direction: Direction,
  crossLength: (id: string) => number,
  start: Map<string, number>,
  g: Graph,
  extent: { from: number; to: number },
): void {
  const cross = (p: Point) => (direction === 'RIGHT' ? p.y : p.x);
  const taken: { from: number; to: number }[] = [];
  let end = -Infinity;
  for (const id of layer) {
    const known = seed[id];
    if (!known) continue;
    const at = Math.max(cross(known) - crossLength(id) / 2, end + NODE_GAP);
    start.set(id, at);
    end = at + crossLength(id);
    taken.push({ from: at, to: end });
  }
  for (const id of layer) {
    if (seed[id]) continue;
    const length = crossLength(id);
    const near = [...g.up.get(id)!, ...g.down.get(id)!].flatMap((n) =>
      start.has(n) && n !== id ? [start.get(n)! + crossLength(n) / 2] : seed[n] ? [cross(seed[n])] : [],
    );
    const lastEnd = taken.length > 0 ? Math.max(...taken.map((t) => t.to)) : 0;
    const wanted =
      (near.length > 0 ? near.reduce((a, b) => a + b, 0) / near.length : lastEnd + NODE_GAP + length / 2) -
      length / 2;
    // Free gaps between the placed nodes (and beyond both ends), each as the range of starts that fit.
    taken.sort((a, b) => a.from - b.from);
    const gaps: [number, number][] = [];
    let free = -Infinity;
    for (const t of taken) {
      gaps.push([free, t.from - NODE_GAP - length]);
      free = t.to + NODE_GAP;
    }
    gaps.push([free, Infinity]);
    // The nearest gap inside the picture's extent, else the nearest at all.
    let best = wanted;
    let bestDistance = Infinity;
    for (const inside of [true, false]) {
      for (const [gapLow, gapHigh] of gaps) {
        const low = inside ? Math.max(gapLow, extent.from) : gapLow;
        const high = inside ? Math.min(gapHigh, extent.to - length) : gapHigh;
        if (high < low) continue;
        const at = Math.min(Math.max(wanted, low), high);
        if (Math.abs(at - wanted) < bestDistance) [best, bestDistance] = [at, Math.abs(at - wanted)];
      }
      if (bestDistance < Infinity) break;
    }
    start.set(id, best);
    taken.push({ from: best, to: best + length });
  }
}

export function layeredLayout(input: LayoutInput, options: LayeredOptions = {}): LayoutResult {
  const direction = input.direction ?? 'RIGHT';
  const g = graphOf(input);
  const size = new Map(input.nodes.map((n) => [n.id, n]));
  const layers = layersOf(input);
  // Waypoints of edges that skip layers have no size: the edge passes between that layer's nodes.
  const chains = splitLongEdges(input, layers, g, options.maxWaypointsPerNode ?? MAX_WAYPOINTS_PER_NODE);
  for (const layer of layers)
    for (const id of layer) if (!size.has(id)) size.set(id, { id, width: 0, height: 0 });
  // Main axis: along the flow (x when RIGHT); cross axis: across it.
  const main = (id: string) => (direction === 'RIGHT' ? size.get(id)!.width : size.get(id)!.height);
  const crossLength = (id: string) => (direction === 'RIGHT' ? size.get(id)!.height : size.get(id)!.width);

  if (options.seed && Object.keys(options.seed).length > 0) seedOrder(layers, g, options.seed, direction);
  else {
    orderLayers(layers, g.up, g.down, options.sweeps ?? 0, input.nodes.length <= RESTARTS_UP_TO ? 3 : 0);
  }

  // Cross-axis positions: each layer packed, then shifted as a whole toward its upstream neighbours'
  // centres (a chain reads as a straight line, a layer sits under what feeds it, no staircase).
  const start = new Map<string, number>();
  const centre = (id: string) => start.get(id)! + crossLength(id) / 2;
  // A few tasks joining (typed into the editor) leave every other node where it was; a bigger change
  // (a family expanded into its instances, a run's graph growing) is packed again in the seed's order.
  const seed = options.seed && Object.keys(options.seed).length > 0 ? options.seed : undefined;
  const joining = seed ? input.nodes.filter((n) => !seed[n.id]).length : 0;
  const keepPlaces = seed !== undefined && joining <= MAX_JOINING_KEPT;
  // The previous picture's extent across the flow: a new node inside it stays in a fitted view.
  const extent = { from: Infinity, to: -Infinity };
  for (const [id, at] of Object.entries(seed ?? {})) {
    if (!size.has(id)) continue;
    const c = direction === 'RIGHT' ? at.y : at.x;
    extent.from = Math.min(extent.from, c - crossLength(id) / 2);
    extent.to = Math.max(extent.to, c + crossLength(id) / 2);
  }
  const lineUp = input.nodes.length >= ALIGNED_MIN_NODES && input.nodes.length <= ALIGNED_MAX_NODES;
  const placement = options.placement ?? (lineUp ? 'aligned' : 'packed');
  const aligned = !keepPlaces && placement === 'aligned';
  if (aligned)
    for (const [id, at] of placeAcross({
      layers,
      up: g.up,
      down: g.down,
      crossLength,
      waypoints: chains.waypoints,
    }))
      start.set(id, at);
  for (const layer of layers) {
    if (aligned) break;
    if (keepPlaces) {
      placeSeeded(layer, seed!, direction, crossLength, start, g, extent);
      continue;
    }
    let next = 0;
    for (const id of layer) {
      start.set(id, next);
      next += crossLength(id) + NODE_GAP;
    }
    const here = new Set(layer);
    let pull = 0;
    let pulled = 0;
    for (const id of layer) {
      const ups = g.up.get(id)!.filter((n) => start.has(n) && !here.has(n));
      if (ups.length === 0) continue;
      pull += ups.reduce((s, n) => s + centre(n), 0) / ups.length - centre(id);
      pulled++;
    }
    const shift = pulled > 0 ? pull / pulled : 0;
    for (const id of layer) start.set(id, start.get(id)! + shift);
  }
  const layerOf = new Map<string, number>();
  layers.forEach((layer, i) => layer.forEach((id) => layerOf.set(id, i)));
  // Past the waypoint cap, each long edge runs on a corridor (layerCorridors): a line free of the nodes
  // in each layer it skips, jogging between layers only where it must. Its lines are waypoints placed
  // after the nodes, so the edge is drawn (and its steps get lanes) as a waypoint chain.
  if (chains.capped) {
    const spans: Span[] = [];
    for (const e of input.edges) {
      const [from, to] = [layerOf.get(e.source), layerOf.get(e.target)];
      if (from === undefined || to === undefined || to - from < 2) continue;
      spans.push({ id: e.id, source: e.source, from, to, want: centre(e.source) });
    }
    const occupied = layers.map((layer) =>
      layer.map((id): [number, number] => [start.get(id)!, start.get(id)! + crossLength(id)]),
    );
    for (const list of occupied) list.sort((a, b) => a[0] - b[0]);
    const spanOf = new Map(spans.map((span) => [span.id, span]));
    for (const [edge, lines] of corridorLines(spans, occupied)) {
      const from = spanOf.get(edge)!.from;
      const chain = lines.map((at, i) => {
        const id = `\u0000corridor\u0000${edge}\u0000${from + 1 + i}`;
        size.set(id, { id, width: 0, height: 0 });
        start.set(id, at);
        layerOf.set(id, from + 1 + i);
        layers[from + 1 + i]!.push(id);
        chains.waypoints.add(id);
        return id;
      });
      chains.byEdge.set(edge, chain);
    }
  }
  let minCross = Infinity;
  let maxCross = 0;
  for (const [id, at] of start) {
    minCross = Math.min(minCross, at);
    maxCross = Math.max(maxCross, at + crossLength(id));
  }
  if (!Number.isFinite(minCross)) minCross = 0;

  // Each edge as its steps between adjacent layers (source, waypoints, target): the steps of a gap get
  // lanes of their own (layerLanes), and a gap widens only where its lanes need the room.
  const acrossCentre = (id: string) => start.get(id)! - minCross + PADDING + crossLength(id) / 2;
  const paths: { id: string; boxes: string[] }[] = [];
  const steps: Step[][] = layers.map(() => []);
  for (const e of input.edges) {
    if (!size.has(e.source) || !size.has(e.target) || e.source === e.target) continue;
    if (!layerOf.has(e.source) || !layerOf.has(e.target)) continue;
    const boxes = [e.source, ...(chains.byEdge.get(e.id) ?? []), e.target];
    paths.push({ id: e.id, boxes });
    for (let i = 1; i < boxes.length; i++) {
      const [a, b] = [boxes[i - 1]!, boxes[i]!];
      steps[layerOf.get(a)!]!.push({ source: a, from: acrossCentre(a), to: acrossCentre(b) });
    }
  }
  const lanes = steps.map(assignLanes);
  // Above ALIGNED_MAX_NODES the picture is an overview: gaps widened for LANE_SPACING stretched it 3x
  // along the flow (pipeline 600: 13,482 -> 39,698 px), which "Show all" cannot draw readably; its
  // lanes are closer (OVERVIEW_LANE_SPACING) and widen a gap only past 40 px of them.
  const laneSpacing = input.nodes.length <= ALIGNED_MAX_NODES ? LANE_SPACING : OVERVIEW_LANE_SPACING;
  // An update keeping the picture keeps its gaps too (a new lane squeezes in rather than moving layers).
  const seededAlong = layers.map((layer) => {
    if (!keepPlaces) return undefined;
    const known = layer.flatMap((id) => {
      const at = seed![id];
      return at && !chains.waypoints.has(id) ? [(direction === 'RIGHT' ? at.x : at.y) - main(id) / 2] : [];
    });
    return known.length > 0 ? Math.min(...known) : undefined;
  });

  const nodes: Record<string, NodeBox> = {};
  /** Waypoints, as boxes as deep as their layer: an edge runs straight across the layer there. */
  const waypoints: Record<string, NodeBox> = {};
  /** Where each gap starts along the flow and how wide it is. */
  const gaps: { at: number; width: number }[] = [];
  let along = PADDING;
  layers.forEach((layer, l) => {
    const depth = Math.max(...layer.map(main));
    for (const id of layer) {
      const across = start.get(id)! - minCross + PADDING;
      const waypoint = chains.waypoints.has(id);
      const { width, height } = waypoint
        ? direction === 'RIGHT'
          ? { width: depth, height: 0 }
          : { width: 0, height: depth }
        : size.get(id)!;
      (waypoint ? waypoints : nodes)[id] =
        direction === 'RIGHT'
          ? { x: along, y: across, width, height }
          : { x: across, y: along, width, height };
    }
    const [here, next] = [seededAlong[l], seededAlong[l + 1]];
    const kept = here !== undefined && next !== undefined ? next - here - depth : undefined;
    const width =
      kept !== undefined ? Math.max(LAYER_GAP, kept) : gapWidth(lanes[l]!.count, LAYER_GAP, laneSpacing);
    gaps.push({ at: along + depth, width });
    along += depth + width;
  });
  const alongLength = layers.length === 0 ? 0 : along - gaps[gaps.length - 1]!.width + PADDING;
  const acrossLength = layers.length === 0 ? 0 : maxCross - minCross + 2 * PADDING;

  const edges: Record<string, Point[]> = {};
  const route = direction === 'RIGHT' ? routeRight : routeDown;
  const box = (id: string) => nodes[id] ?? waypoints[id]!;
  for (const { id, boxes } of paths) {
    const points: Point[] = [];
    for (let i = 1; i < boxes.length; i++) {
      const from = boxes[i - 1]!;
      const l = layerOf.get(from)!;
      const { laneOf, count } = lanes[l]!;
      const lane = laneOf.get(from);
      const at =
        gaps[l]!.at + (lane === undefined ? gaps[l]!.width / 2 : laneOffset(lane, count, gaps[l]!.width));
      points.push(...route(box(from), box(boxes[i]!), at));
    }
    edges[id] = corners(points);
  }
  return direction === 'RIGHT'
    ? { nodes, edges, width: alongLength, height: acrossLength }
    : { nodes, edges, width: acrossLength, height: alongLength };
}

/** Out of the source's right side, a vertical step on the source's lane `lane`, into the target's left. */
function routeRight(from: NodeBox, to: NodeBox, lane: number): Point[] {
  const start = { x: from.x + from.width, y: from.y + from.height / 2 };
  const end = { x: to.x, y: to.y + to.height / 2 };
  if (Math.abs(start.y - end.y) < 0.5) return [start, end];
  return [start, { x: lane, y: start.y }, { x: lane, y: end.y }, end];
}

function routeDown(from: NodeBox, to: NodeBox, lane: number): Point[] {
  const start = { x: from.x + from.width / 2, y: from.y + from.height };
  const end = { x: to.x + to.width / 2, y: to.y };
  if (Math.abs(start.x - end.x) < 0.5) return [start, end];
  return [start, { x: start.x, y: lane }, { x: end.x, y: lane }, end];
}

/**
 * The polyline without points where it goes on straight (a waypoint lined up with its neighbours
 * leaves two such points): only its corners stay, as elk draws them.
 */
export function corners(points: Point[]): Point[] {
  const kept: Point[] = [];
  for (const p of points) {
    const last = kept[kept.length - 1];
    // Of two points within half a pixel, the edge's start or end stays, on its node's border, where a
    // lane lies that close to it (an overview's lanes share their fixed gap).
    if (last && Math.abs(last.x - p.x) < 0.5 && Math.abs(last.y - p.y) < 0.5) {
      if (kept.length > 1) kept[kept.length - 1] = p;
      continue;
    }
    const before = kept[kept.length - 2];
    // All our segments are axis-parallel: three points on one line share an x or a y.
    if (
      before &&
      last &&
      ((Math.abs(before.x - last.x) < 0.5 && Math.abs(last.x - p.x) < 0.5) ||
        (Math.abs(before.y - last.y) < 0.5 && Math.abs(last.y - p.y) < 0.5))
    )
      kept.pop();
    kept.push(p);
  }
  return kept;
}
