import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunEvent } from '../../../../runtime/src/events';
import {
  applyRunEvents,
  elapsedMs,
  emptyRun,
  formatDuration,
  MAX_LOG_LINES,
  runProgress,
} from '../../../../client/webview/src/run/runState';
import { readRunEvents } from '../fixtureFiles';

const events = readRunEvents('run-failed-after-retry.jsonl');
const weather = 'FetchWeather(date_interval=2026-11-01-2026-11-07)';
const agg = 'AggregateArtists(date_interval=2026-11-01-2026-11-07)';
const report = 'WeeklyReport(date_interval=2026-11-01-2026-11-07)';

test('a whole run folds into final statuses, attempts, errors, logs and the summary', () => {
  const state = applyRunEvents(emptyRun('run-fixture', true), events);
  assert.equal(state.outcome, 'failed');
  assert.equal(state.live, false);
  assert.equal(state.tasks.size, 12);
  assert.equal(state.tasks.get('Streams(date=2026-11-03)')!.status, 'complete');
  assert.equal(state.tasks.get(agg)!.status, 'done');
  assert.equal(state.tasks.get(agg)!.progress, 1);
  assert.equal(state.tasks.get(agg)!.logs.length, 8);
  const w = state.tasks.get(weather)!;
  assert.equal(w.status, 'failed');
  assert.equal(w.retrying, false);
  assert.deepEqual(
    w.attempts.map((a) => [a.attempt, a.outcome]),
    [
      [1, 'failed'],
      [2, 'failed'],
    ],
  );
  assert.match(w.error!.message, /503/);
  assert.equal(state.tasks.get(report)!.status, 'blocked');
  assert.deepEqual(state.tasks.get(report)!.blockedBy, [weather]);
  assert.deepEqual(state.summary!.failed, [weather]);
  assert.deepEqual(runProgress(state), { finished: 10, total: 12, running: 0, failed: 1 });
  assert.equal(elapsedMs(state, Number.MAX_SAFE_INTEGER), 5650);
  assert.equal(state.gaps, 0);
});

test('mid-run: a failed try with a retry coming is not counted as failed', () => {
  const upTo = events.findIndex((e) => e.type === 'task-retrying') + 1;
  const state = applyRunEvents(emptyRun('run-fixture', true), events.slice(0, upTo));
  const w = state.tasks.get(weather)!;
  assert.equal(w.status, 'failed');
  assert.equal(w.retrying, true);
  assert.equal(runProgress(state).failed, 0);
  assert.equal(state.tasks.get(agg)!.status, 'running');
  assert.equal(state.live, true);
  // Live: elapsed follows the clock.
  assert.equal(elapsedMs(state, state.startedAt! + 60_000), 60_000);
});

test('batches give the same state as one stream; events of another run are ignored', () => {
  const whole = applyRunEvents(emptyRun('run-fixture'), events);
  const batched = emptyRun('run-fixture');
  for (let i = 0; i < events.length; i += 7) applyRunEvents(batched, events.slice(i, i + 7));
  applyRunEvents(batched, [{ ...events[5]!, runId: 'other', seq: 999 } as RunEvent]);
  assert.deepEqual(batched, whole);
});

test('gaps in the sequence are counted; unknown tasks still show; running attempts end with the run', () => {
  const base = { v: 1, runId: 'r', time: 1000 };
  const state = applyRunEvents(emptyRun('r', true), [
    {
      ...base,
      seq: 0,
      type: 'run-started',
      root: 'A()',
      family: 'A',
      params: {},
      module: 'p.ts',
      cwd: '/',
      pid: 1,
      workers: 1,
      unit: false,
      config: {},
      runtimeVersion: '0',
    },
    { ...base, seq: 3, time: 1500, type: 'task-running', taskId: 'A()', attempt: 1 },
    {
      ...base,
      seq: 4,
      time: 2000,
      type: 'run-finished',
      outcome: 'cancelled',
      exitCode: 130,
      durationMs: 1000,
      summary: {
        ran: [],
        alreadyComplete: [],
        failed: [],
        blocked: [],
        missingExternal: [],
        cancelled: ['A()'],
        succeededAfterRetry: [],
      },
    },
  ]);
  assert.equal(state.gaps, 2);
  const a = state.tasks.get('A()')!;
  assert.equal(a.family, 'A');
  assert.equal(a.status, 'cancelled');
  assert.deepEqual(a.attempts[0], { attempt: 1, start: 1500, end: 2000, outcome: 'running' });
});

test('a chatty task keeps only its latest log lines', () => {
  const lines: RunEvent[] = Array.from({ length: MAX_LOG_LINES + 10 }, (_, i) => ({
    v: 1,
    runId: 'r',
    seq: i,
    time: i,
    type: 'task-log',
    taskId: 'A()',
    level: 'info',
    line: `line ${i}`,
  }));
  const logs = applyRunEvents(emptyRun('r'), lines).tasks.get('A()')!.logs;
  assert.equal(logs.length, MAX_LOG_LINES);
  assert.equal(logs[0]!.line, 'line 10');
});

test('formatDuration reads like a person would say it', () => {
  assert.equal(formatDuration(420), '420 ms');
  assert.equal(formatDuration(3620), '3.6 s');
  assert.equal(formatDuration(42_000), '42 s');
  assert.equal(formatDuration(185_000), '3 min 05 s');
  assert.equal(formatDuration(3_725_000), '1 h 02 min');
});
