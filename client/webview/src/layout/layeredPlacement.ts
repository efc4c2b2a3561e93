// Where each node of an ordered layering sits across the flow, Brandes–Köpf style: a node lines up
// with a median neighbour in the next layer (waypoint chains of long edges first), so edges run
// straight instead of zigzagging; the layer order is kept and no two nodes of a layer overlap.
import { NODE_GAP } from './layoutGraph';

/** Between two waypoints of a layer (edges side by side need less room than cards: elk's edgeEdge). */
export const WAYPOINT_GAP = 8;

export interface PlacementInput {
  /** Each layer in its final order (first: upstream). */
  layers: string[][];
  /** Upstream and downstream neighbours; only those in the adjacent layers are lined up with. */
  up: Map<string, string[]>;
  down: Map<string, string[]>;
  /** A node's length across the flow (0 for a waypoint). */
  crossLength: (id: string) => number;
  /** The waypoints of edges that skip layers: a chain of them is kept straight before anything else. */
  waypoints: Set<string>;
}

/** Integer indices for speed: a 2,000-task pipeline has up to 24,000 waypoints. */
interface Indexed {
  ids: string[];
  layers: number[][];
  layerOf: Int32Array;
  length: Float64Array;
  waypoint: Uint8Array;
  /** Neighbours in the layer before / after, each list without repeats. */
  upper: number[][];
  lower: number[][];
}

function indexed(input: PlacementInput): Indexed {
  const ids = input.layers.flat();
  const index = new Map(ids.map((id, i) => [id, i]));
  const n = ids.length;
  const layerOf = new Int32Array(n);
  const layers = input.layers.map((layer, l) =>
    layer.map((id) => {
      const i = index.get(id)!;
      layerOf[i] = l;
      return i;
    }),
  );
  const length = new Float64Array(n);
  const waypoint = new Uint8Array(n);
  const upper: number[][] = [];
  const lower: number[][] = [];
  ids.forEach((id, i) => {
    length[i] = input.crossLength(id);
    waypoint[i] = input.waypoints.has(id) ? 1 : 0;
    // Either direction counts (an edge of a cycle may point back): what matters is the next layer.
    const near = [...(input.up.get(id) ?? []), ...(input.down.get(id) ?? [])].flatMap((other) => {
      const j = index.get(other);
      return j === undefined ? [] : [j];
    });
    upper.push([...new Set(near.filter((j) => layerOf[j] === layerOf[i]! - 1))]);
    lower.push([...new Set(near.filter((j) => layerOf[j] === layerOf[i]! + 1))]);
  });
  return { ids, layers, layerOf, length, waypoint, upper, lower };
}

/**
 * Segments (upper·n + lower) that cross a segment between two waypoints: they give way, so a long
 * edge's chain stays straight (Brandes–Köpf's type 1 conflicts).
 */
function conflicts(g: Indexed): Set<number> {
  const n = g.ids.length;
  const marked = new Set<number>();
  const pos = new Int32Array(n);
  for (const layer of g.layers) layer.forEach((v, i) => (pos[v] = i));
  const innerUpper = (v: number) => (g.waypoint[v] ? g.upper[v]!.find((u) => g.waypoint[u]) : undefined);
  for (let l = 1; l < g.layers.length; l++) {
    const below = g.layers[l]!;
    const aboveLast = g.layers[l - 1]!.length - 1;
    let k0 = 0;
    let scanned = 0;
    for (let l1 = 0; l1 < below.length; l1++) {
      const inner = innerUpper(below[l1]!);
      if (l1 !== below.length - 1 && inner === undefined) continue;
      const k1 = inner === undefined ? aboveLast : pos[inner]!;
      for (; scanned <= l1; scanned++) {
        const v = below[scanned]!;
        for (const u of g.upper[v]!) {
          if (pos[u]! < k0 || pos[u]! > k1) if (!(g.waypoint[u] && g.waypoint[v])) marked.add(u * n + v);
        }
      }
      k0 = k1;
    }
  }
  return marked;
}

/**
 * One of the four Brandes–Köpf placements: aligned with upstream (`fromUp`) or downstream medians,
 * packed toward the start (`toStart`) or end of the cross axis. Returns centres.
 */
function placement(g: Indexed, marked: Set<number>, fromUp: boolean, toStart: boolean): Float64Array {
  const n = g.ids.length;
  const layers = (fromUp ? g.layers : [...g.layers].reverse()).map((l) => (toStart ? l : [...l].reverse()));
  const pos = new Int32Array(n);
  for (const layer of layers) layer.forEach((v, i) => (pos[v] = i));
  const before = fromUp ? g.upper : g.lower;
  const root = Int32Array.from({ length: n }, (_, i) => i);
  const align = Int32Array.from({ length: n }, (_, i) => i);
  // Alignment: each node joins the block of a median neighbour in the layer before, unless that
  // crosses an alignment already made in this layer or a waypoint chain.
  for (let l = 1; l < layers.length; l++) {
    let taken = -1;
    for (const v of layers[l]!) {
      const near = [...before[v]!].sort((a, b) => pos[a]! - pos[b]!);
      if (near.length === 0) continue;
      const lo = Math.floor((near.length - 1) / 2);
      const hi = Math.ceil((near.length - 1) / 2);
      for (let m = lo; m <= hi; m++) {
        if (align[v] !== v) break;
        const u = near[m]!;
        const key = fromUp ? u * n + v : v * n + u;
        if (marked.has(key) || taken >= pos[u]!) continue;
        align[u] = v;
        root[v] = root[u]!;
        align[v] = root[v]!;
        taken = pos[u]!;
      }
    }
  }
  // Compaction: each block as near the start as the blocks before it in every layer allow (the
  // longest path through "left of" constraints, in Kahn's order: no recursion on deep graphs).
  const next: number[][] = Array.from({ length: n }, () => []);
  const gap: number[][] = Array.from({ length: n }, () => []);
  const waiting = new Int32Array(n);
  for (const layer of layers) {
    for (let i = 1; i < layer.length; i++) {
      const [w, v] = [layer[i - 1]!, layer[i]!];
      const both = g.waypoint[w] && g.waypoint[v];
      next[root[w]!]!.push(root[v]!);
      gap[root[w]!]!.push((g.length[w]! + g.length[v]!) / 2 + (both ? WAYPOINT_GAP : NODE_GAP));
      waiting[root[v]!]!++;
    }
  }
  const x = new Float64Array(n);
  const ready: number[] = [];
  for (let v = 0; v < n; v++) if (root[v] === v && waiting[v] === 0) ready.push(v);
  for (let i = 0; i < ready.length; i++) {
    const r = ready[i]!;
    next[r]!.forEach((s, k) => {
      x[s] = Math.max(x[s]!, x[r]! + gap[r]![k]!);
      if (--waiting[s]! === 0) ready.push(s);
    });
  }
  // Into a new array: a block's root may come before or after its other nodes.
  return Float64Array.from({ length: n }, (_, v) => (toStart ? 1 : -1) * x[root[v]!]!);
}

/**
 * Cross-axis starts (centre minus half the length) for every node of `input.layers`, in their order:
 * the narrowest of the four placements across the flow, as elk chooses (its fixedAlignment NONE).
 * Picking the one with the fewest bent segments instead let each layer drift further than the last,
 * for a few bends fewer (a 12 × 10 grid: 4,276 px across against 3,660; bench/layout-quality.ts and
 * BENCHMARKS.md for bends and sizes beside elk's).
 */
export function placeAcross(input: PlacementInput): Map<string, number> {
  const g = indexed(input);
  const marked = conflicts(g);
  const four = [
    placement(g, marked, true, true),
    placement(g, marked, true, false),
    placement(g, marked, false, true),
    placement(g, marked, false, false),
  ];
  const width = four.map((x) => {
    let [low, high] = [Infinity, -Infinity];
    x.forEach((c, v) => {
      low = Math.min(low, c - g.length[v]! / 2);
      high = Math.max(high, c + g.length[v]! / 2);
    });
    return high - low;
  });
  const best = four[width.indexOf(Math.min(...width))]!;
  return new Map(g.ids.map((id, v) => [id, best[v]! - g.length[v]! / 2]));
}
