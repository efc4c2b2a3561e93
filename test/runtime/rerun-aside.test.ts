// Moving outputs aside and back (runtime/src/rerun-aside.ts) on real files and directories: a rerun
// killed at any point of its moves is undone from its manifest, a live one is left alone.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { atomicWriteFileSync } from '../../runtime/src/atomic-write';
import {
  MovedAside,
  recoverInterruptedReruns,
  rerunRoot,
  type AsideManifest,
} from '../../runtime/src/rerun-aside';

function project(): { root: string; outputs: { taskId: string; path: string }[] } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'plumb-aside-'));
  writeFileSync(path.join(root, 'plumb.toml'), '');
  mkdirSync(path.join(root, 'out/dir'), { recursive: true });
  writeFileSync(path.join(root, 'out/a.txt'), 'a\n');
  writeFileSync(path.join(root, 'out/dir/part-0'), 'p\n');
  writeFileSync(path.join(root, 'out/b.txt'), 'b\n');
  return {
    root,
    outputs: ['out/a.txt', 'out/dir', 'out/b.txt'].map((p, i) => ({
      taskId: `T${i}`,
      path: path.join(root, p),
    })),
  };
}

/** A process that has exited: what a killed rerun's manifest names. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(child.stdout);
}

test('restore puts back what was not produced again and keeps what was', () => {
  const { root, outputs } = project();
  const aside = MovedAside.move(root, 'run-1', ['Root'], outputs);
  assert.equal(existsSync(outputs[0]!.path), false);
  assert.equal(existsSync(outputs[1]!.path), false);
  writeFileSync(outputs[0]!.path, 'new a\n'); // the rerun produced a.txt again
  const report = aside.restore();
  assert.deepEqual(report.reproduced, [outputs[0]!.path]);
  assert.deepEqual(report.restored.sort(), [outputs[1]!.path, outputs[2]!.path].sort());
  assert.equal(readFileSync(outputs[0]!.path, 'utf8'), 'new a\n');
  assert.equal(readFileSync(path.join(root, 'out/dir/part-0'), 'utf8'), 'p\n');
  assert.equal(existsSync(path.join(rerunRoot(root), 'run-1')), false);
});

test('a rerun killed half way through its moves is undone from its manifest; a live one is not touched', () => {
  const { root, outputs } = project();
  const dir = path.join(rerunRoot(root), 'run-2');
  const entries = outputs.map((o) => ({
    taskId: o.taskId,
    original: o.path,
    aside: path.join(dir, 'outputs', path.relative(root, o.path)),
  }));
  const manifest: AsideManifest = {
    version: 1,
    runId: 'run-2',
    owner: { pid: deadPid() },
    startedAt: Date.now(),
    roots: ['Root'],
    entries,
  };
  mkdirSync(path.join(dir, 'outputs', 'out'), { recursive: true });
  atomicWriteFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
  // Killed after the first rename: a.txt is aside, the directory and b.txt never moved.
  renameSync(entries[0]!.original, entries[0]!.aside);
  // While its process lives (here: this one), nothing is touched.
  atomicWriteFileSync(
    path.join(dir, 'manifest.json'),
    JSON.stringify({ ...manifest, owner: { pid: process.pid } }),
  );
  assert.deepEqual(recoverInterruptedReruns(root), []);
  assert.equal(existsSync(outputs[0]!.path), false);
  atomicWriteFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
  const [report] = recoverInterruptedReruns(root);
  assert.deepEqual(report!.restored, [outputs[0]!.path]);
  for (const o of outputs) assert.ok(existsSync(o.path), o.path);
  assert.equal(existsSync(dir), false);
  assert.deepEqual(recoverInterruptedReruns(root), []);
});
