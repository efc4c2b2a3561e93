// The transpile cache keeps one entry per recipe (transpiler version and options): two plumb builds
// used on one project take turns without transpiling again at every other start. An entry holds the
// source it was made from and counts only for exactly that text.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { transpileCached } from '../../runtime/src/cli-transpile-cache';

test('two recipes taking turns on one file each transpile it once', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plumb-transpile-cache-'));
  try {
    const file = path.join(dir, 'pipeline.ts');
    const source = 'export const x: number = 1;\n';
    writeFileSync(file, source);
    const cacheDir = path.join(dir, 'cache');
    const transpiled: string[] = [];
    const load = (recipe: string) =>
      transpileCached(cacheDir, file, source, recipe, () => {
        transpiled.push(recipe);
        return `exports.x = 1; // ${recipe}\n`;
      });
    for (const recipe of ['esbuild@1 a', 'esbuild@2 b', 'esbuild@1 a', 'esbuild@2 b']) {
      assert.equal(load(recipe), `exports.x = 1; // ${recipe}\n`);
    }
    assert.deepEqual(transpiled, ['esbuild@1 a', 'esbuild@2 b']);
    // A changed source is transpiled again, under either recipe.
    const changed = 'export const x: number = 2;\n';
    transpileCached(cacheDir, file, changed, 'esbuild@1 a', () => {
      transpiled.push('changed');
      return 'exports.x = 2;\n';
    });
    assert.deepEqual(transpiled, ['esbuild@1 a', 'esbuild@2 b', 'changed']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an entry counts only for the exact source it was made from, whatever its length', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plumb-transpile-cache-'));
  try {
    const file = path.join(dir, 'pipeline.ts');
    const cacheDir = path.join(dir, 'cache');
    const transpiled: string[] = [];
    const load = (source: string) =>
      transpileCached(cacheDir, file, source, 'esbuild@1 a', () => {
        transpiled.push(source);
        return `// from ${source}`;
      });
    const source = 'export const x: number = 1;\n';
    // An edit of the same length, one that only appends, one that only shortens, and the first again.
    const versions = [source, source.replace('1', '2'), `${source}//\n`, source.slice(0, -1), source];
    for (const v of versions) assert.equal(load(v), `// from ${v}`);
    assert.deepEqual(transpiled, versions);
    // Unchanged since the last load: from the cache.
    assert.equal(load(source), `// from ${source}`);
    assert.equal(transpiled.length, versions.length);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
