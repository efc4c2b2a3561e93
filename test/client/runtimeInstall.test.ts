// Which projects of a workspace lack plumb-pipelines, and how each would install it, on real folders.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import {
  findRuntime,
  foldersMissingRuntime,
  installCommand,
  projectFolder,
} from '../../client/src/runtimeInstall';

function tree(t: { after(fn: () => void): void }, files: string[]): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'plumb-runtime-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  for (const file of files) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), '{}');
  }
  return root;
}

test('a workspace whose pipelines cannot resolve the runtime is told where and how to install it', (t) => {
  const ws = tree(t, [
    'installed/package.json',
    'installed/node_modules/plumb-pipelines/package.json',
    'installed/pipelines/daily.ts',
    'bare/package.json',
    'bare/src/pipeline.ts',
    'bare/src/more.ts',
    'pnpm/pnpm-lock.yaml',
    'pnpm/package.json',
    'pnpm/pipeline.ts',
    'toml-only/plumb.toml',
    'toml-only/jobs/pipeline.ts',
  ]);
  const files = [
    'installed/pipelines/daily.ts',
    'bare/src/pipeline.ts',
    'bare/src/more.ts',
    'pnpm/pipeline.ts',
    'toml-only/jobs/pipeline.ts',
  ].map((f) => path.join(ws, f));
  assert.deepEqual(foldersMissingRuntime(files, [ws], existsSync), [
    { folder: path.join(ws, 'bare'), command: 'npm install plumb-pipelines' },
    { folder: path.join(ws, 'pnpm'), command: 'pnpm add plumb-pipelines' },
    { folder: path.join(ws, 'toml-only'), command: 'npm install plumb-pipelines' },
  ]);
});

test('the runtime is found in any node_modules above, as Node resolves it', (t) => {
  const ws = tree(t, ['node_modules/plumb-pipelines/package.json', 'a/b/c/pipeline.ts']);
  assert.equal(
    findRuntime(path.join(ws, 'a', 'b', 'c'), existsSync),
    path.join(ws, 'node_modules', 'plumb-pipelines'),
  );
  assert.deepEqual(foldersMissingRuntime([path.join(ws, 'a/b/c/pipeline.ts')], [ws], existsSync), []);
});

test('the project folder stays inside the workspace folder; yarn projects get yarn add', (t) => {
  const ws = tree(t, ['yarn.lock', 'deep/er/pipeline.ts']);
  assert.equal(projectFolder(path.join(ws, 'deep', 'er'), ws, existsSync), ws);
  assert.equal(installCommand(ws, existsSync), 'yarn add plumb-pipelines');
});
