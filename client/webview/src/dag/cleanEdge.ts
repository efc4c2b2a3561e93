// Where a readable fit of a graph too big for the screen starts, on one axis, so that no node is cut
// at the view's start edge: the view begins in a gap between nodes, as a scrolled page begins at a
// line, never half-way through one. Pure.

/** A node's extent on one axis, in graph coordinates. */
export interface Span {
  start: number;
  end: number;
}

/** The union of `spans`, sorted: touching spans merge, a point on a boundary is outside them all. */
function merged(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const out: Span[] = [];
  for (const span of sorted) {
    const last = out[out.length - 1];
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else out.push({ ...span });
  }
  return out;
}

/** Whether graph coordinate `at` lies strictly inside a span (a view edge there cuts a node). */
function cuts(union: Span[], at: number): boolean {
  let low = 0;
  let high = union.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const span = union[mid]!;
    if (at <= span.start + 0.5) high = mid - 1;
    else if (at >= span.end - 0.5) low = mid + 1;
    else return true;
  }
  return false;
}

export interface AxisFit {
  /** The screen's length on this axis and the fit's zoom and padding. */
  screen: number;
  zoom: number;
  padding: number;
  /**
   * The offset the fit would like (interest centred, clamped so that neither end of the graph leaves
   * empty space: at most `padding`, at least `lowest`).
   */
  wanted: number;
  lowest: number;
  /** What must stay wholly in view when it can (the task of interest and the neighbours that fit). */
  target?: Span;
}

/**
 * The offset (screen = graph * zoom + offset) nearest `wanted` whose start edge cuts no node of
 * `spans`: a node there is either wholly in view or wholly out of it. Among those, one keeping
 * `target` wholly in view wins, then one leaving no empty space past the graph's end, then one whose
 * far edge cuts nothing either (not always possible: nodes of several layers rarely end together).
 * The graph's own start always qualifies, so there is always an answer; without spans, `wanted`.
 */
export function cleanOffset(spans: Span[], fit: AxisFit): number {
  const { screen, zoom, padding, wanted, lowest, target } = fit;
  if (spans.length === 0) return wanted;
  const union = merged(spans);
  const startCut = (offset: number) => cuts(union, -offset / zoom);
  const candidates = [padding, lowest];
  for (const span of union) {
    // The node starting at the padding; where the gap before it is narrower than the padding, flush
    // with the edge; or the edge just past a node, the next beginning after the gap.
    const padded = padding - span.start * zoom;
    candidates.push(startCut(padded) ? -span.start * zoom : padded, -span.end * zoom);
  }
  let best: { offset: number; score: number[] } | undefined;
  for (const offset of candidates) {
    if (offset > padding + 0.01 || startCut(offset)) continue;
    const holdsTarget =
      !target || (target.start * zoom + offset >= -0.5 && target.end * zoom + offset <= screen + 0.5);
    const farClean = !cuts(union, (screen - offset) / zoom);
    // Empty space after the graph's end (past `lowest`) only when nothing else shows the target whole.
    const pastEnd = offset < lowest - 0.01;
    const score = [holdsTarget ? 0 : 1, pastEnd ? 1 : 0, farClean ? 0 : 1, Math.abs(offset - wanted)];
    if (!best || isBefore(score, best.score)) best = { offset, score };
  }
  return best?.offset ?? Math.min(padding, wanted);
}

function isBefore(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}
