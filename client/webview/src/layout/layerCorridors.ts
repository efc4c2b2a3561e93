// Corridors for long edges that get no waypoints in the ordering (past the waypoint cap): for each, a
// line in every layer it skips that no node of that layer covers, changing line only in the gaps
// between layers, so the edge never runs across a node.

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

/** Least distance between two corridors of different sources in a layer, so they do not merge on screen. */
const APART = 4;

/**
 * How much further than the nearest free line a jog may go, for a line that stays free longer (px).
 * Bench pipeline 1,000, forced crossings / bends: nearest always 33,500 / 10,536; 200 px 31,795 /
 * 8,771; the longest-lasting line anywhere 38,574 / 6,709 (far lines cross more edges on the way).
 */
const REACH = 200;

/** Lines taken in one layer, by rounded position: the sources of the corridors on each. */
class TakenInLayer {
  private readonly lines = new Map<number, string[]>();
  free(at: number, source: string): boolean {
    for (let k = Math.ceil(at - APART) + 1; k < at + APART; k++)
      for (const other of this.lines.get(k) ?? []) if (other !== source) return false;
    return true;
  }
  take(at: number, source: string): void {
    const k = Math.round(at);
    (this.lines.get(k) ?? this.lines.set(k, []).get(k)!).push(source);
  }
}

/**
 * A corridor that may jog between layers: for each span, one line in every layer it skips (from + 1 to
 * to - 1), each free of that layer's nodes and APART from other sources' lines there: the line before
 * it (the first: `want`) while that stays free, else, of the free lines within REACH of the nearest,
 * the one that stays free for the most layers after (a jog costs two bends). It changes line only in a gap, as a waypoint chain's step, so
 * it never runs across a node, and it needs no line free in all its layers at once: beside a narrow
 * layer there is room inside the picture, where a straight corridor had to go outside it (pipeline
 * 2,000: 1,313 -> 3,037 px across the flow) and cross every edge on its way out and back.
 * `occupied[l]` lists layer l's nodes as [low, high] across the flow, sorted by low.
 */
export function corridorLines(spans: Span[], occupied: [number, number][][]): Map<string, number[]> {
  // Free stretches of each layer, the outer two unbounded.
  const stretches = occupied.map((layer) => {
    const free: [number, number][] = [];
    let end = -Infinity;
    for (const [a, b] of layer) {
      if (a - CLEARANCE >= end) free.push([end, a - CLEARANCE]);
      end = Math.max(end, b + CLEARANCE);
    }
    free.push([end, Infinity]);
    return free;
  });
  const taken = occupied.map(() => new TakenInLayer());
  const covered = (l: number, line: number) =>
    occupied[l]!.some(([a, b]) => line > a - CLEARANCE && line < b + CLEARANCE);
  const result = new Map<string, number[]>();
  for (const span of spans) {
    const lines: number[] = [];
    let want = span.want;
    // How many layers from l on `line` stays free: a jog goes where the edge can stay longest.
    const run = (l: number, line: number) => {
      let m = l;
      while (m < span.to && !covered(m, line) && taken[m]!.free(line, span.source)) m++;
      return m - l;
    };
    for (let l = span.from + 1; l < span.to; l++) {
      const found: { line: number; off: number }[] = [];
      for (const [a, b] of stretches[l] ?? [[-Infinity, Infinity]]) {
        const at = Math.min(Math.max(want, a), b);
        // The nearest free line in this stretch: steps of APART away from `at`.
        for (let k = 0; at + k * APART <= b || at - k * APART >= a; k++) {
          const line = [at + k * APART, at - k * APART].find(
            (x) => x >= a && x <= b && taken[l]!.free(x, span.source),
          );
          if (line === undefined) continue;
          found.push({ line, off: Math.abs(line - want) });
          break;
        }
      }
      // Of the lines near the nearest, the one that lasts longest (fewer jogs; further ones cross more).
      const nearest = Math.min(...found.map((f) => f.off));
      let [best, bestRun, distance] = [want, -1, Infinity];
      for (const { line, off } of found) {
        if (off > nearest + REACH) continue;
        const length = run(l, line);
        if (length > bestRun || (length === bestRun && off < distance))
          [best, bestRun, distance] = [line, length, off];
      }
      // Straight on while the line lasts.
      for (let m = l; m < l + Math.max(1, bestRun) && m < span.to; m++) {
        taken[m]!.take(best, span.source);
        lines.push(best);
      }
      l += Math.max(1, bestRun) - 1;
      want = best;
    }
    result.set(span.id, lines);
  }
  return result;
}
