// Corridors for long edges that get no waypoints (past the waypoint cap): for each, a line along the
// flow, across every layer it skips, that no node of those layers covers; the edge steps onto it in the
// gap after its source and off it in the gap before its target, so it never runs across a node.

/** A long edge without waypoints: its layers and where it would like to run across the flow. */
export interface Span {
  id: string;
  /** Its source: corridors of one source may share a line (they leave it as one, like a lane). */
  source: string;
  /** The source's layer and the target's (at least two apart). */
  from: number;
  to: number;
  /** The cross-axis line it would run on, could it go straight (e.g. its source's centre). */
  want: number;
}

/** Clearance from a node's side (px): more than the 2 px an edge along a border is allowed. */
const CLEARANCE = 4;

/**
 * Between two corridors outside the picture: closer than two lanes (8 px), as the lanes of an overview
 * share their gap; at 8 px the tracks took pipeline 2,000 from 1,313 to 4,825 px across the flow.
 */
const TRACK_SPACING = 4;

/** Least distance between two corridors that overlap along the flow, so they do not merge on screen. */
const APART = 4;

/** Lines taken so far, by rounded position: the layer ranges of the corridors on each. */
class Taken {
  private readonly lines = new Map<number, [number, number, string][]>();
  free(at: number, span: Span): boolean {
    for (let k = Math.ceil(at - APART) + 1; k < at + APART; k++)
      for (const [from, to, source] of this.lines.get(k) ?? [])
        if (source !== span.source && from < span.to && span.from < to) return false;
    return true;
  }
  take(at: number, span: Span): void {
    const k = Math.round(at);
    (this.lines.get(k) ?? this.lines.set(k, []).get(k)!).push([span.from, span.to, span.source]);
  }
}

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
  const taken = new Taken();
  for (const span of spans) {
    const covered: [number, number][] = [];
    for (let l = span.from + 1; l < span.to; l++)
      for (const [a, b] of occupied[l] ?? []) covered.push([a - CLEARANCE, b + CLEARANCE]);
    covered.sort((x, y) => x[0] - y[0]);
    // Free stretches strictly inside the covered range: between merged runs of covered intervals.
    const stretches: [number, number][] = covered.length === 0 ? [[span.want, span.want]] : [];
    let end = -Infinity;
    for (const [a, b] of covered) {
      if (end > -Infinity && a > end) stretches.push([end, a]);
      end = Math.max(end, b);
    }
    const distance = ([a, b]: [number, number]) => Math.max(0, a - span.want, span.want - b);
    stretches.sort((x, y) => distance(x) - distance(y));
    // The nearest line no corridor overlapping along the flow has taken: the point nearest `want` in
    // each stretch, then steps of APART to either side while the stretch lasts.
    let best: number | undefined;
    for (const [a, b] of stretches) {
      const at = Math.min(Math.max(span.want, a), b);
      for (let k = 0; best === undefined && k <= (b - a) / APART; k++)
        for (const line of [at + k * APART, at - k * APART])
          if (best === undefined && line >= a && line <= b && taken.free(line, span)) best = line;
      if (best !== undefined) break;
    }
    if (best !== undefined) {
      result.set(span.id, best);
      taken.take(best, span);
    } else outside.push({ span, above: span.want - low < high - span.want });
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
