// "Plumb: New Pipeline Project": asks for a folder, writes the project `plumb init` writes there
// (with the CLI bundled in the extension, so it works before anything is installed), and opens it.
import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import type { Ctx } from './context';

function runInit(ctx: Ctx, folder: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(ctx.nodePath, [ctx.cliPath, 'init', folder], (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}`.trim() });
    });
  });
}

export async function newPipelineProject(ctx: Ctx): Promise<void> {
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    openLabel: 'Create Pipeline Project Here',
    title: 'Plumb: New Pipeline Project (an empty folder)',
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  const folder = picked?.[0]?.fsPath;
  if (!folder) return;
  const { code, output } = await runInit(ctx, folder);
  ctx.log.info(`plumb init ${folder}: exit ${code}\n${output}`);
  if (code !== 0) {
    void vscode.window.showErrorMessage(`Plumb: ${output.replace(/^plumb: /, '')}`);
    return;
  }
  const open = 'Open Folder';
  const openNew = 'Open in New Window';
  const choice = await vscode.window.showInformationMessage(
    `Plumb: a pipeline project is ready in ${folder}. Open it, run \`npm install\`, then Run above \`class All\` in pipeline.ts.`,
    open,
    openNew,
  );
  if (choice)
    await vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.file(folder), {
      forceNewWindow: choice === openNew,
    });
}
