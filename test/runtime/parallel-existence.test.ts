// parallel-existence.ts: paths checked by worker threads answer exactly what existsSync does
// (missing files, dangling links, non-ASCII names, paths past the shared buffer), and the threads
// really take part.
import assert from 'node:assert/strict';
import path from 'node:path';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { after, before, test } from 'node:test';
import { ParallelExistence } from '../../runtime/src/parallel-existence';

const N = 3000; // three chunks
let root = '';
let paths: string[] = [];
let named: string[] = [];

before(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'plumb-parallel-existence-'));
  paths = files(path.join(root, 'out'), N);
  named = files(path.join(root, 'données ☃'), 100);
});
after(() => rmSync(root, { recursive: true, force: true }));

function files(dir: string, n: number): string[] {
  mkdirSync(dir, { recursive: true });
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const file = path.join(dir, `f_${i}.txt`);
    writeFileSync(file, '');
    out.push(file);
  }
  return out;
}

function check(paths: string[], typicalBytes = Buffer.byteLength(paths[0]!)): ParallelExistence {
  const batch = new ParallelExistence(paths.length, typicalBytes);
  for (const p of paths) batch.add(p);
  return batch;
}

const nap = new Int32Array(new SharedArrayBuffer(4));

test('parallel existence: all there is true, one missing or a dangling link is false', () => {
  assert.equal(check(paths).allExist(), true);
  assert.equal(
    check([...paths.slice(0, 2500), path.join(root, 'out', 'nope.txt'), ...paths.slice(2500)]).allExist(),
    false,
  );
  symlinkSync(path.join(root, 'gone'), path.join(root, 'out', 'dangling.txt'));
  assert.equal(check([...paths, path.join(root, 'out', 'dangling.txt')]).allExist(), false);
});

test('parallel existence: non-ASCII names, and paths past the shared buffer, are checked all the same', () => {
  const all = [...paths, ...named];
  assert.equal(check(all).allExist(), true);
  // A buffer sized for 1-byte paths: the later ones spill over to the main thread.
  assert.equal(check(all, 1).allExist(), true);
  const missing = path.join(root, 'données ☃', 'é.txt');
  assert.equal(check([...all, missing]).allExist(), false);
  assert.equal(check([...all, missing], 1).allExist(), false);
});

test('parallel existence: a thread checks paths while they are being added', () => {
  const batch = check(paths);
  // Give the thread its time (it starts in ~10–30 ms), then the main thread takes what is left.
  for (let waited = 0; batch.checkedByThreads === 0 && waited < 10_000; waited += 10)
    Atomics.wait(nap, 0, 0, 10);
  assert.ok(batch.checkedByThreads > 0, 'no thread checked anything');
  assert.equal(batch.allExist(), true);
});
