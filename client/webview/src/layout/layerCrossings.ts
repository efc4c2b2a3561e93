// How many edge crossings an ordered layering forces: between each two adjacent layers, the pairs of
// edges whose ends are in opposite orders (counted with a Fenwick tree, E log V), whatever the drawing.

/** Crossings between adjacent layers of `layers` (edges to other layers are not counted). */
export function layerCrossings(layers: string[][], down: Map<string, string[]>): number {
  let total = 0;
  for (let l = 0; l + 1 < layers.length; l++) {
    const below = new Map(layers[l + 1]!.map((id, i) => [id, i]));
    // Edges in order of their upper end, then lower end; crossings = inversions of the lower ends.
    const ends: number[] = [];
    for (const id of layers[l]!) {
      const mine = (down.get(id) ?? []).flatMap((n) => {
        const at = below.get(n);
        return at === undefined ? [] : [at];
      });
      ends.push(...mine.sort((a, b) => a - b));
    }
    const size = layers[l + 1]!.length;
    const tree = new Int32Array(size + 1);
    for (let k = 0; k < ends.length; k++) {
      // Earlier edges whose lower end is strictly after this one's.
      let atOrBefore = 0;
      for (let i = ends[k]! + 1; i > 0; i -= i & -i) atOrBefore += tree[i]!;
      total += k - atOrBefore;
      for (let i = ends[k]! + 1; i <= size; i += i & -i) tree[i]!++;
    }
  }
  return total;
}
