// Opening a task file gives Run, Debug and Graph code lenses above each task class, each calling
// the extension's command with the task's file and family.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ClientCommands, type TaskCommandArgs } from '../../../server/src/protocol';
import { poll, taskFile } from './workspace';

describe('code lenses', () => {
  it('shows Run, Debug and Graph above Top10Artists', async () => {
    const uri = await taskFile('Top10Artists');
    await vscode.window.showTextDocument(uri);
    const lenses = await poll('code lenses naming Top10Artists', async () => {
      const all = await vscode.commands.executeCommand<vscode.CodeLens[]>(
        'vscode.executeCodeLensProvider',
        uri,
        100,
      );
      const forTask = all.filter(
        (l) => (l.command?.arguments?.[0] as TaskCommandArgs | undefined)?.family === 'Top10Artists',
      );
      return forTask.length >= 3 ? forTask : undefined;
    });
    const commands = lenses.map((l) => l.command?.command);
    for (const expected of [ClientCommands.run, ClientCommands.debug, ClientCommands.graph]) {
      assert.ok(commands.includes(expected), `no lens runs ${expected}; got ${commands.join(', ')}`);
    }
    const args = lenses[0]?.command?.arguments?.[0] as TaskCommandArgs;
    assert.equal(vscode.Uri.parse(args.uri).fsPath, uri.fsPath);
  });
});
