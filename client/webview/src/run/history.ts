// Durations over past runs, as numbers the history view draws: sparkline points, trend, share of a
// run. Pure. Duration lists come newest first, like the run list (messages.ts, run-history).

/** SVG polyline points for `newestFirst` durations, drawn oldest on the left, scaled to the box. */
export function sparklinePoints(newestFirst: number[], width: number, height: number): string {
  const values = [...newestFirst].reverse();
  if (values.length === 0) return '';
  const max = Math.max(...values);
  const min = Math.min(...values);
  const range = max - min || 1;
  const stepX = values.length > 1 ? width / (values.length - 1) : 0;
  return values
    .map((v, i) => {
      const x = values.length > 1 ? i * stepX : width / 2;
      // A flat series is drawn in the middle, not on the floor.
      const y = max === min ? height / 2 : height - ((v - min) / range) * height;
      return `${round(x)},${round(y)}`;
    })
    .join(' ');
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export type Trend = 'slower' | 'faster' | 'steady' | 'new';

/**
 * The latest run against the median of the ones before it: more than `tolerance` (default 20%)
 * away counts as a change, so ordinary jitter reads as steady.
 */
export function durationTrend(newestFirst: number[], tolerance = 0.2): Trend {
  const [latest, ...before] = newestFirst;
  if (latest === undefined || before.length === 0) return 'new';
  const base = median(before);
  if (base <= 0) return latest > 0 ? 'slower' : 'steady';
  const ratio = latest / base;
  if (ratio > 1 + tolerance) return 'slower';
  if (ratio < 1 - tolerance) return 'faster';
  return 'steady';
}

/** A task's share of a run's wall-clock time, 0..1 (tasks that ran in parallel can add up past 1). */
export function shareOfRun(taskMs: number, runMs: number): number {
  if (runMs <= 0) return 0;
  return Math.min(1, Math.max(0, taskMs / runMs));
}

/** Families ordered by their latest duration, slowest first: the bottlenecks at the top. */
export function slowestFirst(
  durations: Record<string, number[]>,
): { family: string; latest: number; values: number[] }[] {
  return Object.entries(durations)
    .filter(([, values]) => values.length > 0)
    .map(([family, values]) => ({ family, latest: values[0]!, values }))
    .sort((a, b) => b.latest - a.latest || a.family.localeCompare(b.family));
}
