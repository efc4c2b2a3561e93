// Run logs: bounded by count and size, oldest first, never the current run's.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { newRunId } from '../../runtime/src/event-stream';
import { pruneRunLogs } from '../../runtime/src/run-log';

/** `n` logs of `bytes` each, one minute apart, oldest first (names sort by start time). */
function logs(n: number, bytes = 10): { dir: string; names: string[] } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plumb-runs-'));
  const names = Array.from(
    { length: n },
    (_, i) => `${newRunId(new Date(Date.UTC(2026, 0, 1, 0, i)))}.jsonl`,
  );
  for (const name of names) writeFileSync(path.join(dir, name), 'x'.repeat(bytes));
  writeFileSync(path.join(dir, 'notes.txt'), 'not a run log');
  return { dir, names };
}

test('keeps the newest runs within the count, deleting the oldest; other files are left alone', () => {
  const { dir, names } = logs(5);
  assert.deepEqual(pruneRunLogs(dir, { maxRuns: 3, maxBytes: 0 }), names.slice(0, 2).reverse());
  assert.deepEqual(readdirSync(dir).sort(), [...names.slice(2), 'notes.txt'].sort());
});

test('keeps the newest runs within the size; the current run is kept first even when it is the oldest', () => {
  const { dir, names } = logs(5, 100);
  const current = path.join(dir, names[0]!);
  pruneRunLogs(dir, { maxRuns: 0, maxBytes: 250 }, current);
  assert.deepEqual(readdirSync(dir).sort(), [names[0]!, names[4]!, 'notes.txt'].sort());
  // A limit the current log alone exceeds still keeps it.
  pruneRunLogs(dir, { maxRuns: 1, maxBytes: 1 }, current);
  assert.deepEqual(readdirSync(dir).sort(), [names[0]!, 'notes.txt'].sort());
});

test('0 means no limit', () => {
  const { dir, names } = logs(4);
  assert.deepEqual(pruneRunLogs(dir, { maxRuns: 0, maxBytes: 0 }), []);
  assert.equal(readdirSync(dir).length, names.length + 1);
});
