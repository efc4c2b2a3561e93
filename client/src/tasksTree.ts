// The "Plumb" explorer view: task families grouped by file, each with its status in its latest run.
import * as vscode from 'vscode';
import type { TaskStatus } from '../../runtime/src/events';
import type { TaskInfo } from '../../server/src/protocol';
import type { Ctx } from './context';

export type TaskTreeNode = { kind: 'file'; uri: string } | { kind: 'task'; task: TaskInfo };

const statusIcons: Record<TaskStatus, [string, string | undefined]> = {
  done: ['pass', 'testing.iconPassed'],
  complete: ['pass-filled', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  running: ['sync~spin', undefined],
  pending: ['circle-outline', undefined],
  blocked: ['circle-slash', 'testing.iconFailed'],
  'missing-external': ['warning', 'list.warningForeground'],
  cancelled: ['debug-stop', 'testing.iconSkipped'],
};

const kindIcons = { task: 'symbol-class', external: 'database', wrapper: 'package' } as const;

export class TasksTreeProvider implements vscode.TreeDataProvider<TaskTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TaskTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private statuses: Record<string, TaskStatus> = {};
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly ctx: Ctx) {
    this.disposables.push(
      this.changed,
      ctx.tasks.onDidChange(() => this.refresh()),
      ctx.runs.onDidStart(() => this.refresh()),
      ctx.runs.onDidUpdate(() => this.scheduleRefresh()),
      ctx.runs.onDidEnd(() => this.refresh()),
    );
  }

  refresh(): void {
    this.statuses = this.ctx.runs.lastFamilyStatuses;
    this.changed.fire(undefined);
  }

  private scheduleRefresh(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.refresh();
    }, 250);
  }

  getChildren(node?: TaskTreeNode): TaskTreeNode[] {
    const tasks = this.ctx.tasks.all.filter((t) => !t.abstract);
    if (!node) {
      const uris = [...new Set(tasks.map((t) => t.uri))].sort((a, b) => a.localeCompare(b));
      return uris.map((uri) => ({ kind: 'file', uri }));
    }
    if (node.kind === 'file') {
      return tasks
        .filter((t) => t.uri === node.uri)
        .sort((a, b) => a.range.start.line - b.range.start.line)
        .map((task) => ({ kind: 'task', task }));
    }
    return [];
  }

  getTreeItem(node: TaskTreeNode): vscode.TreeItem {
    if (node.kind === 'file') {
      const uri = vscode.Uri.parse(node.uri);
      const item = new vscode.TreeItem(
        vscode.workspace.asRelativePath(uri),
        vscode.TreeItemCollapsibleState.Expanded,
      );
      item.resourceUri = uri;
      item.iconPath = vscode.ThemeIcon.File;
      item.contextValue = 'plumbFile';
      return item;
    }
    const { task } = node;
    const status = this.statuses[task.family];
    const item = new vscode.TreeItem(task.family, vscode.TreeItemCollapsibleState.None);
    item.id = task.id;
    const [icon, color] = status ? statusIcons[status] : [kindIcons[task.kind], undefined];
    item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    const params = task.params.map((p) => p.name).join(', ');
    item.description = [task.kind === 'task' ? '' : task.kind, params ? `(${params})` : '', status ?? '']
      .filter(Boolean)
      .join(' ');
    item.tooltip = new vscode.MarkdownString(
      [
        `**${task.family}** (${task.kind})`,
        ...task.params.map(
          (p) =>
            `- \`${p.name}\`: ${p.type}${p.defaultText ? ` = ${p.defaultText}` : p.configText ? ` = ${p.configText} (plumb.toml)` : p.required ? ' (required)' : ''}`,
        ),
        ...task.outputs.filter((o) => o.template).map((o) => `- output: \`${o.template}\``),
        status ? `\nLatest run: ${status}` : '',
      ].join('\n'),
    );
    // Runnable only when exported: the CLI loads the class by name from its module.
    item.contextValue = task.exported ? 'plumbTask' : 'plumbTask.unexported';
    item.command = {
      title: 'Go to Task',
      command: 'vscode.open',
      arguments: [
        vscode.Uri.parse(task.uri),
        {
          selection: new vscode.Range(
            task.nameRange.start.line,
            task.nameRange.start.character,
            task.nameRange.end.line,
            task.nameRange.end.character,
          ),
        },
      ],
    };
    return item;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
