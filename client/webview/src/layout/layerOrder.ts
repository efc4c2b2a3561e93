// The order of nodes within each layer, chosen to cut edge crossings: barycenter sweeps down and up,
// each followed by adjacent swaps that pay off (dot's "transpose"); the order with the fewest
// crossings seen is kept, as a later sweep can undo a better one.
import { layerCrossings } from './layerCrossings';

/** Reorders each layer by the mean position of its neighbours in `neighbours` (stable for ties). */
function sweep(layers: string[][], neighbours: Map<string, string[]>, forward: boolean): void {
  const position = new Map<string, number>();
  const order = forward ? layers : [...layers].reverse();
  for (const layer of order) {
    const here = new Set(layer);
    layer.forEach((id, i) => position.set(id, i / Math.max(1, layer.length - 1)));
    const key = new Map<string, number>();
    layer.forEach((id, i) => {
      const placed = neighbours.get(id)!.filter((n) => position.has(n) && !here.has(n));
      key.set(
        id,
        placed.length > 0
          ? placed.reduce((sum, n) => sum + position.get(n)!, 0) / placed.length
          : i / Math.max(1, layer.length - 1),
      );
    });
    layer.sort((a, b) => key.get(a)! - key.get(b)!);
    layer.forEach((id, i) => position.set(id, i / Math.max(1, layer.length - 1)));
  }
}

/** Passes of adjacent swaps after each sweep (each pass is linear in edges × degree). */
const TRANSPOSE_PASSES = 4;

/**
 * Swaps neighbouring nodes of a layer wherever that crosses fewer edges to the layers on both sides,
 * until no swap helps (or the passes run out).
 */
function transpose(layers: string[][], up: Map<string, string[]>, down: Map<string, string[]>): void {
  const pos = new Map<string, number>();
  const layerOf = new Map<string, number>();
  layers.forEach((layer, l) =>
    layer.forEach((id, i) => {
      pos.set(id, i);
      layerOf.set(id, l);
    }),
  );
  // Each node's neighbours in the layer before and the layer after (fixed while only the order changes).
  const sides = new Map<string, string[][]>();
  for (const [id, l] of layerOf) {
    const near = (list: string[] | undefined, at: number) =>
      (list ?? []).filter((n) => layerOf.get(n) === at);
    sides.set(id, [near(up.get(id), l - 1), near(down.get(id), l + 1)]);
  }
  /** Crossings between u's and v's edges on both sides when u comes first. */
  const crossing = (u: string[][], v: string[][]) => {
    let count = 0;
    for (let side = 0; side < 2; side++)
      for (const a of u[side]!) for (const b of v[side]!) if (pos.get(a)! > pos.get(b)!) count++;
    return count;
  };
  for (let pass = 0; pass < TRANSPOSE_PASSES; pass++) {
    let improved = false;
    for (const layer of layers) {
      for (let i = 0; i + 1 < layer.length; i++) {
        const [u, v] = [layer[i]!, layer[i + 1]!];
        const [su, sv] = [sides.get(u)!, sides.get(v)!];
        if (crossing(sv, su) < crossing(su, sv)) {
          [layer[i], layer[i + 1]] = [v, u];
          pos.set(v, i);
          pos.set(u, i + 1);
          improved = true;
        }
      }
    }
    if (!improved) break;
  }
}

/** One run of `sweeps` rounds from the order `layers` has: the best order seen and its crossings. */
function run(
  layers: string[][],
  up: Map<string, string[]>,
  down: Map<string, string[]>,
  sweeps: number,
): { order: string[][]; crossings: number } {
  let best = layers.map((layer) => [...layer]);
  let fewest = layerCrossings(layers, down);
  for (let i = 0; i < 2 * sweeps && fewest > 0; i++) {
    if (i % 2 === 0) sweep(layers, up, true);
    else sweep(layers, down, false);
    transpose(layers, up, down);
    const now = layerCrossings(layers, down);
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
  let best = run(
    layers.map((layer) => [...layer]),
    up,
    down,
    sweeps,
  );
  let state = 1;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  for (let r = 0; r < restarts && sweeps > 0 && best.crossings > 0; r++) {
    const shuffled = layers.map((layer) => {
      const copy = [...layer];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [copy[i], copy[j]] = [copy[j]!, copy[i]!];
      }
      return copy;
    });
    const next = run(shuffled, up, down, sweeps);
    if (next.crossings < best.crossings) best = next;
  }
  best.order.forEach((layer, i) => (layers[i] = layer));
}
