import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  applyRunEvent,
  createRunState,
  failedTasks,
  familyOfTaskId,
  familyStatuses,
  mergeFamilyStatuses,
  runProgress,
} from '../../client/src/runState';
import { emptySummary, eventStream } from './support/eventStream';

const s1 = 'Streams(date=2026-11-01)';
const s2 = 'Streams(date=2026-11-02)';
const agg = 'AggregateArtists(dateInterval=2026-11-01-2026-11-02)';
const top = 'Top10Artists(dateInterval=2026-11-01-2026-11-02)';

function startedRun() {
  const ev = eventStream('r1');
  const state = createRunState('r1');
  const apply = (...payloads: Parameters<typeof ev>[0][]) =>
    payloads.forEach((p) => applyRunEvent(state, ev(p)));
  apply(
    {
      type: 'run-started',
      root: top,
      family: 'Top10Artists',
      params: { dateInterval: '2026-11-01-2026-11-02' },
      module: 'pipeline.ts',
      cwd: '/w',
      pid: 1,
      workers: 2,
      unit: false,
      config: {},
      runtimeVersion: '0.1.0',
    },
    {
      type: 'graph',
      nodes: [
        { id: s1, family: 'Streams', kind: 'external', params: {}, status: 'complete', outputs: [] },
        { id: s2, family: 'Streams', kind: 'external', params: {}, status: 'complete', outputs: [] },
        { id: agg, family: 'AggregateArtists', kind: 'task', params: {}, status: 'pending', outputs: [] },
        { id: top, family: 'Top10Artists', kind: 'task', params: {}, status: 'pending', outputs: [] },
      ],
      edges: [
        { from: agg, to: s1 },
        { from: agg, to: s2 },
        { from: top, to: agg },
      ],
    },
  );
  return { state, apply };
}

test('the graph event gives every task its family and discovered status', () => {
  const { state } = startedRun();
  assert.equal(state.root, top);
  assert.equal(state.tasks.size, 4);
  assert.deepEqual(familyStatuses(state), {
    Streams: 'complete',
    AggregateArtists: 'pending',
    Top10Artists: 'pending',
  });
  assert.deepEqual(runProgress(state), { total: 4, settled: 2, running: 0, failed: 0 });
});

test('running, progress, a retried failure and a final failure fold into statuses', () => {
  const { state, apply } = startedRun();
  apply(
    { type: 'task-running', taskId: agg, attempt: 1 },
    { type: 'task-progress', taskId: agg, fraction: 0.5 },
    { type: 'task-status', taskId: agg, message: 'counting' },
  );
  assert.equal(state.tasks.get(agg)?.status, 'running');
  assert.equal(state.tasks.get(agg)?.progress, 0.5);
  assert.equal(state.tasks.get(agg)?.message, 'counting');
  assert.equal(familyStatuses(state).AggregateArtists, 'running');

  const error = {
    name: 'Error',
    message: 'disk full',
    location: { file: '/w/pipeline.ts', line: 12, column: 5 },
  };
  apply({ type: 'task-failed', taskId: agg, attempt: 1, durationMs: 30, error, willRetry: true });
  assert.equal(state.tasks.get(agg)?.status, 'pending', 'a failure that will be retried is not final');
  assert.deepEqual(failedTasks(state), []);

  apply(
    { type: 'task-retrying', taskId: agg, nextAttempt: 2, delayMs: 10 },
    { type: 'task-running', taskId: agg, attempt: 2 },
    { type: 'task-failed', taskId: agg, attempt: 2, durationMs: 40, error, willRetry: false },
    { type: 'task-skipped', taskId: top, reason: 'blocked', blockedBy: [agg] },
    {
      type: 'run-finished',
      outcome: 'failed',
      exitCode: 1,
      durationMs: 100,
      summary: { ...emptySummary, failed: [agg], blocked: [top] },
    },
  );
  assert.equal(state.tasks.get(agg)?.attempt, 2);
  assert.deepEqual(
    failedTasks(state).map((t) => [t.id, t.family, t.error?.message]),
    [[agg, 'AggregateArtists', 'disk full']],
  );
  assert.deepEqual(familyStatuses(state), {
    Streams: 'complete',
    AggregateArtists: 'failed',
    Top10Artists: 'blocked',
  });
  assert.equal(state.finished?.outcome, 'failed');
  assert.deepEqual(runProgress(state), { total: 4, settled: 4, running: 0, failed: 1 });
});

test('a cancelled run leaves nothing running or pending', () => {
  const { state, apply } = startedRun();
  apply(
    { type: 'task-running', taskId: agg, attempt: 1 },
    { type: 'run-finished', outcome: 'cancelled', exitCode: 130, durationMs: 5, summary: emptySummary },
  );
  assert.equal(state.tasks.get(agg)?.status, 'cancelled');
  assert.equal(state.tasks.get(top)?.status, 'cancelled');
  assert.equal(state.tasks.get(s1)?.status, 'complete');
});

test('one family with several tasks shows its most telling status', () => {
  const { state, apply } = startedRun();
  apply({ type: 'task-running', taskId: s2, attempt: 1 });
  assert.equal(familyStatuses(state).Streams, 'running');
  apply({ type: 'task-done', taskId: s2, attempt: 1, durationMs: 3 });
  assert.equal(familyStatuses(state).Streams, 'done');
});

test('task ids name their family even before a graph event', () => {
  assert.equal(familyOfTaskId('All'), 'All');
  assert.equal(familyOfTaskId('All()'), 'All');
  assert.equal(familyOfTaskId(agg), 'AggregateArtists');
  const state = createRunState('r');
  applyRunEvent(state, eventStream('r')({ type: 'task-running', taskId: agg, attempt: 1 }));
  assert.deepEqual(familyStatuses(state), { AggregateArtists: 'running' });
});

test('last statuses per family: a later run wins where it got to the family, pending only fills gaps', () => {
  const older = { A: 'failed', B: 'done', C: 'blocked' } as const;
  const newer = { A: 'done', B: 'pending', D: 'pending', C: 'running' } as const;
  assert.deepEqual(mergeFamilyStatuses(older, newer), { A: 'done', B: 'done', C: 'running', D: 'pending' });
  assert.deepEqual(older, { A: 'failed', B: 'done', C: 'blocked' }, 'inputs untouched');
});

test('v1 and v2 streams: roots (v1 has only root) and scheduling errors marked broken', () => {
  const { state } = startedRun();
  assert.deepEqual(state.roots, [top], 'a v1 run-started names one root');
  const ev = eventStream('r2');
  const v2 = createRunState('r2');
  const error = { name: 'Error', message: 'requires() is broken' };
  for (const payload of [
    {
      type: 'run-started',
      root: agg,
      roots: [agg, top],
      family: 'AggregateArtists',
      params: {},
      module: 'pipeline.ts',
      cwd: '/w',
      pid: 1,
      workers: 1,
      unit: false,
      config: {},
      runtimeVersion: '0.1.0',
    },
    {
      type: 'task-failed',
      taskId: agg,
      attempt: 0,
      durationMs: 0,
      error,
      willRetry: false,
      schedulingError: true,
    },
    {
      type: 'run-finished',
      outcome: 'pipeline-error',
      exitCode: 5,
      durationMs: 3,
      summary: { ...emptySummary, schedulingErrors: [agg], errors: { [agg]: error.message } },
    },
  ] as Parameters<typeof ev>[0][])
    applyRunEvent(v2, ev(payload));
  assert.deepEqual(v2.roots, [agg, top]);
  assert.equal(v2.tasks.get(agg)?.status, 'failed');
  assert.equal(v2.tasks.get(agg)?.broken, true);
  assert.deepEqual(
    failedTasks(v2).map((t) => t.id),
    [agg],
    'broken tasks become diagnostics too',
  );
  assert.equal(v2.finished?.outcome, 'pipeline-error');
  assert.equal(v2.finished?.exitCode, 5);
});
