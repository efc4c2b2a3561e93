// Run logs: bounded by count and size, oldest first, never the current run's; the writer leaves
// every line in order, also when the process exits mid-run.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { newRunId } from '../../runtime/src/event-stream';
import { pruneRunLogs, RunLogWriter } from '../../runtime/src/run-log';

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

test('the writer: every line in order once close() returns, flushed in chunks meanwhile', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'plumb-runlog-'));
  const writer = new RunLogWriter(root, 'r1');
  // Some lines with characters of 2 and 3 bytes: each chunk's place is counted in bytes.
  const lines = Array.from(
    { length: 20_000 },
    (_, i) => `{"seq":${i},"pad":"${i % 7 ? 'x'.repeat(40) : 'é日'.repeat(20)}"}`,
  );
  for (const [i, line] of lines.entries()) {
    writer.append(line);
    // Let the timer flush some chunks while lines still come.
    if (i % 5_000 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  writer.close();
  assert.equal(readFileSync(writer.file, 'utf8'), lines.map((l) => `${l}\n`).join(''));
  // A writer for a log that already has lines (a resumed run) adds after them.
  const again = new RunLogWriter(root, 'r1');
  for (const line of lines) again.append(line);
  await new Promise((resolve) => setTimeout(resolve, 50));
  again.close();
  assert.equal(
    readFileSync(writer.file, 'utf8'),
    lines
      .map((l) => `${l}\n`)
      .join('')
      .repeat(2),
  );
});

test('a process that exits in the middle of a run still leaves every line it appended', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'plumb-runlog-'));
  const script = `
    const { RunLogWriter } = require(${JSON.stringify(path.resolve(__dirname, '../../runtime/src/run-log.ts'))});
    const w = new RunLogWriter(${JSON.stringify(root)}, 'r2');
    for (let i = 0; i < 3000; i++) w.append('{"seq":' + i + '}');
    process.exit(130); // a second Ctrl-C: no flush, no close
  `;
  const r = spawnSync(process.execPath, [...process.execArgv, '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 130, r.stderr);
  const text = readFileSync(path.join(root, '.plumb', 'runs', 'r2.jsonl'), 'utf8');
  assert.equal(text, Array.from({ length: 3000 }, (_, i) => `{"seq":${i}}\n`).join(''));
});
