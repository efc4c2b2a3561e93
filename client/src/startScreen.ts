// `npm start` only (PLUMB_START_GRAPH=1 in the extension host's environment): once the workspace's
// tasks are known, opens the pipeline graph beside the example, so a newcomer's first screen shows
// the pipeline and its graph. Elsewhere it does nothing.
import * as vscode from 'vscode';
import type { Ctx } from './context';

export function openGraphOnStart(ctx: Ctx): vscode.Disposable {
  if (process.env.PLUMB_START_GRAPH !== '1') return new vscode.Disposable(() => undefined);
  const subscription = ctx.tasks.onDidChange(() => {
    if (ctx.tasks.all.length === 0) return;
    subscription.dispose();
    void vscode.commands.executeCommand('plumb.showGraph');
  });
  return subscription;
}
