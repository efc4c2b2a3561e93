// Counts pairs of edge steps that lie on one line across the flow and overlap: drawn, they merge into
// one, and a reader cannot tell which edge goes where. Steps leaving one source may share (a hyperedge).
import type { LayoutInput, LayoutResult, Point } from '../../../../client/webview/src/layout/layoutGraph';

interface Segment {
  /** Who may share the line: the edge's source on its first step, else the edge itself. */
  owner: string;
  at: number;
  low: number;
  high: number;
}

/** Pairs of overlapping steps (segments across the flow) of different owners, as "edge/edge" strings. */
export function stepOverlaps(input: LayoutInput, result: LayoutResult): string[] {
  const down = (input.direction ?? 'RIGHT') === 'DOWN';
  const across = (p: Point) => (down ? p.x : p.y);
  const alongOf = (p: Point) => (down ? p.y : p.x);
  const segments: (Segment & { edge: string })[] = [];
  for (const e of input.edges) {
    const points = result.edges[e.id];
    if (!points) continue;
    let first = true;
    for (let i = 1; i < points.length; i++) {
      const [a, b] = [points[i - 1]!, points[i]!];
      if (Math.abs(alongOf(a) - alongOf(b)) >= 0.5 || Math.abs(across(a) - across(b)) < 0.5) continue;
      segments.push({
        edge: e.id,
        owner: first ? e.source : e.id,
        at: alongOf(a),
        low: Math.min(across(a), across(b)),
        high: Math.max(across(a), across(b)),
      });
      first = false;
    }
  }
  // Sorted by line then start, each segment meets only those after it on its line that start before it ends.
  segments.sort((s, t) => s.at - t.at || s.low - t.low);
  const found: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    for (let j = i + 1; j < segments.length; j++) {
      const t = segments[j]!;
      if (t.at - s.at >= 0.5 || t.low >= s.high) break;
      if (t.owner !== s.owner) found.push(`${s.edge}/${t.edge}`);
    }
  }
  return found;
}
