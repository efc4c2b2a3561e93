// Lanes in the gap between two layers: each source's step across the flow gets its own line, so
// overlapping steps of different edges never merge on screen (elk's layer-sweep edge routing does the same).

/** One edge's step in a gap, in cross-axis coordinates: from the source's centre to the target's. */
export interface Step {
  /** The box the step leaves (a node or a waypoint): steps of one source share a lane (a hyperedge). */
  source: string;
  from: number;
  to: number;
}

export interface Lanes {
  /** Lane of each source's steps, 0 nearest the sources' layer. */
  laneOf: Map<string, number>;
  /** How many lanes the gap needs. */
  count: number;
}

/** Least distance between two lanes (px), so two steps stay apart to the eye. */
export const LANE_SPACING = 8;

/**
 * Least distance between two lanes of an overview (a graph above ALIGNED_MAX_NODES): closer than
 * LANE_SPACING so the picture keeps its length along the flow, but never so close that two steps
 * are drawn on one line (a 40 px gap holding 80 lanes put them half a pixel apart).
 */
export const OVERVIEW_LANE_SPACING = 2;

interface Group {
  source: string;
  at: number;
  low: number;
  high: number;
  down: boolean;
}

/**
 * Lanes for the steps of one gap. Groups going down the cross axis come first, each later than those
 * that start further down (two overlapping downward steps then do not cross where the other order
 * crosses twice); upward groups mirror that. Each group takes the first lane after every earlier group
 * it overlaps, so steps that do not overlap share a lane and the gap widens only where they do.
 */
export function assignLanes(steps: Step[]): Lanes {
  const groups = new Map<string, Group>();
  const drift = new Map<string, number>();
  for (const s of steps) {
    if (Math.abs(s.to - s.from) < 0.5) continue;
    const g = groups.get(s.source);
    if (g) {
      g.low = Math.min(g.low, s.to);
      g.high = Math.max(g.high, s.to);
    } else
      groups.set(s.source, {
        source: s.source,
        at: s.from,
        low: Math.min(s.from, s.to),
        high: Math.max(s.from, s.to),
        down: false,
      });
    drift.set(s.source, (drift.get(s.source) ?? 0) + s.to - s.from);
  }
  for (const g of groups.values()) g.down = drift.get(g.source)! > 0;
  const order = [...groups.values()].sort((a, b) =>
    a.down !== b.down ? (a.down ? -1 : 1) : a.down ? b.at - a.at : a.at - b.at,
  );
  const laneOf = new Map<string, number>();
  let count = 0;
  // Quadratic in the gap's groups: a gap of a readable graph holds few, and the ordering costs more.
  const placed: Group[] = [];
  for (const g of order) {
    let lane = 0;
    for (const p of placed)
      if (p.low <= g.high + 1 && g.low <= p.high + 1) lane = Math.max(lane, laneOf.get(p.source)! + 1);
    laneOf.set(g.source, lane);
    count = Math.max(count, lane + 1);
    placed.push(g);
  }
  return { laneOf, count };
}

/** The gap's width along the flow: `minimum`, or wider when its lanes need more room. */
export function gapWidth(lanes: number, minimum: number, spacing = LANE_SPACING): number {
  return Math.max(minimum, (lanes + 1) * spacing);
}

/** Where lane `lane` of `lanes` lies in a gap of `width`, from the gap's start: spread evenly. */
export function laneOffset(lane: number, lanes: number, width: number): number {
  return (width * (lane + 1)) / (lanes + 1);
}
