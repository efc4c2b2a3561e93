// parallel-existence.ts: paths answered by a listing of their folder or checked by worker threads
// answer exactly what existsSync does (missing files, links, non-ASCII names, paths past the
// shared buffer); a folder of many paths is listed and starts no thread; paths spread over many
// folders are checked by threads, which really take part.
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
/** Paths spread 30 a folder (fewer than LIST_FROM in a row): left to the threads. */
const spread: string[] = [];

before(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'plumb-parallel-existence-'));
  paths = files(path.join(root, 'out'), N);
  named = files(path.join(root, 'données ☃'), 100);
  for (let d = 0; d < 70; d++) spread.push(...files(path.join(root, 'spread', `d${d}`), 30));
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
  // Fewer than LIST_FROM in the last folder, after enough for threads: they check those too.
  const all = [...spread, ...named.slice(0, 50)];
  assert.equal(check(all).allExist(), true);
  // A buffer sized for 1-byte paths: the later ones spill over to the main thread.
  assert.equal(check(all, 1).allExist(), true);
  const missing = path.join(root, 'données ☃', 'é.txt');
  assert.equal(check([...all, missing]).allExist(), false);
  assert.equal(check([...all, missing], 1).allExist(), false);
});

test('parallel existence: a folder of many paths is listed once and starts no thread', () => {
  const [listed, threaded] = [ParallelExistence.listed, ParallelExistence.threaded];
  assert.equal(check(paths).allExist(), true);
  assert.equal(ParallelExistence.listed, listed + 1);
  assert.equal(ParallelExistence.threaded, threaded, 'a thread was started');
  // 100 paths of a folder of 3,000 files: listing it costs more than asking them (not listed).
  assert.equal(check(paths.slice(0, 100)).allExist(), true);
  assert.equal(check([...paths.slice(0, 99), path.join(root, 'out', 'nope.txt')]).allExist(), false);
  assert.equal(ParallelExistence.listed, listed + 1);
  // Files, folders and links in a listed folder, folders in turn, a relative path: as existsSync says.
  const out = path.join(root, 'out');
  mkdirSync(path.join(out, 'a folder'));
  symlinkSync(paths[0]!, path.join(out, 'link.txt'));
  const mixed = [...paths, path.join(out, 'a folder'), path.join(out, 'link.txt'), ...named, paths[7]!];
  assert.equal(check(mixed).allExist(), true);
  assert.equal(check([...mixed, 'relative.txt']).allExist(), false);
  assert.equal(check([...paths.slice(0, 100), path.join(out, 'dangling.txt'), ...paths]).allExist(), false);
});

test('parallel existence: a thread checks paths while they are being added', () => {
  const batch = check(spread);
  // Give the thread its time (it starts in ~10–30 ms), then the main thread takes what is left.
  for (let waited = 0; batch.checkedByThreads === 0 && waited < 10_000; waited += 10)
    Atomics.wait(nap, 0, 0, 10);
  assert.ok(batch.checkedByThreads > 0, 'no thread checked anything');
  assert.equal(batch.allExist(), true);
  assert.equal(check([...spread, path.join(root, 'spread', 'd3', 'nope.txt')]).allExist(), false);
});
