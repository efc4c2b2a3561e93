// Data checks: what a task declares about its outputs (row counts, values within bounds), run after
// run() and before the task counts as complete. A failed check of severity 'error' fails the task
// and its outputs are moved aside (.plumb/quarantine/<runId>/…) so they never count as complete;
// a 'warn' check is reported and the task stands. Each result is a task-check event.
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { type TaskCheckEvent } from '../events';
import { outputsOf, type Task } from '../task';

/** What a check's test answers: true/false, a message (failed), or the full verdict. */
export type CheckVerdict = boolean | string | { ok: boolean; message?: string; value?: number };

export interface DataCheck {
  name: string;
  /** 'error' (default) fails the task; 'warn' only reports. */
  severity?: 'error' | 'warn';
  test(): CheckVerdict | Promise<CheckVerdict>;
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
): Promise<Error | undefined> {
  const checks = checksOf(task) ?? [];
  const failed: string[] = [];
  for (const check of checks) {
    const severity = check.severity ?? 'error';
    let ok: boolean;
    let message: string | undefined;
    let value: number | undefined;
    try {
      const verdict = await check.test();
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
