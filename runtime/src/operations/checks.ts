// Data checks: what a task declares about its outputs (row counts, values within bounds, a value
// near the median of recent runs), run after run() and before the task counts as complete. A failed
// check of severity 'error' fails the task and its outputs are moved aside
// (.plumb/quarantine/<runId>/…) so they never count as complete; a 'warn' check is reported and the
// task stands. Each result is a task-check event.
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { type TaskCheckEvent } from '../events';
import { outputsOf, type Task } from '../task';
import { recentCheckValues } from './check-history';

/** What a check's test answers: true/false, a message (failed), or the full verdict. */
export type CheckVerdict = boolean | string | { ok: boolean; message?: string; value?: number };

/** What a check may ask about the run it is part of. */
export interface CheckContext {
  taskId: string;
  family: string;
  /**
   * The newest `count` values this check (by name, for any task of the family) measured and passed
   * in earlier runs, newest first, from the run logs.
   */
  recentValues(check: string, count: number): number[];
}

export interface DataCheck {
  name: string;
  /** 'error' (default) fails the task; 'warn' only reports. */
  severity?: 'error' | 'warn';
  test(context: CheckContext): CheckVerdict | Promise<CheckVerdict>;
}

interface Bounds {
  min?: number;
  max?: number;
}

function withinBounds(value: number, { min, max }: Bounds): boolean {
  return (min === undefined || value >= min) && (max === undefined || value <= max);
}

function describeBounds({ min, max }: Bounds): string {
  if (min !== undefined && max !== undefined) return `between ${min} and ${max}`;
  if (min !== undefined) return `at least ${min}`;
  return `at most ${max}`;
}

/** The number of lines of a text output (minus `header` lines) is within bounds. */
export function rowCount(
  target: { readLines(): string[]; path: string },
  bounds: Bounds & { header?: number; severity?: 'error' | 'warn' },
): DataCheck {
  return {
    name: `rowCount(${path.basename(target.path)})`,
    ...(bounds.severity ? { severity: bounds.severity } : {}),
    test() {
      const value = target.readLines().length - (bounds.header ?? 0);
      const ok = withinBounds(value, bounds);
      return { ok, value, message: `${value} rows, expected ${describeBounds(bounds)}` };
    },
  };
}

/** A number computed from the outputs is within bounds. */
export function valueWithin(
  name: string,
  value: () => number | Promise<number>,
  bounds: Bounds & { severity?: 'error' | 'warn' },
): DataCheck {
  return {
    name,
    ...(bounds.severity ? { severity: bounds.severity } : {}),
    async test() {
      const v = await value();
      return {
        ok: withinBounds(v, bounds),
        value: v,
        message: `${name} = ${v}, expected ${describeBounds(bounds)}`,
      };
    },
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * A number computed from the outputs is within `tolerance` (0.2: ±20 %) of the median of what the
 * same check measured in the last `runs` runs (its passing values, from the run logs). With fewer
 * than `minRuns` values (default 3) there is nothing to compare with yet: it passes, and records.
 */
export function nearRecentMedian(
  name: string,
  value: () => number | Promise<number>,
  options: { runs: number; tolerance: number; minRuns?: number; severity?: 'error' | 'warn' },
): DataCheck {
  const minRuns = options.minRuns ?? 3;
  if (!Number.isSafeInteger(options.runs) || options.runs < 1)
    throw new RangeError(`nearRecentMedian(${name}): runs must be a whole number ≥ 1`);
  if (!(options.tolerance >= 0)) throw new RangeError(`nearRecentMedian(${name}): tolerance must be ≥ 0`);
  return {
    name,
    ...(options.severity ? { severity: options.severity } : {}),
    async test(context) {
      const v = await value();
      const recent = context.recentValues(name, options.runs);
      if (recent.length < minRuns)
        return {
          ok: true,
          value: v,
          message: `${name} = ${v}; ${recent.length} earlier value${recent.length === 1 ? '' : 's'}, not compared before ${minRuns}`,
        };
      const m = median(recent);
      const low = m * (1 - options.tolerance);
      const high = m * (1 + options.tolerance);
      const pct = Math.round(options.tolerance * 100);
      return {
        ok: v >= low && v <= high,
        value: v,
        message: `${name} = ${v}, expected within ${pct}% of ${m} (the median of the last ${recent.length} runs)`,
      };
    },
  };
}

/** Whether the task declares checks (a `checks()` method). */
export function hasChecks(task: Task): boolean {
  return typeof (task as { checks?: unknown }).checks === 'function';
}

/** The checks a task declares (`checks()`), or none. */
export function checksOf(task: Task): DataCheck[] | undefined {
  const declare = (task as { checks?: () => DataCheck[] }).checks;
  return typeof declare === 'function' ? declare.call(task) : undefined;
}

export type CheckEventPayload = Omit<TaskCheckEvent, 'v' | 'runId' | 'seq' | 'time'>;

/**
 * Runs `task`'s checks in order and reports each. Resolves with undefined when the task stands,
 * or with the error that fails it (its outputs already moved under `quarantineDir`).
 */
export async function runChecks(
  task: Task,
  attempt: number,
  quarantineDir: string,
  projectRoot: string,
  emit: (event: CheckEventPayload) => void,
  runId = '',
): Promise<Error | undefined> {
  const checks = checksOf(task) ?? [];
  const family = task.taskFamily;
  const context: CheckContext = {
    taskId: task.taskId,
    family,
    recentValues: (check, count) => recentCheckValues(projectRoot, family, check, count, runId),
  };
  const failed: string[] = [];
  for (const check of checks) {
    const severity = check.severity ?? 'error';
    let ok: boolean;
    let message: string | undefined;
    let value: number | undefined;
    try {
      const verdict = await check.test(context);
      if (typeof verdict === 'boolean') ok = verdict;
      else if (typeof verdict === 'string') [ok, message] = [false, verdict];
      else ({ ok, message, value } = verdict);
    } catch (e) {
      [ok, message] = [false, `the check threw: ${(e as Error).message ?? String(e)}`];
    }
    emit({
      type: 'task-check',
      taskId: task.taskId,
      attempt,
      check: check.name,
      ok,
      severity,
      ...(message !== undefined ? { message } : {}),
      ...(value !== undefined ? { value } : {}),
    });
    if (!ok && severity === 'error') failed.push(`${check.name}: ${message ?? 'failed'}`);
  }
  if (failed.length === 0) return undefined;
  const moved = quarantine(task, quarantineDir, projectRoot);
  return new Error(
    `${task.taskId}: data check failed: ${failed.join('; ')}${moved.length ? ` (outputs moved to ${moved.join(', ')})` : ''}`,
  );
}

/** Moves the task's local outputs aside, each under `dir` at its project-relative place; returns where. */
function quarantine(task: Task, dir: string, projectRoot: string): string[] {
  const moved: string[] = [];
  for (const target of outputsOf(task)) {
    const file = (target as { path?: unknown }).path;
    if (typeof file !== 'string' || !path.isAbsolute(file) || !existsSync(file)) continue;
    const rel = path.relative(projectRoot, file);
    const inside = !rel.startsWith('..') && !path.isAbsolute(rel);
    const to = inside
      ? path.join(dir, rel)
      : path.join(dir, 'absolute', file.slice(path.parse(file).root.length));
    mkdirSync(path.dirname(to), { recursive: true });
    renameSync(file, to);
    moved.push(to);
  }
  return moved;
}
