// The run's timeline as numbers: one row per task that ran, one bar per attempt, and a time axis
// with round tick steps. Pure; ganttView.ts draws it.
import type { TaskStatus } from '../../../../runtime/src/events';
import type { RunState } from './runState';

export interface GanttBar {
  attempt: number;
  /** Milliseconds from the start of the run. */
  start: number;
  end: number;
  outcome: 'running' | 'done' | 'failed';
  timedOut: boolean;
}

export interface GanttRow {
  taskId: string;
  family: string;
  status: TaskStatus;
  bars: GanttBar[];
  /** Sum of the attempts' durations. */
  busyMs: number;
}

/** Tasks that ran, ordered by when they first started; bars still running end at `now`. */
export function ganttRows(state: RunState, now: number): GanttRow[] {
  const origin =
    state.startedAt ?? Math.min(...[...state.tasks.values()].flatMap((t) => t.attempts.map((a) => a.start)));
  const rows: GanttRow[] = [];
  for (const id of state.order) {
    const task = state.tasks.get(id);
    if (!task || task.attempts.length === 0) continue;
    const bars = task.attempts.map((a) => ({
      attempt: a.attempt,
      start: a.start - origin,
      end: Math.max(a.start, a.end ?? now) - origin,
      outcome: a.outcome,
      timedOut: a.timedOut === true,
    }));
    rows.push({
      taskId: id,
      family: task.family,
      status: task.status,
      bars,
      busyMs: bars.reduce((sum, b) => sum + (b.end - b.start), 0),
    });
  }
  return rows.sort((a, b) => a.bars[0]!.start - b.bars[0]!.start);
}

export interface Tick {
  ms: number;
  x: number;
  label: string;
}

export interface TimeScale {
  spanMs: number;
  pxPerMs: number;
  ticks: Tick[];
}

const STEPS_MS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000,
  600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000,
];

/** The smallest round step that keeps ticks at least `minTickPx` apart. */
export function tickStep(spanMs: number, widthPx: number, minTickPx = 80): number {
  const maxTicks = Math.max(1, Math.floor(widthPx / minTickPx));
  return STEPS_MS.find((step) => spanMs / step <= maxTicks) ?? STEPS_MS[STEPS_MS.length - 1]!;
}

export function formatTick(ms: number, step: number): string {
  if (ms === 0) return '0';
  if (step < 1000) return `${(ms / 1000).toFixed(step < 10 ? 3 : step < 100 ? 2 : 1)} s`;
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 3_600_000) {
    const m = Math.floor(ms / 60_000);
    const s = Math.round((ms % 60_000) / 1000);
    return s === 0 ? `${m} min` : `${m}:${String(s).padStart(2, '0')}`;
  }
  const h = Math.floor(ms / 3_600_000);
  const m = Math.round((ms % 3_600_000) / 60_000);
  return m === 0 ? `${h} h` : `${h} h ${m}`;
}

/** Maps [0, spanMs] onto [0, widthPx] with round ticks. A zero span still gets a usable scale. */
export function timeScale(spanMs: number, widthPx: number, minTickPx = 80): TimeScale {
  const span = Math.max(spanMs, 1);
  const step = tickStep(span, widthPx, minTickPx);
  const pxPerMs = widthPx / span;
  const ticks: Tick[] = [];
  for (let ms = 0; ms <= span; ms += step) ticks.push({ ms, x: ms * pxPerMs, label: formatTick(ms, step) });
  return { spanMs: span, pxPerMs, ticks };
}
