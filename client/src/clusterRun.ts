// "Run on cluster": a lens beside Run on every runnable task of a project with a cluster (the
// plumb.cluster.redisUrl setting or plumb.toml [cluster] redis), and the command it runs: the same
// `plumb run` as Run with `--cluster <url>`, streamed into the Run view like any run.
import * as vscode from 'vscode';
import type { Ctx } from './context';
import { clusterUrl } from './clusterConfig';
import { projectRootOf } from './projectRoot';
import { prepareRunRequest, refuseIfUntrusted, runCwd, startRun } from './run';
import { RunPanel } from './runPanel';
import { resolveTask } from './taskArgument';

export const RUN_ON_CLUSTER = 'plumb.runTaskOnCluster';

function urlFor(file: string): string | undefined {
  const setting = vscode.workspace.getConfiguration('plumb').get<string>('cluster.redisUrl');
  return clusterUrl(projectRootOf(file, runCwd(file)), setting);
}

export async function runOnCluster(ctx: Ctx, arg: unknown): Promise<void> {
  if (refuseIfUntrusted()) return;
  const task = await resolveTask(ctx, arg, 'Run on Cluster');
  if (!task) return;
  const file = vscode.Uri.parse(task.uri).fsPath;
  const cluster = urlFor(file);
  if (!cluster) {
    const choice = await vscode.window.showWarningMessage(
      'Plumb: no cluster is configured for this project: set [cluster] redis in plumb.toml or the plumb.cluster.redisUrl setting.',
      'Open Settings',
    );
    if (choice)
      void vscode.commands.executeCommand('workbench.action.openSettings', 'plumb.cluster.redisUrl');
    return;
  }
  const request = await prepareRunRequest(ctx, task, false);
  if (!request) return;
  if (vscode.workspace.getConfiguration('plumb').get<boolean>('run.revealPanel', true))
    RunPanel.show(ctx, true);
  startRun(ctx, { ...request, cluster }, 'run');
}

/** The lens, next to the server's Run lens (same range), only where a cluster is configured. */
class ClusterLenses implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly ctx: Ctx) {}

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const config = vscode.workspace.getConfiguration('plumb');
    if (!vscode.workspace.isTrusted || !config.get<boolean>('codeLens.enabled', true)) return [];
    const uri = document.uri.toString();
    const tasks = this.ctx.tasks.all.filter(
      (t) => t.uri === uri && t.kind !== 'external' && !t.abstract && t.exported,
    );
    if (tasks.length === 0) return [];
    const cluster = urlFor(document.uri.fsPath);
    if (!cluster) return [];
    return tasks.map(
      (t) =>
        new vscode.CodeLens(
          new vscode.Range(
            t.nameRange.start.line,
            t.nameRange.start.character,
            t.nameRange.end.line,
            t.nameRange.end.character,
          ),
          {
            title: '☁ Run on cluster',
            tooltip: `plumb run … --cluster ${cluster}`,
            command: RUN_ON_CLUSTER,
            arguments: [{ uri: t.uri, family: t.family }],
          },
        ),
    );
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function registerClusterLenses(ctx: Ctx): void {
  const lenses = new ClusterLenses(ctx);
  const toml = vscode.workspace.createFileSystemWatcher('**/plumb.toml');
  ctx.push(
    lenses,
    toml,
    vscode.languages.registerCodeLensProvider(
      [
        { scheme: 'file', language: 'typescript' },
        { scheme: 'file', language: 'javascript' },
      ],
      lenses,
    ),
    ctx.tasks.onDidChange(() => lenses.refresh()),
    toml.onDidChange(() => lenses.refresh()),
    toml.onDidCreate(() => lenses.refresh()),
    toml.onDidDelete(() => lenses.refresh()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('plumb.cluster') || e.affectsConfiguration('plumb.codeLens'))
        lenses.refresh();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => lenses.refresh()),
  );
}
