// Remembers the parameter values typed for each task, so the next run of that task offers them again.
import type { TaskInfo } from '../../server/src/protocol';

/** The part of vscode.Memento (workspaceState) this needs; keeps the logic testable without VS Code. */
export interface ValueStore {
  get<T>(key: string, defaultValue: T): T;
  update(key: string, value: unknown): Thenable<void>;
}

export class ParamMemory {
  constructor(private readonly store: ValueStore) {}

  /** Per task: the same class name in two files is two tasks with their own values. */
  private key(task: Pick<TaskInfo, 'uri' | 'family'>): string {
    return `plumb.params.${task.uri}#${task.family}`;
  }

  /** The last value typed for each of the task's parameters (empty before the first prompt). */
  recall(task: Pick<TaskInfo, 'uri' | 'family'>): Record<string, string> {
    return { ...this.store.get<Record<string, string>>(this.key(task), {}) };
  }

  /** Keeps the new values; values of parameters not asked this time stay remembered. */
  async remember(task: Pick<TaskInfo, 'uri' | 'family'>, values: Record<string, string>): Promise<void> {
    await this.store.update(this.key(task), { ...this.recall(task), ...values });
  }
}
