// The order of nodes within each layer, chosen to cut edge crossings: barycenter sweeps down and up,
// each followed by adjacent swaps that pay off (dot's "transpose"); the order with the fewest
// crossings seen is kept, as a later sweep can undo a better one. On integer indices and typed arrays:
// with the waypoints of long edges a 1,000-task pipeline orders some 19,000 nodes.

/** The layering as indices: neighbours in any layer (the sweeps) and in the adjacent ones (swaps, count). */
interface Indexed {
  ids: string[];
  layerOf: Int32Array;
  upAll: number[][];
  downAll: number[][];
  /** Neighbours in the layer before / after (repeats kept: a repeated edge crosses twice). */
  upper: number[][];
  lower: number[][];
}

function indexed(layers: string[][], up: Map<string, string[]>, down: Map<string, string[]>): Indexed {
  const ids = layers.flat();
  const index = new Map(ids.map((id, i) => [id, i]));
  const layerOf = new Int32Array(ids.length);
  let k = 0;
  layers.forEach((layer, l) => layer.forEach(() => (layerOf[k++] = l)));
  const list = (of: Map<string, string[]>, id: string) =>
    (of.get(id) ?? []).flatMap((n) => {
      const j = index.get(n);
      return j === undefined ? [] : [j];
    });
  const upAll = ids.map((id) => list(up, id));
  const downAll = ids.map((id) => list(down, id));
  const upper = upAll.map((ns, i) => ns.filter((j) => layerOf[j] === layerOf[i]! - 1));
  const lower = downAll.map((ns, i) => ns.filter((j) => layerOf[j] === layerOf[i]! + 1));
  return { ids, layerOf, upAll, downAll, upper, lower };
}

/** Reorders each layer by the mean position of its neighbours in `neighbours` (stable for ties). */
function sweep(g: Indexed, layers: number[][], neighbours: number[][], forward: boolean): void {
  // Relative position (0..1) in its layer of each node already swept; NaN before.
  const position = new Float64Array(g.ids.length).fill(NaN);
  const key = new Float64Array(g.ids.length);
  for (let s = 0; s < layers.length; s++) {
    const layer = layers[forward ? s : layers.length - 1 - s]!;
    const scale = Math.max(1, layer.length - 1);
    const here = g.layerOf[layer[0] ?? 0]!;
    layer.forEach((id, i) => {
      let sum = 0;
      let placed = 0;
      for (const n of neighbours[id]!) {
        if (Number.isNaN(position[n]!) || g.layerOf[n] === here) continue;
        sum += position[n]!;
        placed++;
      }
      key[id] = placed > 0 ? sum / placed : i / scale;
    });
    layer.sort((a, b) => key[a]! - key[b]!);
    layer.forEach((id, i) => (position[id] = i / scale));
  }
}

/** Passes of adjacent swaps after each sweep (each pass is linear in edges × degree). */
const TRANSPOSE_PASSES = 4;

/**
 * Swaps neighbouring nodes of a layer wherever that crosses fewer edges to the layers on both sides,
 * until no swap helps (or the passes run out).
 */
function transpose(g: Indexed, layers: number[][]): void {
  const pos = new Int32Array(g.ids.length);
  for (const layer of layers) layer.forEach((id, i) => (pos[id] = i));
  /** Crossings between u's and v's edges on both sides when u comes first. */
  const crossing = (u: number, v: number) => {
    let count = 0;
    for (const a of g.upper[u]!) for (const b of g.upper[v]!) if (pos[a]! > pos[b]!) count++;
    for (const a of g.lower[u]!) for (const b of g.lower[v]!) if (pos[a]! > pos[b]!) count++;
    return count;
  };
  for (let pass = 0; pass < TRANSPOSE_PASSES; pass++) {
    let improved = false;
    for (const layer of layers) {
      for (let i = 0; i + 1 < layer.length; i++) {
        const [u, v] = [layer[i]!, layer[i + 1]!];
        if (crossing(v, u) < crossing(u, v)) {
          [layer[i], layer[i + 1]] = [v, u];
          pos[v] = i;
          pos[u] = i + 1;
          improved = true;
        }
      }
    }
    if (!improved) break;
  }
}

/** Crossings between adjacent layers, as layerCrossings counts them (inversions, Fenwick tree). */
function crossings(g: Indexed, layers: number[][]): number {
  const pos = new Int32Array(g.ids.length);
  for (const layer of layers) layer.forEach((id, i) => (pos[id] = i));
  let total = 0;
  for (let l = 0; l + 1 < layers.length; l++) {
    const size = layers[l + 1]!.length;
    const tree = new Int32Array(size + 1);
    let k = 0;
    for (const id of layers[l]!) {
      const ends = g.lower[id]!.map((n) => pos[n]!).sort((a, b) => a - b);
      for (const end of ends) {
        // Earlier edges whose lower end is strictly after this one's.
        let atOrBefore = 0;
        for (let i = end + 1; i > 0; i -= i & -i) atOrBefore += tree[i]!;
        total += k - atOrBefore;
        for (let i = end + 1; i <= size; i += i & -i) tree[i]!++;
        k++;
      }
    }
  }
  return total;
}

/** One run of `sweeps` rounds from the order `layers` has: the best order seen and its crossings. */
function run(g: Indexed, layers: number[][], sweeps: number): { order: number[][]; crossings: number } {
  let best = layers.map((layer) => [...layer]);
  let fewest = crossings(g, layers);
  for (let i = 0; i < 2 * sweeps && fewest > 0; i++) {
    if (i % 2 === 0) sweep(g, layers, g.upAll, true);
    else sweep(g, layers, g.downAll, false);
    transpose(g, layers);
    const now = crossings(g, layers);
    if (now < fewest) [best, fewest] = [layers.map((layer) => [...layer]), now];
  }
  return { order: best, crossings: fewest };
}

/**
 * Orders `layers` in place with `sweeps` rounds (0: the input order stays), from the input order
 * and from `restarts` shuffled ones (seeded: the same graph always gets the same order), as elk does:
 * sweeps settle near their start, and another start often settles lower.
 */
export function orderLayers(
  layers: string[][],
  up: Map<string, string[]>,
  down: Map<string, string[]>,
  sweeps: number,
  restarts = 0,
): void {
  const g = indexed(layers, up, down);
  let k = 0;
  const start = layers.map((layer) => layer.map(() => k++));
  let best = run(
    g,
    start.map((layer) => [...layer]),
    sweeps,
  );
  let state = 1;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  for (let r = 0; r < restarts && sweeps > 0 && best.crossings > 0; r++) {
    const shuffled = start.map((layer) => {
      const copy = [...layer];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [copy[i], copy[j]] = [copy[j]!, copy[i]!];
      }
      return copy;
    });
    const next = run(g, shuffled, sweeps);
    if (next.crossings < best.crossings) best = next;
  }
  best.order.forEach((layer, i) => (layers[i] = layer.map((id) => g.ids[id]!)));
}
