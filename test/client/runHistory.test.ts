import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { RunEvent } from '../../runtime/src/events';
import {
  digestRun,
  listRunFiles,
  readLastRuns,
  readRunEvents,
  readRunHistory,
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
