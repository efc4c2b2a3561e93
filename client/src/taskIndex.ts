// The workspace's task families as the server last reported them (plumb/tasks), refreshed as the code changes.
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import type { TaskInfo } from '../../server/src/protocol';
import { requestTasks } from './lspRequests';

export class TaskIndex implements vscode.Disposable {
  private tasks: TaskInfo[] = [];
  private loaded = false;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly client: () => BaseLanguageClient | undefined,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  get all(): readonly TaskInfo[] {
    return this.tasks;
  }

  get isLoaded(): boolean {
    return this.loaded;
  }

  find(uri: string, family: string): TaskInfo | undefined {
    return this.tasks.find((t) => t.family === family && t.uri === uri);
  }

  /** Tasks of a family; several only when two files declare the same class name. */
  byFamily(family: string): TaskInfo[] {
    return this.tasks.filter((t) => t.family === family);
  }

  /** Coalesces a burst of graph changes (typing) into one plumb/tasks request. */
  scheduleRefresh(delayMs = 300): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refresh(), delayMs);
  }

  async refresh(): Promise<readonly TaskInfo[]> {
    const client = this.client();
    if (!client?.isRunning()) return this.tasks;
    try {
      this.tasks = await requestTasks(client);
      this.loaded = true;
      this.changed.fire();
    } catch (error) {
      this.log.warn(`plumb/tasks failed: ${(error as Error).message}`);
    }
    return this.tasks;
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.changed.dispose();
  }
}
