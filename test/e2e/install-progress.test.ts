// The progress lines of the long first install (`npm start`, `npm run e2e:setup`): while code-server
// compiles its native modules the package count stands still for minutes, so the line names the
// modules compiling, found from the real node-gyp processes working in the install's folder.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { installedPackages, nativeBuilds } from '../../scripts/e2e/install-progress.mjs';

test('names the native modules a node-gyp process is compiling in the install folder, and counts packages', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plumb-install-progress-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const modules = path.join(dir, 'node_modules');
  for (const name of ['left-pad', '@scope/native', 'code-server/lib/vscode/node_modules/@vscode/sqlite3'])
    mkdirSync(path.join(modules, name), { recursive: true });
  assert.equal(nativeBuilds(dir).length, 0, 'nothing compiles yet');
  // Stand-ins for `node-gyp rebuild` as npm runs it: real processes with that command line, each in
  // its package's folder (a node that waits, named node-gyp in its arguments).
  const children = ['@scope/native', 'code-server/lib/vscode/node_modules/@vscode/sqlite3'].map((name) =>
    spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30_000)', 'node-gyp', 'rebuild'], {
      cwd: path.join(modules, name),
      stdio: 'ignore',
    }),
  );
  // One elsewhere is not this install's.
  children.push(
    spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30_000)', 'node-gyp', 'rebuild'], {
      cwd: os.tmpdir(),
      stdio: 'ignore',
    }),
  );
  t.after(() => children.forEach((c) => c.kill()));
  await Promise.all(children.map((c) => new Promise((resolve) => c.once('spawn', resolve))));
  assert.deepEqual(nativeBuilds(dir), ['@scope/native', '@vscode/sqlite3']);
  // left-pad, @scope/native, code-server; and @vscode/sqlite3 inside code-server's vscode.
  assert.equal(installedPackages(dir), 4);
});
