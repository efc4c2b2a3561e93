// Turns an edge's polyline into an SVG path with rounded corners, and finds where to put its arrow.
import type { Point } from '../layout/layoutGraph';

function round(n: number): string {
  return String(Math.round(n * 10) / 10);
}

/** An SVG path through `points` whose bends are rounded with radius up to `radius`. */
export function roundedPath(points: Point[], radius = 6): string {
  const first = points[0];
  if (!first) return '';
  let d = `M${round(first.x)},${round(first.y)}`;
  for (let i = 1; i < points.length; i++) {
    const p = points[i]!;
    const next = points[i + 1];
    if (!next) {
      d += ` L${round(p.x)},${round(p.y)}`;
      break;
    }
    const prev = points[i - 1]!;
    const inLen = Math.hypot(p.x - prev.x, p.y - prev.y);
    const outLen = Math.hypot(next.x - p.x, next.y - p.y);
    const r = Math.min(radius, inLen / 2, outLen / 2);
    if (r <= 0.5) {
      d += ` L${round(p.x)},${round(p.y)}`;
      continue;
    }
    const a = { x: p.x - ((p.x - prev.x) / inLen) * r, y: p.y - ((p.y - prev.y) / inLen) * r };
    const b = { x: p.x + ((next.x - p.x) / outLen) * r, y: p.y + ((next.y - p.y) / outLen) * r };
    d += ` L${round(a.x)},${round(a.y)} Q${round(p.x)},${round(p.y)} ${round(b.x)},${round(b.y)}`;
  }
  return d;
}
