// Works out which task a command is about: a code lens's args, a tree item, the cursor, or a pick.
import * as vscode from 'vscode';
import type { Range, TaskCommandArgs, TaskInfo } from '../../server/src/protocol';
import type { Ctx } from './context';
import { requestTaskAt } from './lspRequests';
import type { TaskTreeNode } from './tasksTree';

function isTaskArgs(arg: unknown): arg is TaskCommandArgs {
  return (
    typeof arg === 'object' &&
    arg !== null &&
    typeof (arg as TaskCommandArgs).uri === 'string' &&
    typeof (arg as TaskCommandArgs).family === 'string'
  );
}

function isTreeTask(arg: unknown): arg is Extract<TaskTreeNode, { kind: 'task' }> {
  return typeof arg === 'object' && arg !== null && (arg as TaskTreeNode).kind === 'task';
}

async function taskUnderCursor(ctx: Ctx): Promise<TaskInfo | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || !ctx.client?.isRunning()) return undefined;
  const found = await requestTaskAt(ctx.client, {
    uri: editor.document.uri.toString(),
    position: { line: editor.selection.active.line, character: editor.selection.active.character },
  }).catch(() => null);
  return found ?? undefined;
}

export async function resolveTask(ctx: Ctx, arg: unknown, purpose: string): Promise<TaskInfo | undefined> {
  if (isTreeTask(arg)) return arg.task;
  if (isTaskArgs(arg)) {
    // The lens may be newer than our index (typed a moment ago): ask the server again if needed.
    const known =
      ctx.tasks.find(arg.uri, arg.family) ??
      (await ctx.tasks.refresh()).find((t) => t.uri === arg.uri && t.family === arg.family);
    if (!known)
      void vscode.window.showWarningMessage(
        `Plumb: no task ${arg.family} in ${vscode.workspace.asRelativePath(vscode.Uri.parse(arg.uri))}.`,
      );
    return known;
  }
  const atCursor = await taskUnderCursor(ctx);
  if (atCursor) return atCursor;
  const tasks = ctx.tasks.isLoaded ? ctx.tasks.all : await ctx.tasks.refresh();
  const candidates = tasks.filter((t) => !t.abstract);
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage('Plumb: no task classes found in this workspace.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    candidates.map((task) => ({
      label: task.family,
      description: vscode.workspace.asRelativePath(vscode.Uri.parse(task.uri)),
      task,
    })),
    { title: `Plumb: ${purpose}`, placeHolder: 'Task to use', matchOnDescription: true },
  );
  return picked?.task;
}

export async function revealTask(task: TaskInfo): Promise<void> {
  await revealRange(task.uri, task.nameRange);
}

/** Selects `range` of `uri` in the first editor group (where the user came from, not over a panel). */
export async function revealRange(uri: string, range: Range): Promise<void> {
  await vscode.window.showTextDocument(vscode.Uri.parse(uri), {
    selection: new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character),
    viewColumn: vscode.ViewColumn.One,
  });
}
