// A rough layered layout computed at once on the main thread: what the canvas shows while elkjs
// (in its worker, slow to start the first time) computes the real one, so a graph is never blank.
import { layeredLayout } from './layered';
import type { LayoutInput, LayoutResult, Point } from './layoutGraph';

/** Columns (rows when DOWN) by longest path from the sources, a cheap crossing-reducing order. */
export function quickLayout(input: LayoutInput, seed?: Record<string, Point>): LayoutResult {
  return layeredLayout(input, { sweeps: 2, seed });
}
