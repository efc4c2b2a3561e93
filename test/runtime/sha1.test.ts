// sha1Hex (runtime/src/sha1.ts) against node:crypto's digest: lock and transpile-cache file names
// must stay what they were when node:crypto made them.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { sha1Hex } from '../../runtime/src/sha1';

const expected = (text: string) => createHash('sha1').update(text).digest('hex');

test('sha1Hex equals node:crypto for every length around the block edges, and for UTF-8 text', () => {
  // 55/56 bytes: where the length no longer fits the last block; 64: a block exactly.
  for (let n = 0; n <= 130; n++) {
    const text = 'abcdefghij'.repeat(13).slice(0, n);
    assert.equal(sha1Hex(text), expected(text), `length ${n}`);
  }
  assert.equal(sha1Hex('abc'), 'a9993e364706816aba3e25717850c26c9cd0d89d');
  for (const text of ['/home/zoë/projects/ünïcode', '日本語のパス\0recipe\0source', '😀'.repeat(40)])
    assert.equal(sha1Hex(text), expected(text));
  const big = 'export class T extends Task {}\n'.repeat(5000);
  assert.equal(sha1Hex(big), expected(big));
});
