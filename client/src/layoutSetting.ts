// The setting plumb.graph.layout for the graph and run views: read it, and tell an open view when it changes.
import * as vscode from 'vscode';
import type { LayoutPreference, LayoutSettingMessage } from '../webview/src/messages';

const key = 'graph.layout';

/** The person's layout engine: our own layered layout (default) or elk where it may (layoutPlan.ts). */
export function layoutPreference(): LayoutPreference {
  return vscode.workspace.getConfiguration('plumb').get<string>(key) === 'elk' ? 'elk' : 'plumb';
}

/** The message that gives a view the setting; a view gets it before its first graph. */
export function layoutSettingMessage(): LayoutSettingMessage {
  return { type: 'layout', engine: layoutPreference() };
}

/** Calls `post` with the new setting whenever it changes (an open view lays its graph out again). */
export function onLayoutSettingChange(post: (message: LayoutSettingMessage) => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(`plumb.${key}`)) post(layoutSettingMessage());
  });
}
