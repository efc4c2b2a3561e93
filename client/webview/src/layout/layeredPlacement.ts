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

/** Extent across the flow of one placement (centres `x`): lowest start and highest end. */
function extent(g: Indexed, x: Float64Array): [number, number] {
  let [low, high] = [Infinity, -Infinity];
  x.forEach((c, v) => {
    low = Math.min(low, c - g.length[v]! / 2);
    high = Math.max(high, c + g.length[v]! / 2);
  });
  return [low, high];
}

/** Whether every layer keeps its order with its gaps in `x` (a balanced placement need not). */
function separated(g: Indexed, x: Float64Array): boolean {
  for (const layer of g.layers)
    for (let i = 1; i < layer.length; i++) {
      const [w, v] = [layer[i - 1]!, layer[i]!];
      const gap =
        (g.length[w]! + g.length[v]!) / 2 + (g.waypoint[w] && g.waypoint[v] ? WAYPOINT_GAP : NODE_GAP);
      if (x[v]! - x[w]! < gap - 1e-6) return false;
    }
  return true;
}

/**
 * Brandes–Köpf's balanced placement: the four moved onto the narrowest's extent (those packed toward
 * the start share its start, the others its end), then each node at the mean of its two middle
 * positions. Each of the four drifts its own way; their median does not follow any one drift.
 */
function balanced(g: Indexed, four: Float64Array[], narrowest: number): Float64Array {
  const [low, high] = extent(g, four[narrowest]!);
  const moved = four.map((x, k) => {
    const [l, h] = extent(g, x);
    const by = k % 2 === 0 ? low - l : high - h;
    return x.map((c) => c + by);
  });
  return Float64Array.from({ length: g.ids.length }, (_, v) => {
    const c = moved.map((x) => x[v]!).sort((a, b) => a - b);
    return (c[1]! + c[2]!) / 2;
  });
}

/**
 * Straightens a placement in place without widening it: layer by layer (down, then up), each node moves
 * level with the nearer of its median neighbours in the layer before, as far as its layer's neighbours
 * (already moved before it, still in place after it) and the picture's extent allow.
 */
function straighten(g: Indexed, x: Float64Array, rounds: number): void {
  const [low, high] = extent(g, x);
  const gapOf = (w: number, v: number) =>
    (g.length[w]! + g.length[v]!) / 2 + (g.waypoint[w] && g.waypoint[v] ? WAYPOINT_GAP : NODE_GAP);
  for (let r = 0; r < rounds; r++) {
    const down = r % 2 === 0;
    const order = down ? g.layers : [...g.layers].reverse();
    for (const layer of order) {
      for (let i = 0; i < layer.length; i++) {
        const v = layer[i]!;
        // A waypoint stays with its chain, which the balanced placement kept as straight as it could.
        if (g.waypoint[v]) continue;
        const near = (down ? g.upper : g.lower)[v]!.map((u) => x[u]!).sort((a, b) => a - b);
        if (near.length === 0) continue;
        const [a, b] = [near[Math.floor((near.length - 1) / 2)]!, near[Math.ceil((near.length - 1) / 2)]!];
        const want = Math.abs(a - x[v]!) <= Math.abs(b - x[v]!) ? a : b;
        const from = i > 0 ? x[layer[i - 1]!]! + gapOf(layer[i - 1]!, v) : low + g.length[v]! / 2;
        const to =
          i + 1 < layer.length ? x[layer[i + 1]!]! - gapOf(v, layer[i + 1]!) : high - g.length[v]! / 2;
        if (from <= to) x[v] = Math.min(to, Math.max(from, want));
      }
    }
  }
}

/**
 * A balanced placement is drawn instead of the narrowest one only when it is at most this share of its
 * width: where every aligned placement drifts layer by layer into a staircase (bench/layout-quality.ts's
 * grid, the e2e's 123-task workspace), and not where the narrowest is already compact (pipeline, layered),
 * whose bends balancing would raise by a third.
 */
const BALANCED_MAX_SHARE = 0.75;

/**
 * Closes bands across the flow that no node and no edge crosses, down to NODE_GAP: the balanced
 * placement can leave one between parts of the graph that share no edge (a 3-task pipeline beside a
 * 120-task grid sat 400 px above it with nothing between). Everything past a band moves by the
 * same amount, so no order, gap or edge changes but its length.
 */
function closeEmptyBands(g: Indexed, x: Float64Array): void {
  const spans: [number, number][] = [];
  for (let v = 0; v < g.ids.length; v++) {
    spans.push([x[v]! - g.length[v]! / 2, x[v]! + g.length[v]! / 2]);
    for (const u of g.lower[v]!) spans.push([Math.min(x[u]!, x[v]!), Math.max(x[u]!, x[v]!)]);
  }
  spans.sort((a, b) => a[0] - b[0]);
  // Each band: where it ends (the next covered start) and how much is taken out of it.
  const bands: { end: number; cut: number }[] = [];
  let covered = -Infinity;
  for (const [start, end] of spans) {
    if (covered !== -Infinity && start - covered > NODE_GAP)
      bands.push({ end: start, cut: start - covered - NODE_GAP });
    covered = Math.max(covered, end);
  }
  if (bands.length === 0) return;
  for (let v = 0; v < x.length; v++) {
    let cut = 0;
    for (const band of bands) if (band.end <= x[v]! - g.length[v]! / 2 + 1e-9) cut += band.cut;
    x[v]! -= cut;
  }
}

/**
 * Cross-axis starts (centre minus half the length) for every node of `input.layers`, in their order:
 * the narrowest of the four placements across the flow, as elk chooses (its fixedAlignment NONE), or
 * their balanced median, straightened, where that is much narrower. The four are each as narrow as
 * their alignment allows (a block's start is the longest path of gaps before it, which no compaction
 * by classes can shorten); a staircase comes from the alignments, and only their median undoes it.
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
    const [low, high] = extent(g, x);
    return high - low;
  });
  const narrowest = width.indexOf(Math.min(...width));
  let best = four[narrowest]!;
  const median = balanced(g, four, narrowest);
  const [low, high] = extent(g, median);
  if (high - low <= BALANCED_MAX_SHARE * width[narrowest]! && separated(g, median)) {
    straighten(g, median, 2);
    closeEmptyBands(g, median);
    best = median;
  }
  return new Map(g.ids.map((id, v) => [id, best[v]! - g.length[v]! / 2]));
}
