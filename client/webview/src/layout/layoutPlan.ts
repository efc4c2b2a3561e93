// Which engine lays out a graph: our own layered layout (linear, at once) or elkjs (in a worker that
// loads for seconds, its time growing steeply with size and with many edges into one node). Thresholds
// are measured: bench/layout-quality.ts and bench/webview-layout.ts, results in BENCHMARKS.md.
import type { LayoutPreference } from '../messages';
import type { LayoutInput, Point } from './layoutGraph';

/**
 * elk is the person's choice (setting plumb.graph.layout, "elk"); by default our own layered layout
 * draws every graph. Up to 200 nodes ours draws elk's bends (0.91–1.06×), forced crossings (≤ 1.12×)
 * and no merged steps, at 1/10–1/50 of elk's CPU, while elk's worker must load before its first
 * layout: in a real VS Code a webview gets its 1.5 MB bundle through VS Code's resource loading, then
 * parses it (15 s at load 12, ours shown meanwhile with "Laying out…"). Even when chosen, elk lays
 * out a graph only up to this many nodes: past it elk is slower still (300 layered nodes: 25 s
 * against our 0.7 s, under load).
 */
export const ELK_MAX_NODES = 200;
/** …and as long as no node has more edges than this (a fan-in of 100 took elk 1 s, 400 took 15 s). */
export const ELK_MAX_DEGREE = 40;

/** Which engine lays out a graph. */
export type Engine = 'own' | 'elk';

/** Whether elk may lay out `input` at all: not too many nodes, no node with too many edges. */
function elkCanLayOut(input: LayoutInput): boolean {
  if (input.nodes.length > ELK_MAX_NODES) return false;
  const degree = new Map<string, number>();
  for (const e of input.edges) {
    for (const end of [e.source, e.target]) {
      const d = (degree.get(end) ?? 0) + 1;
      if (d > ELK_MAX_DEGREE) return false;
      degree.set(end, d);
    }
  }
  return true;
}

/**
 * An update of the picture whose nodes are `shown` (at least half of `input`'s nodes were there), not
 * another graph.
 */
export function updates(input: LayoutInput, shown: Record<string, unknown> | undefined): boolean {
  if (!shown) return false;
  const known = input.nodes.filter((n) => shown[n.id] !== undefined).length;
  return known > 0 && known * 2 >= input.nodes.length;
}

/**
 * The engine for `input` under the person's `preference`. An update of the picture at `seed` keeps
 * the engine that drew it (`previous`) while it may: the two engines draw the same graph differently,
 * so a graph would otherwise jump as a whole when one task is added.
 */
export function chooseEngine(
  input: LayoutInput,
  seed?: Record<string, Point>,
  previous?: Engine,
  preference: LayoutPreference = 'plumb',
): Engine {
  // Nothing to lay out (a run before its graph arrives): no job for a worker that may still be loading.
  if (preference === 'plumb' || input.nodes.length === 0 || !elkCanLayOut(input)) return 'own';
  if (previous && updates(input, seed)) return previous;
  return 'elk';
}

/** Whether a new graph (no previous picture) gets elk's layout. */
export function useElk(input: LayoutInput, preference: LayoutPreference = 'plumb'): boolean {
  return chooseEngine(input, undefined, undefined, preference) === 'elk';
}

/**
 * The input with its nodes in the order of the previous picture (elk keeps model order): known
 * nodes by their place across the flow, each new one right after the last known one before it.
 */
export function seededInput(input: LayoutInput, seed: Record<string, Point> | undefined): LayoutInput {
  if (!seed) return input;
  const cross = (p: Point) => (input.direction === 'DOWN' ? p.x : p.y);
  const rank = new Map<string, number>();
  let last = -Infinity;
  input.nodes.forEach((n, i) => {
    const known = seed[n.id];
    last = known ? cross(known) : last + 1e-6 * (i + 1);
    rank.set(n.id, last);
  });
  const nodes = [...input.nodes].sort((a, b) => rank.get(a.id)! - rank.get(b.id)!);
  return { ...input, nodes };
}
