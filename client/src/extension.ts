// Extension entry: wires the context, commands, views and language client together; does no work itself.
import * as vscode from 'vscode';
import { refreshLenses, startLanguageServer, stopLanguageServer } from './clientLifecycle';
import { registerClusterLenses } from './clusterRun';
import { registerSchedulesView } from './schedulesTree';
import { registerCommands } from './commands';
import { Ctx } from './context';
import { FailureDiagnostics } from './failureDiagnostics';
import { recordDebuggerPauses } from './durationsFeed';
import { registerRerunLenses } from './rerunLens';
import { registerGraphSerializer } from './graphPanel';
import { lastRunsOnDisk } from './history';
import { startWhenPlumbAppears, workspaceUsesPlumb } from './plumbWorkspace';
import { registerRunSerializer } from './runPanel';
import { watchForMissingRuntime } from './runtimeNotice';
import { openGraphOnStart } from './startScreen';
import { PlumbStatusBar } from './statusBar';
import { TasksTreeProvider } from './tasksTree';

let ctx: Ctx | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  ctx = new Ctx(context);
  const c = ctx;
  context.subscriptions.push(c);

  registerCommands(c);
  // Durations leave out time held in the debugger: the pauses are only seen here.
  c.push(...recordDebuggerPauses(c));
  // Rerun… and the typical duration over each task class (client lenses: task index + run logs).
  c.push(...registerRerunLenses(c));
  registerClusterLenses(c);
  registerSchedulesView(c);
  c.push(registerGraphSerializer(c), registerRunSerializer(c));

  const tree = new TasksTreeProvider(c);
  const diagnostics = new FailureDiagnostics(c.tasks);
  const statusBar = new PlumbStatusBar(c);
  c.push(
    tree,
    diagnostics,
    statusBar,
    vscode.window.createTreeView('plumb.tasks', { treeDataProvider: tree, showCollapseAll: true }),
  );
  c.push(
    c.runs.onDidStart(() => {
      diagnostics.clear();
      void vscode.commands.executeCommand('setContext', 'plumb.running', true);
    }),
    // Only a final failure changes the diagnostics; re-reading every task per event batch would not scale.
    c.runs.onDidUpdate(({ run, events }) => {
      if (events.some((e) => e.type === 'task-failed' && !e.willRetry)) diagnostics.show(run.state);
    }),
    c.runs.onDidEnd((run) => {
      diagnostics.show(run.state);
      void vscode.commands.executeCommand('setContext', 'plumb.running', c.runs.current !== undefined);
    }),
    c.tasks.onDidChange(
      () => void vscode.commands.executeCommand('setContext', 'plumb.hasTasks', c.tasks.all.length > 0),
    ),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      void vscode.commands.executeCommand('setContext', 'plumb.trusted', true);
      // The lenses drawn while untrusted say "disabled": draw them again as Run/Debug.
      void refreshLenses(c);
    }),
  );
  void vscode.commands.executeCommand('setContext', 'plumb.trusted', vscode.workspace.isTrusted);

  // Everything slow happens after activate() returns: the server start and the history read.
  let serverStarted = false;
  const startServer = (): void => {
    if (serverStarted) return;
    serverStarted = true;
    void vscode.commands.executeCommand('setContext', 'plumb.active', true);
    void startLanguageServer(c, (state) => statusBar.setServerState(state));
    c.push(watchForMissingRuntime(c), openGraphOnStart(c));
    void lastRunsOnDisk()
      .then((history) => {
        c.runs.seedFromHistory(history);
        tree.refresh();
      })
      .catch(() => undefined);
  };
  void workspaceUsesPlumb().then((uses) => {
    if (uses) startServer();
    else {
      statusBar.setServerState('stopped');
      c.push(startWhenPlumbAppears(startServer));
      c.log.info('no plumb.toml or plumb-pipelines in this workspace: the language server waits for one');
    }
  });
  // A Plumb command in a workspace that does not look like one still gets a server.
  c.ensureServer = startServer;

  c.log.info(`activated in ${(performance.now() - started).toFixed(1)} ms`);
}

export async function deactivate(): Promise<void> {
  if (!ctx) return;
  ctx.runs.current?.cancel();
  await stopLanguageServer(ctx);
}
