// The "Plumb Schedules" explorer view: each project's schedules (plumb.toml) with their next fire
// times, last run outcomes and SLA misses, as the runtime lists them (`plumb schedule --list --json`,
// `plumb history --json`); the content itself is scheduleModel.ts. Asks only while the view is seen.
import { execFile } from 'node:child_process';
import path from 'node:path';
import * as vscode from 'vscode';
import type { Ctx } from './context';
import { scheduleTree, type HistoryRun, type ScheduleListing, type ScheduleNode } from './scheduleModel';

interface ProjectState {
  root: string;
  listing?: ScheduleListing;
  runs: HistoryRun[];
  error?: string;
}

type Node = ScheduleNode & { project?: string };

const TONE_COLORS = {
  ok: 'testing.iconPassed',
  failed: 'testing.iconFailed',
  warning: 'list.warningForeground',
  idle: undefined,
} as const;

/** How many past runs are looked through for SLA misses. */
const HISTORY_RUNS = 30;

export class SchedulesTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private projects: ProjectState[] = [];
  private view: vscode.TreeView<Node> | undefined;
  private stale = true;
  private loading: Promise<void> | undefined;
  private debounce: ReturnType<typeof setTimeout> | undefined;
  private readonly clock: ReturnType<typeof setInterval>;

  constructor(private readonly ctx: Ctx) {
    const watchers = ['**/plumb.toml', '**/.plumb/schedules.json', '**/.plumb/runs/*.jsonl'].map((glob) =>
      vscode.workspace.createFileSystemWatcher(glob),
    );
    for (const w of watchers)
      this.disposables.push(
        w,
        w.onDidChange(() => this.invalidate()),
        w.onDidCreate(() => this.invalidate()),
        w.onDidDelete(() => this.invalidate()),
      );
    this.disposables.push(
      this.changed,
      ctx.runs.onDidEnd(() => this.invalidate()),
    );
    // "in 3 h" grows old: redraw from what is known, without asking the runtime again.
    this.clock = setInterval(() => {
      if (this.view?.visible) this.changed.fire(undefined);
    }, 60_000);
  }

  attach(view: vscode.TreeView<Node>): void {
    this.view = view;
    this.disposables.push(
      view.onDidChangeVisibility(() => view.visible && this.stale && this.changed.fire(undefined)),
    );
  }

  /** Something changed on disk: ask again, once the burst is over and when the view is seen. */
  invalidate(): void {
    this.stale = true;
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      if (this.view?.visible !== false) this.changed.fire(undefined);
    }, 1000);
  }

  refresh(): void {
    this.stale = true;
    this.changed.fire(undefined);
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (node) return node.children.map((c) => ({ ...c, project: node.project }));
    if (this.stale) {
      this.loading ??= this.load().finally(() => (this.loading = undefined));
      await this.loading;
    }
    const now = Date.now();
    const trees = this.projects.map((p): Node[] => {
      if (p.error)
        return [
          {
            id: `${p.root}/error`,
            label: p.error,
            tone: 'failed',
            icon: 'error',
            children: [],
            project: p.root,
          },
        ];
      return scheduleTree(p.listing ?? { now: '', schedules: [] }, p.runs, now).map((n) => ({
        ...n,
        project: p.root,
      }));
    });
    if (this.projects.length <= 1) return trees[0] ?? [];
    // Several projects: one node each (a project without schedules or misses is left out).
    return this.projects.flatMap((p, i) =>
      trees[i]!.length === 0
        ? []
        : [
            {
              id: p.root,
              label: vscode.workspace.asRelativePath(p.root),
              tone: 'idle' as const,
              icon: 'folder',
              children: trees[i]!,
              project: p.root,
            },
          ],
    );
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const item = new vscode.TreeItem(
      node.label,
      node.children.length > 0
        ? vscode.TreeItemCollapsibleState.Expanded
        : vscode.TreeItemCollapsibleState.None,
    );
    item.id = `${node.project ?? ''}::${node.id}`;
    if (node.description) item.description = node.description;
    if (node.tooltip) item.tooltip = node.tooltip;
    const color = TONE_COLORS[node.tone];
    item.iconPath = new vscode.ThemeIcon(node.icon, color ? new vscode.ThemeColor(color) : undefined);
    if (node.runId) {
      item.contextValue = 'plumbSlaMiss';
      item.command = { title: 'Show Run', command: 'plumb.showPastRun', arguments: [node.runId] };
    }
    return item;
  }

  private async load(): Promise<void> {
    this.stale = false;
    const tomls = await vscode.workspace.findFiles('**/plumb.toml', '**/node_modules/**', 20);
    this.projects = await Promise.all(
      tomls
        .map((uri) => path.dirname(uri.fsPath))
        .sort()
        .map((root) => this.loadProject(root)),
    );
  }

  private async loadProject(root: string): Promise<ProjectState> {
    const [listing, history] = await Promise.all([
      this.cli(root, ['schedule', '--list', '--json', '--count', '3']),
      this.cli(root, ['history', '--json', '--limit', String(HISTORY_RUNS)]),
    ]);
    const runs = 'json' in history ? ((history.json as { runs?: HistoryRun[] }).runs ?? []) : [];
    // A project without [[schedules]] is a usage error to the CLI, and nothing to show here.
    if ('error' in listing && /^no schedules in /.test(listing.error)) return { root, runs };
    if ('error' in listing) return { root, runs, error: listing.error };
    return { root, listing: listing.json as ScheduleListing, runs };
  }

  /** The bundled CLI's JSON answer in the project, or its error line (plumb.toml with a mistake). */
  private cli(cwd: string, args: string[]): Promise<{ json: unknown } | { error: string }> {
    return new Promise((resolve) => {
      execFile(
        this.ctx.nodePath,
        [this.ctx.cliPath, ...args],
        { cwd, timeout: 30_000, maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) => {
          if (error) {
            const line = stderr.trim().split('\n')[0] ?? error.message;
            return resolve({ error: line.replace(/^plumb: /, '') || error.message });
          }
          try {
            resolve({ json: JSON.parse(stdout) });
          } catch {
            resolve({ error: `plumb ${args[0]} gave no JSON` });
          }
        },
      );
    });
  }

  dispose(): void {
    clearInterval(this.clock);
    if (this.debounce) clearTimeout(this.debounce);
    for (const d of this.disposables) d.dispose();
  }
}

let shown: SchedulesTreeProvider | undefined;

/** "Plumb: Refresh Schedules": ask the runtime again now. */
export function refreshSchedules(): void {
  shown?.refresh();
}

export function registerSchedulesView(ctx: Ctx): SchedulesTreeProvider {
  const tree = new SchedulesTreeProvider(ctx);
  shown = tree;
  const view = vscode.window.createTreeView('plumb.schedules', {
    treeDataProvider: tree,
    showCollapseAll: true,
  });
  tree.attach(view);
  ctx.push(tree, view);
  return tree;
}
