// Sets up a Plumb webview: resources only from the extension's dist/webview, the page with its CSP.
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type { Ctx } from './context';
import { webviewPage } from './webviewHtml';

export type WebviewKind = 'graph' | 'run';

export function webviewOptions(ctx: Ctx): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return { enableScripts: true, retainContextWhenHidden: false, localResourceRoots: [ctx.webviewRoot] };
}

export function fillWebview(ctx: Ctx, webview: vscode.Webview, kind: WebviewKind, title: string): void {
  webview.options = { enableScripts: true, localResourceRoots: [ctx.webviewRoot] };
  const script = vscode.Uri.joinPath(ctx.webviewRoot, `${kind}.js`);
  const style = vscode.Uri.joinPath(ctx.webviewRoot, `${kind}.css`);
  webview.html = webviewPage({
    title,
    cspSource: webview.cspSource,
    scriptUri: webview.asWebviewUri(script).toString(),
    // The stylesheet exists only when the view's bundle imports CSS.
    ...(existsSync(style.fsPath) ? { styleUri: webview.asWebviewUri(style).toString() } : {}),
  });
}
