// What each failed task of a run says on its class: message, where, and where it was thrown (vscode-free).
import type { Range, TaskInfo } from '../../server/src/protocol';
import { failedTasks, type RunState } from './runState';

export interface FailureReport {
  /** The class's document (TaskInfo.uri). */
  uri: string;
  /** The class name: where the error squiggle goes. */
  range: Range;
  message: string;
  /** The pipeline source line the error was thrown at (0-based, as VS Code positions are). */
  thrownAt?: { file: string; line: number; character: number };
}

/**
 * One report per failed task per class of its family (two files may declare the same class name).
 * A family with several failed instances gets one report per instance: each says which parameters.
 */
export function failureReports(
  state: RunState,
  classesOf: (family: string) => readonly Pick<TaskInfo, 'uri' | 'nameRange'>[],
): FailureReport[] {
  const reports: FailureReport[] = [];
  for (const failed of failedTasks(state)) {
    const message = failed.error
      ? `${failed.id} failed: ${failed.error.name}: ${failed.error.message}`
      : `${failed.id} failed.`;
    const where = failed.error?.location;
    const thrownAt = where
      ? { file: where.file, line: Math.max(0, where.line - 1), character: Math.max(0, where.column - 1) }
      : undefined;
    for (const task of classesOf(failed.family)) {
      reports.push({ uri: task.uri, range: task.nameRange, message, ...(thrownAt ? { thrownAt } : {}) });
    }
  }
  return reports;
}
