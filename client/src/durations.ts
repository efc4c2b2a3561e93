// Typical durations per task family from past runs: the median of its time per run, its share of
// the run, a slow latest run (over twice the median) and the trend. Time paused in the debugger is
// taken out. Pure: the run logs are read elsewhere (durationsHistory.ts).
import { formatDuration, formatShare } from '../webview/src/graph/durationText';
import type { NodeDuration } from '../webview/src/messages';

/** One task that ran to its end: when it ended (the task-done event's time) and for how long. */
export interface TaskTiming {
  taskId: string;
  endedAt: number;
  durationMs: number;
}

export interface RunTimings {
  runId: string;
  startedAt: number;
  tasks: TaskTiming[];
}

/** Debugger pauses per run id: [start, end] wall-clock ms (pauseLog.ts). */
export type Pauses = Record<string, [number, number][]>;

/** A latest run over this many times the median is marked slow. */
export const SLOW_FACTOR = 2;
/** Below this many runs there is no median worth comparing against. */
export const MIN_RUNS_FOR_SLOW = 3;

export function familyOf(taskId: string): string {
  const at = taskId.indexOf('(');
  return at < 0 ? taskId : taskId.slice(0, at);
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The task's time minus the debugger pauses that overlap it (never below 0). */
export function activeMs(task: TaskTiming, pauses: readonly [number, number][] = []): number {
  const start = task.endedAt - task.durationMs;
  let paused = 0;
  for (const [from, to] of pauses) paused += Math.max(0, Math.min(to, task.endedAt) - Math.max(from, start));
  return Math.max(0, task.durationMs - paused);
}

/**
 * Per family, over `runs` (any order; the newest `maxRuns` that ran the family count): its time per
 * run (the sum of its tasks' active time in that run), the median, the median share of the run's
 * task time, the latest, and whether the latest is slow.
 */
export function familyDurations(
  runs: readonly RunTimings[],
  pauses: Pauses = {},
  maxRuns = 20,
): Record<string, NodeDuration> {
  const perFamily = new Map<string, { ms: number[]; shares: number[] }>();
  for (const run of [...runs].sort((a, b) => a.startedAt - b.startedAt)) {
    const byFamily = new Map<string, number>();
    let total = 0;
    for (const task of run.tasks) {
      const ms = activeMs(task, pauses[run.runId]);
      const family = familyOf(task.taskId);
      byFamily.set(family, (byFamily.get(family) ?? 0) + ms);
      total += ms;
    }
    for (const [family, ms] of byFamily) {
      const entry = perFamily.get(family) ?? perFamily.set(family, { ms: [], shares: [] }).get(family)!;
      entry.ms.push(ms);
      entry.shares.push(total > 0 ? ms / total : 0);
    }
  }
  const out: Record<string, NodeDuration> = {};
  for (const [family, { ms, shares }] of perFamily) {
    const trend = ms.slice(-maxRuns);
    const medianMs = median(trend);
    const lastMs = trend[trend.length - 1]!;
    out[family] = {
      medianMs,
      share: median(shares.slice(-maxRuns)),
      lastMs,
      slow: trend.length >= MIN_RUNS_FOR_SLOW && medianMs > 0 && lastMs > SLOW_FACTOR * medianMs,
      trend,
    };
  }
  return out;
}

/** The lens's title for a family's durations: "⏱ 2.40 s typical · 62% of the run · slow". */
export function durationLensTitle(d: NodeDuration): string {
  return `$(clock) ${formatDuration(d.medianMs)} typical · ${formatShare(d.share)} of the run${d.slow ? ` · slow (last ${formatDuration(d.lastMs)})` : ''}`;
}
