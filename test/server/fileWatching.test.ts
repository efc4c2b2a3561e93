// The server's own directory watcher (used when the client cannot register watchers): a link to a
// directory that appears in the workspace is not walked, so nothing outside the workspace is watched.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { it } from 'node:test';
import type { FileChange } from '../../server/src/analysis/workspaceAnalysis';
import { DirectoryWatcher } from '../../server/src/fileWatching';

const settle = () => new Promise((resolve) => setTimeout(resolve, 400));

it('reports files of new directories but does not walk a new link to a directory outside', async () => {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-watch-')));
  const outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-watch-outside-')));
  const changes: FileChange[] = [];
  const watcher = new DirectoryWatcher(
    [root],
    (c) => changes.push(...c),
    () => undefined,
  );
  try {
    fs.mkdirSync(path.join(outside, 'deep'));
    fs.symlinkSync(outside, path.join(root, 'escape'));
    fs.mkdirSync(path.join(root, 'real'));
    await settle();
    fs.writeFileSync(path.join(outside, 'deep', 'planted.ts'), '');
    fs.writeFileSync(path.join(outside, 'planted.ts'), '');
    fs.writeFileSync(path.join(root, 'real', 'data.csv'), '');
    await settle();
    const seen = changes.map((c) => path.relative(root, c.file));
    assert.ok(seen.includes(path.join('real', 'data.csv')), seen.join(', '));
    assert.ok(!seen.some((f) => f.includes('planted')), seen.join(', '));
  } finally {
    watcher.dispose();
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  }
});
