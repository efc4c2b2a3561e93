// The event writer thread: lines pushed reach the file without a flush, and with nothing to write
// the thread sleeps instead of waking every few milliseconds (on 2 cores busy with isolated tasks,
// those idle wake-ups cost the run a third of its own CPU).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ThreadedLines } from '../../runtime/src/cli-threaded-lines';

const threads = () => new Set(readdirSync('/proc/self/task'));

/** Voluntary context switches of these threads of this process: each is one wake-up. */
function wakeUps(tids: string[]): number {
  let total = 0;
  for (const tid of tids) {
    const status = readFileSync(`/proc/self/task/${tid}/status`, 'utf8');
    total += Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(status)![1]);
  }
  return total;
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !check(); waited += 10) {
    if (waited > 5000) assert.fail(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

test(
  'the writer thread sleeps while there is nothing to write, and a line pushed then still goes out unflushed',
  { skip: !existsSync('/proc/self/task') && 'needs Linux /proc' },
  async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'plumb-threaded-lines-'));
    const file = path.join(dir, 'events.jsonl');
    const before = threads();
    const lines = new ThreadedLines(file);
    try {
      lines.push('first');
      const read = () => (existsSync(file) ? readFileSync(file, 'utf8') : '');
      await until(() => read() === 'first\n', 'the first line');
      const writer = [...threads()].filter((tid) => !before.has(tid));
      await sleep(50); // the write's own wake-ups are over
      const idleFrom = wakeUps(writer);
      await sleep(300);
      // Waking every 5 ms would be ~60 here; the thread pool and V8 threads started with it add a few.
      assert.ok(wakeUps(writer) - idleFrom < 15, `${wakeUps(writer) - idleFrom} wake-ups while idle`);
      lines.push('second');
      await until(() => read() === 'first\nsecond\n', 'the line pushed while the writer slept');
    } finally {
      lines.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test('a process that exits mid-run (a second Ctrl-C) still leaves every line it pushed', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plumb-threaded-lines-'));
  const file = path.join(dir, 'events.jsonl');
  const script = `
    const { ThreadedLines } = require(${JSON.stringify(path.resolve(__dirname, '../../runtime/src/cli-threaded-lines.ts'))});
    const lines = new ThreadedLines(${JSON.stringify(file)});
    for (let i = 0; i < 20000; i++) lines.push('{"seq":' + i + ',"x":"é✗"}');
    process.exit(130); // no flush, no close: the writer thread has likely not even started
  `;
  try {
    const r = spawnSync(process.execPath, [...process.execArgv, '-e', script], { encoding: 'utf8' });
    assert.equal(r.status, 130, r.stderr);
    const expected = Array.from({ length: 20_000 }, (_, i) => `{"seq":${i},"x":"é✗"}\n`).join('');
    assert.equal(readFileSync(file, 'utf8'), expected);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
