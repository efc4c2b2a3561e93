// Decides whether this workspace uses Plumb, so TypeScript projects without it never start a server.
import * as vscode from 'vscode';

const marker = 'plumb-pipelines';

function mentionsPlumb(document: vscode.TextDocument): boolean {
  return (
    document.uri.scheme === 'file' &&
    (document.fileName.endsWith('plumb.toml') || document.getText().includes(marker))
  );
}

/** plumb.toml, a package.json depending on the runtime, or an open file importing it. */
export async function workspaceUsesPlumb(): Promise<boolean> {
  if (vscode.workspace.textDocuments.some(mentionsPlumb)) return true;
  const exclude = '**/node_modules/**';
  if ((await vscode.workspace.findFiles('**/plumb.toml', exclude, 1)).length > 0) return true;
  for (const uri of await vscode.workspace.findFiles('**/package.json', exclude, 50)) {
    // The workspace may not be ours: a FIFO or a link to a device would never finish reading.
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.type !== vscode.FileType.File || stat.size > 1024 * 1024) continue;
    const bytes = await vscode.workspace.fs.readFile(uri);
    if (Buffer.from(bytes).toString('utf8').includes(`"${marker}"`)) return true;
  }
  return false;
}

/** Calls `start` once, as soon as a document that uses Plumb is opened. */
export function startWhenPlumbAppears(start: () => void): vscode.Disposable {
  const listener = vscode.workspace.onDidOpenTextDocument((document) => {
    if (!mentionsPlumb(document)) return;
    listener.dispose();
    start();
  });
  return listener;
}
