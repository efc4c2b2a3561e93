import assert from 'node:assert/strict';
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { FileTail } from '../../client/src/fileTail';

test('reads only what was appended since the last read, from before the file exists to the end', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'plumb-tail-'));
  try {
    const file = path.join(dir, 'events.jsonl');
    const chunks: string[] = [];
    const tail = new FileTail(file, (text) => chunks.push(text));
    await tail.readNew();
    assert.deepEqual(chunks, [], 'no file yet: nothing, and no error');

    await appendFile(file, 'first\n');
    await tail.readNew();
    await tail.readNew();
    assert.deepEqual(chunks, ['first\n']);

    // A multi-byte character cut in the middle must not turn into replacement characters.
    const text = 'héllo ✓ wörld\n';
    const bytes = Buffer.from(text);
    await appendFile(file, bytes.subarray(0, 10));
    await tail.readNew();
    await appendFile(file, bytes.subarray(10));
    await appendFile(file, 'x'.repeat(200_000));
    await tail.stop();
    assert.equal(chunks.join(''), `first\n${text}${'x'.repeat(200_000)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
