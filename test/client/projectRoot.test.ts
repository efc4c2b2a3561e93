import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { projectRootOf, runsDirOf } from '../../client/src/projectRoot';

test('the project root is the nearest folder with plumb.toml, else the fallback', async () => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'plumb-root-'));
  try {
    const project = path.join(root, 'project');
    const nested = path.join(project, 'pipelines', 'daily');
    await mkdir(nested, { recursive: true });
    const file = path.join(nested, 'top.ts');
    assert.equal(projectRootOf(file, '/fallback'), '/fallback');
    await writeFile(path.join(project, 'plumb.toml'), '[run]\n');
    assert.equal(projectRootOf(file, '/fallback'), project);
    await writeFile(path.join(nested, 'plumb.toml'), '');
    assert.equal(projectRootOf(file, '/fallback'), nested);
    assert.equal(runsDirOf(project), path.join(project, '.plumb', 'runs'));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
