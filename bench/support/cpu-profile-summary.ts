// Sums a V8 CPU profile (Chrome DevTools Protocol, Profiler.stop) into self time by where the code
// came from and by function, so a benchmark can say where a page's main thread spent its time.

export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples?: number[];
  timeDeltas?: number[];
}

/** Self time in ms, added into `byKey` under `keyOf(node's call frame)`. */
export function addSelfTime(
  profile: CpuProfile,
  keyOf: (frame: CpuProfile['nodes'][number]['callFrame']) => string,
  byKey: Map<string, number>,
): void {
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    // A sample's time is the gap to the next one (the last sample has none to measure).
    const ms = (deltas[i + 1] ?? 0) / 1000;
    const key = keyOf(frames.get(samples[i]!)!);
    byKey.set(key, (byKey.get(key) ?? 0) + ms);
  }
}

/** The largest entries, as `[key, ms]`, biggest first. */
export function largest(byKey: Map<string, number>, n: number): [string, number][] {
  return [...byKey].sort((a, b) => b[1] - a[1]).slice(0, n);
}
