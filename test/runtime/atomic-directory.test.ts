// Directory outputs: whole or absent, replaced whole, temp directories of dead processes swept,
// durable mode's syncs before the rename.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { atomicWriteDirectory } from '../../runtime/src/atomic-directory';
import { atomicWriteFileSync, setDurableWrites } from '../../runtime/src/atomic-write';
import { observeDurableSyncs } from '../../runtime/src/durable-sync';

const scratch = () => mkdtempSync(path.join(os.tmpdir(), 'plumb-atomic-dir-'));

test('a directory appears only when its fill resolves; a fill that throws leaves nothing', async () => {
  const root = scratch();
  const dir = path.join(root, 'out', 'parts');
  await atomicWriteDirectory(dir, (temp) => {
    assert.ok(!existsSync(dir), 'not at its path while being written');
    writeFileSync(path.join(temp, 'a.txt'), 'a');
    mkdirSync(path.join(temp, 'sub'));
    writeFileSync(path.join(temp, 'sub', 'b.txt'), 'b');
  });
  assert.equal(readFileSync(path.join(dir, 'sub', 'b.txt'), 'utf8'), 'b');
  const failed = path.join(root, 'out', 'failed');
  await assert.rejects(
    atomicWriteDirectory(failed, (temp) => {
      writeFileSync(path.join(temp, 'half.txt'), 'half');
      throw new Error('stopped half way');
    }),
    /stopped half way/,
  );
  assert.deepEqual(readdirSync(path.join(root, 'out')), ['parts']);
});

test('an older directory is replaced whole, never merged', async () => {
  const root = scratch();
  const dir = path.join(root, 'parts');
  await atomicWriteDirectory(dir, (temp) => writeFileSync(path.join(temp, 'old.txt'), 'old'));
  await atomicWriteDirectory(dir, (temp) => writeFileSync(path.join(temp, 'new.txt'), 'new'));
  assert.deepEqual(readdirSync(dir), ['new.txt']);
  assert.deepEqual(readdirSync(root), ['parts']);
});

test("a dead process's temp directory is swept by the next write in its folder; a live one's is kept", () => {
  const root = scratch();
  const dead = path.join(root, '.parts.999999999-1.plumb-tmp');
  const alive = path.join(root, `.parts.${process.pid}-999.plumb-tmp`);
  for (const d of [dead, alive]) {
    mkdirSync(d);
    writeFileSync(path.join(d, 'part-0.txt'), 'half');
  }
  atomicWriteFileSync(path.join(root, 'other.txt'), 'x');
  assert.deepEqual(readdirSync(root).sort(), [path.basename(alive), 'other.txt'].sort());
});

test('durable, outside a task: the tree and its folder synced before the directory is in place, an older one replaced', async () => {
  const root = scratch();
  const dir = path.join(root, 'parts');
  const log: string[] = [];
  setDurableWrites(true);
  observeDurableSyncs((what, target) =>
    log.push(`${what} ${path.basename(target)}${existsSync(dir) ? ' (in place)' : ''}`),
  );
  try {
    await atomicWriteDirectory(dir, (temp) => writeFileSync(path.join(temp, 'old.txt'), 'old'));
    await atomicWriteDirectory(dir, (temp) => writeFileSync(path.join(temp, 'new.txt'), 'new'));
  } finally {
    observeDurableSyncs(undefined);
    setDurableWrites(false);
  }
  assert.deepEqual(readdirSync(dir), ['new.txt']);
  assert.deepEqual(readdirSync(root), ['parts']);
  assert.deepEqual(
    log.map((l) => l.replace(/\.parts\..*\.plumb-tmp/, '.parts.tmp')),
    [
      'file old.txt',
      'dir .parts.tmp',
      `dir ${path.basename(root)} (in place)`,
      'file new.txt (in place)',
      'dir .parts.tmp (in place)',
      `dir ${path.basename(root)} (in place)`,
    ],
  );
});
