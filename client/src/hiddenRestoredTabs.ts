// Webview tabs VS Code restored after a reload but has not handed to the extension: it hands a
// restored tab over (through its serializer) only once the tab is shown, so a hidden one is a tab
// with no panel here. A view asked for then replaces it, or there would be two of the same view.
import * as vscode from 'vscode';
import { tabShowsView } from './webviewTabView';

/** The tabs showing a webview of `viewType` (tabs name it with a prefix: "mainThreadWebview-plumb.run"). */
export function webviewTabs(viewType: string): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter(
      (tab) => tab.input instanceof vscode.TabInputWebview && tabShowsView(tab.input.viewType, viewType),
    );
}

/**
 * Opens a panel of `viewType` in place of its hidden restored tabs (in their group, else beside the
 * editor) and closes them: one view of the kind, where the person had it.
 */
export function createPanelReplacingRestored(
  viewType: string,
  title: string,
  preserveFocus: boolean,
  options: vscode.WebviewPanelOptions & vscode.WebviewOptions,
): vscode.WebviewPanel {
  const restored = webviewTabs(viewType);
  const panel = vscode.window.createWebviewPanel(
    viewType,
    title,
    { viewColumn: restored[0]?.group.viewColumn ?? vscode.ViewColumn.Beside, preserveFocus },
    options,
  );
  if (restored.length > 0) void vscode.window.tabGroups.close(restored, true);
  return panel;
}
