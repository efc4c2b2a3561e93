// The durations model (client/src/durations.ts): median per family over its runs, share of the run,
// slow latest runs, the trend, and debugger pauses left out.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import {
  activeMs,
  durationLensTitle,
  familyDurations,
  median,
  type RunTimings,
} from '../../client/src/durations';
import { readRunTimings, runTimings } from '../../client/src/durationsHistory';
import { readRunEvents } from './webview/fixtureFiles';

/** A run at `startedAt` whose tasks each ran for the given ms and ended at `startedAt + ms`. */
function run(runId: string, startedAt: number, tasks: Record<string, number>): RunTimings {
  return {
    runId,
    startedAt,
    tasks: Object.entries(tasks).map(([taskId, ms]) => ({ taskId, durationMs: ms, endedAt: startedAt + ms })),
  };
}

test('median of odd and even counts', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
  assert.equal(median([]), 0);
});

test("a family's time per run is the sum of its tasks; median, share and trend over the runs, oldest first", () => {
  const runs = [
    run('r3', 3000, { 'Clean(date=2026-11-01)': 100, 'Clean(date=2026-11-02)': 100, Report: 200 }),
    run('r1', 1000, { 'Clean(date=2026-11-01)': 300, Report: 100 }),
    run('r2', 2000, { 'Clean(date=2026-11-01)': 100, Report: 100 }),
  ];
  const d = familyDurations(runs);
  assert.deepEqual(d.Clean!.trend, [300, 100, 200]);
  assert.equal(d.Clean!.medianMs, 200);
  assert.equal(d.Clean!.lastMs, 200);
  // Shares: 300/400, 100/200, 200/400.
  assert.equal(d.Clean!.share, 0.5);
  assert.deepEqual(d.Report!.trend, [100, 100, 200]);
  assert.equal(d.Report!.slow, false);
});

test('a latest run over twice the median is slow; fewer than three runs never are', () => {
  const base = [1, 2, 3, 4].map((i) => run(`r${i}`, i * 1000, { Load: 100 }));
  assert.equal(familyDurations([...base, run('r5', 5000, { Load: 201 })]).Load!.slow, true);
  assert.equal(familyDurations([...base, run('r5', 5000, { Load: 200 })]).Load!.slow, false);
  assert.equal(familyDurations([run('a', 1, { Load: 10 }), run('b', 2, { Load: 100 })]).Load!.slow, false);
});

test('time paused in the debugger is left out of a task it overlaps, and only of that one', () => {
  const task = { taskId: 'Load', endedAt: 10_000, durationMs: 8_000 }; // ran 2,000 → 10,000
  assert.equal(activeMs(task, [[3_000, 6_000]]), 5_000);
  assert.equal(
    activeMs(task, [
      [0, 2_500],
      [9_000, 12_000],
    ]),
    6_500,
  );
  assert.equal(activeMs(task, [[11_000, 12_000]]), 8_000);
  const d = familyDurations([run('r1', 0, { Load: 8_000, Other: 1_000 })], { r1: [[1_000, 5_000]] });
  // Load ran 0 → 8,000 and was held 1,000 → 5,000; Other ran 0 → 1,000 and was never held.
  assert.equal(d.Load!.medianMs, 4_000);
  assert.equal(d.Other!.medianMs, 1_000);
  assert.equal(
    familyDurations([run('r1', 0, { Load: 8_000 })], { other: [[0, 8_000]] }).Load!.medianMs,
    8_000,
  );
});

test("a run log's task-done events become its timings (a real log from the fixtures)", () => {
  const events = readRunEvents('run-failed-after-retry.jsonl');
  const timings = runTimings('x', events, 0);
  const done = events.filter((e) => e.type === 'task-done');
  assert.equal(timings.tasks.length, done.length);
  assert.ok(timings.startedAt > 0);
});

test("a task's duration lens: typical time, share, and the slow latest run", () => {
  const d = { medianMs: 2400, share: 0.62, lastMs: 7000, slow: true, trend: [2000, 2400, 7000] };
  assert.equal(durationLensTitle(d), '$(clock) 2.40 s typical · 62% of the run · slow (last 7.00 s)');
  assert.equal(durationLensTitle({ ...d, slow: false }), '$(clock) 2.40 s typical · 62% of the run');
});

test('the run logs are read newest first, up to a count and a byte budget (the newest always)', async () => {
  const project = mkdtempSync(path.join(os.tmpdir(), 'plumb-durations-'));
  const runs = path.join(project, '.plumb', 'runs');
  mkdirSync(runs, { recursive: true });
  const log = path.join(__dirname, 'webview', 'fixtures', 'run-failed-after-retry.jsonl');
  for (const id of ['20261101T000000000Z-a', '20261102T000000000Z-b', '20261103T000000000Z-c'])
    copyFileSync(log, path.join(runs, `${id}.jsonl`));
  const size = statSync(log).size;
  assert.equal((await readRunTimings([runs])).length, 3);
  assert.equal((await readRunTimings([runs], 2)).length, 2);
  assert.equal((await readRunTimings([runs], 20, size * 2)).length, 2);
  assert.equal((await readRunTimings([runs], 20, 1)).length, 1);
  rmSync(project, { recursive: true, force: true });
});
