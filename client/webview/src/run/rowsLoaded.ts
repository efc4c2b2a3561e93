// Rows a task loaded, from its task-status events' `rows` (plumb-postgres table loads and query
// tasks count them): shown on its node while it copies and once it is done.
import type { TaskRun } from './runState';

/** "12,345 rows" (done), "12,345 rows so far" (running); nothing for a failed attempt: it rolled back. */
export function rowsLabel(task: Pick<TaskRun, 'rows' | 'status'>): string | undefined {
  if (task.rows === undefined || (task.status !== 'running' && task.status !== 'done')) return undefined;
  const count = `${task.rows.toLocaleString('en')} ${task.rows === 1 ? 'row' : 'rows'}`;
  return task.status === 'running' ? `${count} so far` : count;
}
