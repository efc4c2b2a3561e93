// Runs a task with the bundled runtime CLI in a child process and streams its events to the tracker.
import path from 'node:path';
import * as vscode from 'vscode';
import type { TaskInfo } from '../../server/src/protocol';
import type { Ctx } from './context';
import { LiveRun } from './liveRun';
import { askTaskParams } from './paramPrompt';
import { runArguments, type RunMode, type RunRequest } from './runCommandLine';
import { RunProcess, type RunExit } from './runProcess';

/** Running executes the workspace's code: never in an untrusted workspace. */
export function refuseIfUntrusted(): boolean {
  if (vscode.workspace.isTrusted) return false;
  void vscode.window
    .showWarningMessage(
      'Plumb does not run or debug pipelines in an untrusted workspace: running executes the workspace’s code. Graphs and diagnostics still work.',
      'Manage Workspace Trust',
    )
    .then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
    });
  return true;
}

/** A run starts in the task file's workspace folder (the runtime finds plumb.toml from the file). */
export function runCwd(file: string): string {
  return vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file))?.uri.fsPath ?? path.dirname(file);
}

/** Trust, one-run-at-a-time and parameters: everything checked before a process starts. */
export async function prepareRunRequest(
  ctx: Ctx,
  task: TaskInfo,
  unit: boolean,
): Promise<RunRequest | undefined> {
  if (refuseIfUntrusted()) return undefined;
  if (ctx.runs.current) {
    const choice = await vscode.window.showWarningMessage(
      `A Plumb run (${ctx.runs.current.request.family}) is still going.`,
      'Show Run',
      'Cancel It',
    );
    if (choice === 'Show Run') void vscode.commands.executeCommand('plumb.showRun');
    if (choice === 'Cancel It') ctx.runs.current?.cancel();
    return undefined;
  }
  if (!task.exported) {
    void vscode.window.showWarningMessage(
      `${task.family} is not exported: the runtime can only run exported task classes.`,
    );
    return undefined;
  }
  const params = await askTaskParams(ctx.extension.workspaceState, task);
  if (!params) return undefined;
  return { file: vscode.Uri.parse(task.uri).fsPath, family: task.family, params, unit };
}

/** Says what went wrong when a run ends without its own account of the end (run-finished). */
export function reportRunEnd(ctx: Ctx, run: LiveRun, exit: RunExit): void {
  const finished = run.state.finished;
  if (exit.spawnError) {
    void vscode.window
      .showErrorMessage(
        `Plumb could not start \`${ctx.nodePath}\`: ${exit.spawnError.message}. Set plumb.nodePath to a Node.js ≥ 20.`,
        'Open Settings',
      )
      .then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'plumb.nodePath');
      });
  } else if (!finished && run.cancelRequested) {
    ctx.runOutput.appendLine(`[plumb] the run of ${run.request.family} was cancelled.`);
  } else if (!finished) {
    const how = exit.signal ? `was stopped by ${exit.signal}` : `exited with code ${exit.code}`;
    ctx.runOutput.appendLine(`[plumb] the run of ${run.request.family} ${how} before it finished.`);
    void vscode.window
      .showErrorMessage(`Plumb: the run of ${run.request.family} ${how} before it finished.`, 'Show Output')
      .then((c) => {
        if (c) ctx.runOutput.show(true);
      });
  } else if (finished.outcome === 'error' || finished.outcome === 'locked') {
    void vscode.window.showErrorMessage(
      `Plumb: ${finished.message ?? `the run of ${run.request.family} could not start`}`,
    );
  } else if (finished.outcome === 'crashed' || finished.outcome === 'pipeline-error') {
    // Not a task's failure: the pipeline or plumb itself is broken, and the Run view alone may not say why.
    const what = finished.outcome === 'crashed' ? 'plumb itself failed' : 'the pipeline is broken';
    ctx.runOutput.appendLine(`[plumb] ${what}: ${finished.message ?? '(no message)'}`);
    void vscode.window
      .showErrorMessage(`Plumb: ${what}: ${finished.message ?? 'see the Plumb Run output'}`, 'Show Output')
      .then((c) => {
        if (c) ctx.runOutput.show(true);
      });
  }
}

export function startRun(ctx: Ctx, request: RunRequest, mode: Exclude<RunMode, 'debug'>): LiveRun {
  const cwd = runCwd(request.file);
  const args = runArguments(request, { kind: 'stdout' });
  ctx.runOutput.appendLine(`[plumb] ${ctx.nodePath} ${ctx.cliPath} ${args.join(' ')}  (in ${cwd})`);
  const graceMs = vscode.workspace.getConfiguration('plumb').get<number>('run.cancelGraceMs', 5000);
  // The run needs its stop function before the process exists, and the process feeds the run.
  const started: { process?: RunProcess } = {};
  const live = new LiveRun(request, mode, cwd, () => started.process?.cancel(graceMs));
  const child = new RunProcess({
    nodePath: ctx.nodePath,
    cliPath: ctx.cliPath,
    args,
    cwd,
    onEvents: (events) => live.feed(events),
    onOutput: (text) => ctx.runOutput.append(text),
  });
  started.process = child;
  ctx.runs.begin(live);
  void child.exited.then((exit) => {
    ctx.runs.end(live);
    reportRunEnd(ctx, live, exit);
  });
  return live;
}
