import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { mkdir, mkdtemp, realpath, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { RunEvent } from '../../runtime/src/events';
import {
  digestRun,
  listRunFiles,
  MAX_RUN_LOG_BYTES,
  readLastRuns,
  readRunEvents,
  readRunHistory,
  RunLogRefused,
} from '../../client/src/runHistory';
import { emptySummary, eventStream } from './support/eventStream';

/** Writes a run log the way the runtime appends it: one JSON event per line. */
async function writeRun(
  dir: string,
  runId: string,
  start: number,
  tasks: Record<string, number>,
  finished = true,
) {
  const ev = eventStream(runId, start);
  const events: RunEvent[] = [
    ev({
      type: 'run-started',
      root: 'All()',
      family: 'All',
      params: {},
      module: 'p.ts',
      cwd: dir,
      pid: 1,
      workers: 1,
      unit: false,
      config: {},
      runtimeVersion: '0',
    }),
  ];
  for (const [taskId, durationMs] of Object.entries(tasks)) {
    events.push(
      ev({ type: 'task-running', taskId, attempt: 1 }),
      ev({ type: 'task-done', taskId, attempt: 1, durationMs }),
    );
  }
  if (finished) {
    events.push(
      ev({ type: 'run-finished', outcome: 'success', exitCode: 0, durationMs: 999, summary: emptySummary }),
    );
  }
  const file = path.join(dir, `${runId}.jsonl`);
  await writeFile(file, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  await utimes(file, start / 1000, start / 1000);
  return events;
}

test('history: newest run first, per-task durations oldest first, unfinished runs without outcome', async () => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'plumb-history-'));
  try {
    const runs = path.join(root, '.plumb', 'runs');
    await mkdir(runs, { recursive: true });
    await writeRun(runs, 'r1', 1_700_000_000_000, { 'A()': 10, 'B()': 20 });
    await writeRun(runs, 'r2', 1_700_000_100_000, { 'A()': 12 });
    await writeRun(runs, 'r3', 1_700_000_200_000, { 'A()': 14, 'B()': 25 }, false);
    await writeFile(path.join(runs, 'notes.txt'), 'not a run');

    const history = await readRunHistory([runs, path.join(root, 'missing', '.plumb', 'runs')]);
    assert.deepEqual(
      history.runs.map((r) => [r.runId, r.outcome, r.durationMs]),
      [
        ['r3', undefined, undefined],
        ['r2', 'success', 999],
        ['r1', 'success', 999],
      ],
    );
    assert.deepEqual(history.durations, { 'A()': [10, 12, 14], 'B()': [20, 25] });
    assert.equal(history.runs[0]?.root, 'All()');

    const limited = await readRunHistory([runs], 2);
    assert.deepEqual(
      limited.runs.map((r) => r.runId),
      ['r3', 'r2'],
    );
    assert.deepEqual(limited.durations, { 'A()': [12, 14], 'B()': [25] });

    // r3 finishes after it was read: the next history has its outcome (a log that grew is read again).
    const finished = await writeRun(runs, 'r3', 1_700_000_200_000, { 'A()': 14, 'B()': 25 });
    assert.equal(finished.at(-1)?.type, 'run-finished');
    const again = await readRunHistory([runs]);
    assert.deepEqual(
      again.runs.map((r) => [r.runId, r.outcome]),
      [
        ['r3', 'success'],
        ['r2', 'success'],
        ['r1', 'success'],
      ],
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('a replay reads the events back in sequence order, skipping junk lines', async () => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'plumb-replay-'));
  try {
    const written = await writeRun(root, 'r9', 1_700_000_000_000, { 'A()': 1 });
    await writeFile(
      path.join(root, 'r9.jsonl'),
      ['garbage', ...written.reverse().map((e) => JSON.stringify(e))].join('\n'),
    );
    const events = await readRunEvents(path.join(root, 'r9.jsonl'));
    assert.deepEqual(
      events.map((e) => e.seq),
      [...written.keys()],
    );
    const [file] = await listRunFiles([root]);
    assert.equal(file?.runId, 'r9');
    const digest = digestRun('r9', events, 0);
    assert.equal(digest.entry.startedAt, events[0]?.time);
    assert.deepEqual([...digest.durations], [['A()', 1]]);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('the tree’s last statuses: each family as its latest run left it, a dead run’s running tasks ignored', async () => {
  const runs = await mkdtemp(path.join(os.tmpdir(), 'plumb-last-'));
  try {
    assert.deepEqual(await readLastRuns([runs]), { families: {} }, 'no runs: nothing known');
    await writeRun(runs, 'r1', 1_700_000_000_000, { 'A()': 10, 'B()': 20 });
    // r2 runs only A and dies while B(x=1) runs (no run-finished): B keeps r1's status.
    const dead = await writeRun(runs, 'r2', 1_700_000_100_000, { 'A()': 12 }, false);
    const ev = eventStream('r2', 1_700_000_100_000);
    const more = [ev({ type: 'task-running', taskId: 'B(x=1)', attempt: 1 })].map((e) => ({
      ...e,
      seq: dead.length,
    }));
    await writeFile(
      path.join(runs, 'r2.jsonl'),
      [...dead, ...more].map((e) => JSON.stringify(e)).join('\n') + '\n',
    );
    await utimes(path.join(runs, 'r2.jsonl'), 1_700_000_100, 1_700_000_100);

    const last = await readLastRuns([runs]);
    assert.deepEqual(last.families, { A: 'done', B: 'done' });
    assert.equal(last.newest?.runId, 'r2');
    assert.equal(last.newest?.tasks.get('B(x=1)')?.status, 'running', 'the newest run itself is as it was');

    const onlyNewest = await readLastRuns([runs], 1);
    assert.deepEqual(onlyNewest.families, { A: 'done' });
    const withinOneByte = await readLastRuns([runs], 10, 1);
    assert.deepEqual(withinOneByte.families, { A: 'done' }, 'over the byte budget: the newest only');
  } finally {
    await rm(runs, { recursive: true, force: true });
  }
});

test(
  'a hostile runs folder: FIFOs, devices and links named *.jsonl are skipped, never opened',
  {
    skip: process.platform === 'win32' && 'FIFOs are POSIX',
  },
  async () => {
    const root = await realpath(await mkdtemp(path.join(os.tmpdir(), 'plumb-hostile-runs-')));
    const runs = path.join(root, '.plumb', 'runs');
    const fifo = path.join(runs, 'fifo.jsonl');
    try {
      await mkdir(runs, { recursive: true });
      await writeRun(runs, 'real', 1_700_000_000_000, { 'A()': 10 });
      await writeRun(root, 'elsewhere', 1_700_000_300_000, { 'B()': 10 });
      execFileSync('mkfifo', [fifo]);
      await symlink('/dev/zero', path.join(runs, 'zero.jsonl'));
      await symlink(path.join(root, 'elsewhere.jsonl'), path.join(runs, 'link.jsonl'));
      await utimes(fifo, 1_700_000_900, 1_700_000_900); // the newest: what readLastRuns reads first

      const within = <T>(promise: Promise<T>) =>
        Promise.race([
          promise,
          new Promise<never>((_, reject) => setTimeout(() => reject(new Error('blocked on a FIFO')), 5000)),
        ]);
      assert.deepEqual(
        (await within(listRunFiles([runs]))).map((f) => f.runId),
        ['real'],
      );
      const history = await within(readRunHistory([runs]));
      assert.deepEqual(
        history.runs.map((r) => r.runId),
        ['real'],
      );
      const last = await within(readLastRuns([runs]));
      assert.equal(last.newest?.runId, 'real');
      // Asked directly (a replay of a name from somewhere else), the reader refuses them too.
      await assert.rejects(within(readRunEvents(fifo)), RunLogRefused);
      await assert.rejects(within(readRunEvents(path.join(runs, 'zero.jsonl'))), RunLogRefused);
      await assert.rejects(within(readRunEvents(path.join(runs, 'link.jsonl'))), RunLogRefused);
    } finally {
      // A reader blocked in open() by older code is released by a writer: the test process can end.
      try {
        closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
      } catch {
        // nobody was waiting
      }
      await rm(root, { recursive: true, force: true });
    }
  },
);

test('a runs folder that is a link to another project is not read', async () => {
  const root = await realpath(await mkdtemp(path.join(os.tmpdir(), 'plumb-linked-runs-')));
  try {
    const other = path.join(root, 'other', '.plumb', 'runs');
    await mkdir(other, { recursive: true });
    await writeRun(other, 'theirs', 1_700_000_000_000, { 'A()': 10 });
    await mkdir(path.join(root, 'mine', '.plumb'), { recursive: true });
    await symlink(other, path.join(root, 'mine', '.plumb', 'runs'));
    await mkdir(path.join(root, 'via'));
    await symlink(path.join(root, 'other', '.plumb'), path.join(root, 'via', '.plumb'));
    assert.deepEqual(await listRunFiles([path.join(root, 'mine', '.plumb', 'runs')]), []);
    assert.deepEqual(await listRunFiles([path.join(root, 'via', '.plumb', 'runs')]), []);
    assert.equal((await listRunFiles([other])).length, 1);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('a run log over the size limit is refused with its size, and left out of the history', async () => {
  const runs = await mkdtemp(path.join(os.tmpdir(), 'plumb-big-runs-'));
  try {
    await writeRun(runs, 'small', 1_700_000_000_000, { 'A()': 10 });
    await writeRun(
      runs,
      'big',
      1_700_000_100_000,
      Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`T${i}()`, i])),
    );
    await assert.rejects(readRunEvents(path.join(runs, 'big.jsonl'), 64 * 1024), (error: Error) => {
      assert.ok(error instanceof RunLogRefused);
      assert.match(error.message, /big\.jsonl is too large to read \(\d+\.\d MB; the limit is 0\.1 MB\)/);
      return true;
    });
    assert.equal(MAX_RUN_LOG_BYTES, 128 * 1024 * 1024);
  } finally {
    await rm(runs, { recursive: true, force: true });
  }
});
