// Corridors for long edges that get no waypoints (past the waypoint cap): for each, a line along the
// flow, across every layer it skips, that no node of those layers covers; the edge steps onto it in the
// gap after its source and off it in the gap before its target, so it never runs across a node.

/** A long edge without waypoints: its layers and where it would like to run across the flow. */
export interface Span {
  id: string;
  /** The source's layer and the target's (at least two apart). */
  from: number;
  to: number;
  /** The cross-axis line it would run on, could it go straight (e.g. its source's centre). */
  want: number;
}

/** Clearance from a node's side (px): more than the 2 px an edge along a border is allowed. */
const CLEARANCE = 4;

/** Between two corridors outside the picture (as between two lanes). */
const TRACK_SPACING = 8;

/**
 * The cross-axis line of each span. `occupied[l]` lists layer l's nodes as [low, high] across the flow,
 * sorted by low. A line free in all the skipped layers and nearest to `want` is taken; where the
 * skipped layers leave none (packed layers shifted apart usually cover every line between them), the
 * edge runs outside the picture, on a track of its own beside the others it overlaps along the flow
 * (interval colouring), on the side nearer to `want`. Linear in the layers each span skips.
 */
export function corridors(spans: Span[], occupied: [number, number][][]): Map<string, number> {
  const result = new Map<string, number>();
  let [low, high] = [Infinity, -Infinity];
  for (const layer of occupied)
    for (const [a, b] of layer) [low, high] = [Math.min(low, a), Math.max(high, b)];
  const outside: { span: Span; above: boolean }[] = [];
  for (const span of spans) {
    const covered: [number, number][] = [];
    for (let l = span.from + 1; l < span.to; l++)
      for (const [a, b] of occupied[l] ?? []) covered.push([a - CLEARANCE, b + CLEARANCE]);
    covered.sort((x, y) => x[0] - y[0]);
    // Free stretches strictly inside the covered range: between merged runs of covered intervals.
    let best: number | undefined;
    let end = -Infinity;
    const consider = (from: number, to: number) => {
      const at = Math.min(Math.max(span.want, from), to);
      if (best === undefined || Math.abs(at - span.want) < Math.abs(best - span.want)) best = at;
    };
    for (const [a, b] of covered) {
      if (end > -Infinity && a > end) consider(end, a);
      end = Math.max(end, b);
    }
    if (covered.length === 0) best = span.want;
    if (best !== undefined) result.set(span.id, best);
    else outside.push({ span, above: span.want - low < high - span.want });
  }
  // Outside tracks, by interval colouring along the flow: a track is reused once its last span ended.
  for (const above of [true, false]) {
    const ends: number[] = [];
    const mine = outside.filter((o) => o.above === above).sort((x, y) => x.span.from - y.span.from);
    for (const { span } of mine) {
      let track = ends.findIndex((last) => last <= span.from);
      if (track < 0) track = ends.push(0) - 1;
      ends[track] = span.to;
      const offset = CLEARANCE + TRACK_SPACING * (track + 1);
      result.set(span.id, above ? low - offset : high + offset);
    }
  }
  return result;
}
