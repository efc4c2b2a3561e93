// Durations over past runs, as numbers the history view and the run's nodes draw: sparkline points,
// trend, share of a run. Pure. Duration lists come oldest first, per task id, as the host sends
// them in `run-history` (client/src/runHistory.ts): a trend reads left to right.

/** SVG polyline points for `oldestFirst` durations, scaled to the box; the slowest run at the top. */
export function sparklinePoints(oldestFirst: number[], width: number, height: number): string {
  if (oldestFirst.length === 0) return '';
  const max = Math.max(...oldestFirst);
  const min = Math.min(...oldestFirst);
  const range = max - min || 1;
  const stepX = oldestFirst.length > 1 ? width / (oldestFirst.length - 1) : 0;
  return oldestFirst
    .map((v, i) => {
      const x = oldestFirst.length > 1 ? i * stepX : width / 2;
      // A flat series is drawn in the middle, not on the floor.
      const y = max === min ? height / 2 : height - ((v - min) / range) * height;
      return `${round(x)},${round(y)}`;
    })
    .join(' ');
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export type Trend = 'slower' | 'faster' | 'steady' | 'new';

/**
 * A duration against the median of `past` ones: more than `tolerance` (default 20%) away counts
 * as a change, so ordinary jitter reads as steady.
 */
export function compareToUsual(ms: number, past: number[], tolerance = 0.2): Trend {
  if (past.length === 0) return 'new';
  const usual = median(past);
  if (usual <= 0) return ms > 0 ? 'slower' : 'steady';
  const ratio = ms / usual;
  if (ratio > 1 + tolerance) return 'slower';
  if (ratio < 1 - tolerance) return 'faster';
  return 'steady';
}

/** The latest run (the last value) against the runs before it. */
export function durationTrend(oldestFirst: number[], tolerance = 0.2): Trend {
  const latest = oldestFirst.at(-1);
  if (latest === undefined) return 'new';
  return compareToUsual(latest, oldestFirst.slice(0, -1), tolerance);
}

/** A task's share of a run's wall-clock time, 0..1 (tasks that ran in parallel can add up past 1). */
export function shareOfRun(taskMs: number, runMs: number): number {
  if (runMs <= 0) return 0;
  return Math.min(1, Math.max(0, taskMs / runMs));
}

/** Tasks ordered by their latest duration, slowest first: the bottlenecks at the top. */
export function slowestFirst(
  durations: Record<string, number[]>,
): { taskId: string; latest: number; values: number[] }[] {
  return Object.entries(durations)
    .filter(([, values]) => values.length > 0)
    .map(([taskId, values]) => ({ taskId, latest: values.at(-1)!, values }))
    .sort((a, b) => b.latest - a.latest || a.taskId.localeCompare(b.taskId));
}
