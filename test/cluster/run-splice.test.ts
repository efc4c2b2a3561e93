// cluster/src/run-splice.ts: a resumed scheduler's events spliced onto those already stored make one
// log. The lines here are the shapes a real run writes (run-started … run-finished), cut where a
// coordinator died, followed by what a fresh scheduler of the same run writes after it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resumeSplicer, storedRun } from '../../cluster/src/run-splice';

const runId = 'r1';
let time = 1000;
const line = (seq: number, payload: Record<string, unknown>) =>
  JSON.stringify({ v: 2, runId, seq, time: (time += 10), ...payload });
const summary = (ran: string[], alreadyComplete: string[]) => ({
  ran,
  alreadyComplete,
  failed: [],
  blocked: [],
  missingExternal: [],
  cancelled: [],
  succeededAfterRetry: [],
  attempts: Object.fromEntries(ran.map((id) => [id, 1])),
});
const graph = (ids: string[]) => ({
  type: 'graph',
  nodes: ids.map((id) => ({ id, family: id, kind: 'task', params: {}, status: 'pending', outputs: [] })),
  edges: ids.filter((id) => id !== 'Top').map((id) => ({ from: 'Top', to: id })),
});

test('a resumed run continues the seq, says it was resumed, and counts work before the resume as done', () => {
  const before = [
    line(0, { type: 'run-started', root: 'Top', roots: ['Top'], pid: 1 }),
    line(1, graph(['Top', 'A', 'B', 'C'])),
    line(2, { type: 'task-running', taskId: 'A', attempt: 1 }),
    line(3, { type: 'task-done', taskId: 'A', attempt: 1, durationMs: 5 }),
    line(4, { type: 'task-running', taskId: 'B', attempt: 1 }),
    line(5, { type: 'task-running', taskId: 'C', attempt: 1 }),
  ];
  const stored = storedRun(before);
  assert.equal(stored.lastSeq, 5);
  assert.equal(stored.finished, undefined);
  const splice = resumeSplicer(stored, 'w2');
  const after = [
    line(0, { type: 'run-started', root: 'Top', roots: ['Top'], pid: 2 }),
    // A fresh scheduler finds A (done before) and B (its job ended meanwhile) complete; C still runs.
    line(1, { ...graph(['Top', 'A', 'B', 'C']) }),
    line(2, { type: 'task-skipped', taskId: 'A', reason: 'already-complete' }),
    line(3, { type: 'task-skipped', taskId: 'B', reason: 'already-complete' }),
    line(4, { type: 'task-running', taskId: 'C', attempt: 1 }),
    line(5, { type: 'task-done', taskId: 'C', attempt: 1, durationMs: 9 }),
    line(6, { type: 'task-done', taskId: 'Top', attempt: 1, durationMs: 1 }),
    line(7, {
      type: 'run-finished',
      outcome: 'success',
      exitCode: 0,
      durationMs: 50,
      summary: summary(['C', 'Top'], ['A', 'B']),
    }),
  ].flatMap(splice);
  const events = after.map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(
    events.map((e) => e.seq),
    [6, 7, 8, 9, 10],
  );
  assert.deepEqual(
    events.map((e) => e.type),
    ['task-log', 'task-done', 'task-done', 'task-done', 'run-finished'],
    "no second run-started, no graph said again, A not skipped, B done, C's running not said twice",
  );
  assert.match(events[0]!.line as string, /worker w2 resumed the run/);
  assert.equal(events[0]!.taskId, 'Top');
  assert.equal(events[1]!.taskId, 'B');
  const finished = events.at(-1) as {
    summary: { ran: string[]; alreadyComplete: string[] };
    durationMs: number;
  };
  assert.deepEqual(finished.summary.ran, ['A', 'B', 'C', 'Top']);
  assert.deepEqual(finished.summary.alreadyComplete, []);
  assert.ok(finished.durationMs >= (events.at(-1)!.time as number) - 1010, 'timed from the first start');
});

test('a run whose run-finished was stored is over: no scheduler is started for it again', () => {
  const stored = storedRun([
    line(0, { type: 'run-started', root: 'Top', pid: 1 }),
    line(1, {
      type: 'run-finished',
      outcome: 'failed',
      exitCode: 1,
      durationMs: 3,
      summary: summary([], []),
    }),
  ]);
  assert.equal((JSON.parse(stored.finished!) as { exitCode: number }).exitCode, 1);
});

test('a dynamic requirement found after the resume is still drawn: only what the log has is dropped', () => {
  const stored = storedRun([
    line(0, { type: 'run-started', root: 'Top', pid: 1 }),
    line(1, graph(['Top', 'A'])),
  ]);
  const splice = resumeSplicer(stored, 'w2');
  const out = splice(line(3, graph(['Top', 'A', 'D']))).map(
    (l) => JSON.parse(l) as { nodes: { id: string }[] },
  );
  assert.deepEqual(
    out[0]!.nodes.map((n) => n.id),
    ['D'],
  );
});

test('an attempt the log already tells of is not told again: task-running keeps its worker, a failure and its retry are said once', () => {
  const stored = storedRun([
    line(0, { type: 'run-started', root: 'Top', pid: 1 }),
    line(1, graph(['Top', 'A', 'B'])),
    line(2, { type: 'task-running', taskId: 'A', attempt: 1, pid: 7, worker: 'w1' }),
    line(3, { type: 'task-running', taskId: 'B', attempt: 1, worker: 'w1' }),
    line(4, { type: 'task-failed', taskId: 'B', attempt: 1, willRetry: true, durationMs: 1, error: {} }),
    line(5, { type: 'task-retrying', taskId: 'B', nextAttempt: 2, delayMs: 100 }),
  ]);
  const splice = resumeSplicer(stored, 'w2');
  const out = [
    line(0, { type: 'run-started', root: 'Top', pid: 2 }),
    // The resumed scheduler follows A's attempt 1 (its start came before it listened: no worker).
    line(1, { type: 'task-running', taskId: 'A', attempt: 1 }),
    // B's attempt 1 had failed: followed, it fails again in this scheduler, which retries it.
    line(2, { type: 'task-running', taskId: 'B', attempt: 1 }),
    line(3, { type: 'task-failed', taskId: 'B', attempt: 1, willRetry: true, durationMs: 1, error: {} }),
    line(4, { type: 'task-retrying', taskId: 'B', nextAttempt: 2, delayMs: 100 }),
    line(5, { type: 'task-running', taskId: 'B', attempt: 2, worker: 'w2' }),
    line(6, { type: 'task-done', taskId: 'A', attempt: 1, durationMs: 9 }),
  ]
    .flatMap(splice)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(
    out.map((e) => [e.type, e.taskId, e.attempt]),
    [
      ['task-log', 'Top', undefined],
      ['task-running', 'B', 2],
      ['task-done', 'A', 1],
    ],
  );
  assert.deepEqual(
    out.map((e) => e.seq),
    [6, 7, 8],
  );
});
