// The installed extension activates in the workspace without errors, and lazily: only because the
// workspace holds a plumb.toml, not on every VS Code start.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extensionId } from './workspace';

describe('activation', () => {
  it('is installed and activates without throwing', async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `${extensionId} is not installed`);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('declares only lazy activation events', () => {
    const events = vscode.extensions.getExtension(extensionId)?.packageJSON.activationEvents as string[];
    assert.ok(!events.includes('*'), 'activates on every start');
    assert.ok(!events.includes('onStartupFinished'), 'activates on every start');
  });
});
