// The commands the server's code lenses name are registered by the extension.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ClientCommands } from '../../../server/src/protocol';

describe('commands', () => {
  it('registers every code-lens command', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = Object.values(ClientCommands).filter((c) => !registered.has(c));
    assert.deepEqual(missing, []);
  });
});
