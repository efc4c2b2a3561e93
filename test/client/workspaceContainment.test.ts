// The check behind the webviews' "open" messages: only real files inside the workspace folders.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { fileInsideFolders } from '../../client/src/workspaceContainment';

test('opens files inside a workspace folder and refuses everything else', async () => {
  const root = await realpath(await mkdtemp(path.join(os.tmpdir(), 'plumb-open-')));
  try {
    const folder = path.join(root, 'project');
    const sibling = path.join(root, 'project-evil');
    await mkdir(path.join(folder, 'src'), { recursive: true });
    await mkdir(sibling);
    const inside = path.join(folder, 'src', 'pipeline.ts');
    await writeFile(inside, '');
    await writeFile(path.join(sibling, 'x.ts'), '');
    await writeFile(path.join(root, 'secret.txt'), '');
    await symlink(path.join(root, 'secret.txt'), path.join(folder, 'link.ts'));
    await symlink(inside, path.join(folder, 'alias.ts'));
    const check = (file: string) => fileInsideFolders(pathToFileURL(file).href, [folder]);

    assert.deepEqual(await check(inside), { file: inside });
    assert.deepEqual(await check(path.join(folder, 'alias.ts')), { file: path.join(folder, 'alias.ts') });
    assert.deepEqual(await check(path.join(root, 'secret.txt')), {
      refused: 'outside the workspace folders',
    });
    assert.deepEqual(await check(path.join(folder, 'link.ts')), { refused: 'outside the workspace folders' });
    // A folder whose name starts like the workspace folder's is not inside it.
    assert.deepEqual(await check(path.join(sibling, 'x.ts')), { refused: 'outside the workspace folders' });
    assert.deepEqual(await check(path.join(folder, 'src', '..', '..', 'secret.txt')), {
      refused: 'outside the workspace folders',
    });
    assert.deepEqual(await check(folder), { refused: 'outside the workspace folders' });
    assert.deepEqual(await check(path.join(folder, 'missing.ts')), { refused: 'no such file' });
    assert.deepEqual(await fileInsideFolders('https://example.com/x.ts', [folder]), {
      refused: 'not a file URI',
    });
    assert.deepEqual(await fileInsideFolders('command:workbench.action.terminal.new', [folder]), {
      refused: 'not a file URI',
    });
    assert.deepEqual(await fileInsideFolders(pathToFileURL(inside).href, []), {
      refused: 'outside the workspace folders',
    });
    // A workspace folder opened through a link still contains its own files.
    await symlink(folder, path.join(root, 'linked-folder'));
    assert.deepEqual(
      await fileInsideFolders(pathToFileURL(inside).href, [path.join(root, 'linked-folder')]),
      {
        file: inside,
      },
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
