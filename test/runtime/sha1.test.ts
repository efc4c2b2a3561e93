// sha1.ts: the same digests as node:crypto's, which lock and cache file names on disk carry.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { sha1Hex } from '../../runtime/src/sha1';

test('sha1Hex equals node:crypto for empty, block-edge, non-ASCII and long inputs', () => {
  const inputs = [
    '',
    'abc',
    'a'.repeat(55), // the longest one-block message
    'a'.repeat(56), // the length no longer fits: two blocks
    'a'.repeat(64),
    '/home/ü/projects/pipeline.ts\nDaily(date=2026-11-01) € 😀',
    'x'.repeat(200_000),
  ];
  for (const text of inputs)
    assert.equal(sha1Hex(text), createHash('sha1').update(text).digest('hex'), text.slice(0, 20));
});
