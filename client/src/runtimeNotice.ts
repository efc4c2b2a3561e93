// Says once per workspace, when its pipelines import plumb-pipelines but it is not installed, what
// that means and offers to install it in a terminal the user sees. The graph, lenses and checks
// keep working meanwhile (the server reads the code; Run uses the CLI bundled with the extension).
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type { Ctx } from './context';
import { foldersMissingRuntime, RUNTIME_PACKAGE, type MissingRuntime } from './runtimeInstall';

const SHOWN_KEY = 'plumb.runtimeNotice.shown';
const INSTALL = `Install ${RUNTIME_PACKAGE}`;

/** Runs the install command in a new terminal in the project folder, shown to the user. */
export function installInTerminal(missing: MissingRuntime): vscode.Terminal {
  const terminal = vscode.window.createTerminal({ name: `Plumb: ${RUNTIME_PACKAGE}`, cwd: missing.folder });
  terminal.show();
  terminal.sendText(missing.command);
  return terminal;
}

export function watchForMissingRuntime(ctx: Ctx): vscode.Disposable {
  const state = ctx.extension.workspaceState;
  const check = (): void => {
    if (state.get<boolean>(SHOWN_KEY)) return;
    const files = ctx.tasks.all
      .map((t) => vscode.Uri.parse(t.uri))
      .filter((u) => u.scheme === 'file')
      .map((u) => u.fsPath);
    if (files.length === 0) return;
    const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
    const missing = foldersMissingRuntime([...new Set(files)], folders, existsSync);
    if (missing.length === 0) return;
    void state.update(SHOWN_KEY, true);
    subscription.dispose();
    const first = missing[0]!;
    const where = vscode.workspace.asRelativePath(first.folder) || first.folder;
    ctx.log.info(`${RUNTIME_PACKAGE} is not installed for: ${missing.map((m) => m.folder).join(', ')}`);
    void vscode.window
      .showInformationMessage(
        `Plumb: these pipelines import ${RUNTIME_PACKAGE}, which is not installed in ${where}. ` +
          'The graph and checks work; TypeScript and `npx plumb` need the package.',
        INSTALL,
      )
      .then((choice) => {
        if (choice === INSTALL) installInTerminal(first);
      });
  };
  const subscription = ctx.tasks.onDidChange(check);
  check();
  return subscription;
}
