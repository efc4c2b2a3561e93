// Which tasks' last final outcome was a failure, across runs (.plumb/alerts/failing.json), so a
// task that failed before and is done now sends one "recovered" alert. Read once per run, written at
// its end; the write re-reads the file first, so concurrent runs lose at most each other's last word.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { recordsDir } from './test-mode';

export type FailingTasks = Record<string, { runId: string; at: number }>;

/** The project's failing set, or in test mode the test area's own (test-mode.ts recordsDir). */
export function failingFile(projectRoot: string): string {
  return path.join(recordsDir(projectRoot), 'alerts', 'failing.json');
}

export function readFailing(file: string): FailingTasks {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as FailingTasks)
      : {};
  } catch {
    return {};
  }
}

/** Adds this run's final failures and drops the tasks that are done (or found complete) now. */
export function updateFailing(file: string, failed: FailingTasks, resolved: Iterable<string>): void {
  const state = readFailing(file);
  for (const id of resolved) delete state[id];
  Object.assign(state, failed);
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(state, null, 1)}\n`);
  renameSync(temp, file);
}
