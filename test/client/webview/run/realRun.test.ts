// The run-state reducer and the timeline over a real run of the runtime CLI (retry, failure,
// blocked root, already-complete tasks): the view must agree with the runtime's own summary.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ganttRows } from '../../../../client/webview/src/run/gantt';
import { applyRunEvents, emptyRun, runProgress } from '../../../../client/webview/src/run/runState';
import { runFixturePipeline } from '../runCli';

test('a real run folds into the statuses its execution summary states', () => {
  const events = runFixturePipeline('run-pipeline', 'Report');
  const state = applyRunEvents(emptyRun(events[0]!.runId, true), events);
  const summary = state.summary!;
  assert.equal(state.outcome, 'failed');
  assert.equal(state.gaps, 0);
  const statusOf = (ids: string[]) => ids.map((id) => state.tasks.get(id)?.status);
  assert.deepEqual(
    statusOf(summary.ran),
    summary.ran.map(() => 'done'),
  );
  assert.deepEqual(
    statusOf(summary.alreadyComplete),
    summary.alreadyComplete.map(() => 'complete'),
  );
  assert.deepEqual(
    statusOf(summary.failed),
    summary.failed.map(() => 'failed'),
  );
  assert.deepEqual(
    statusOf(summary.blocked),
    summary.blocked.map(() => 'blocked'),
  );
  assert.deepEqual(summary.failed, ['Broken()']);
  assert.deepEqual(summary.blocked, ['Report()']);

  const flaky = state.tasks.get('Flaky()')!;
  assert.deepEqual(
    flaky.attempts.map((a) => [a.attempt, a.outcome]),
    [
      [1, 'failed'],
      [2, 'done'],
    ],
  );
  assert.equal(flaky.retrying, false);
  assert.equal(flaky.progress, 1);
  assert.equal(flaky.statusMessage, 'copied the source');
  assert.deepEqual(
    flaky.logs.map((l) => [l.level, l.line]),
    [
      ['warn', 'first try: failing on purpose'],
      ['info', 'second try: copying'],
    ],
  );
  const broken = state.tasks.get('Broken()')!;
  assert.equal(broken.error?.name, 'TypeError');
  assert.equal(broken.error?.message, 'broken on purpose');
  assert.deepEqual(state.tasks.get('Report()')!.blockedBy, ['Broken()']);
  assert.deepEqual(runProgress(state), { finished: 3, total: 5, running: 0, failed: 1 });

  const rows = ganttRows(state, state.finishedAt!);
  assert.deepEqual(
    rows.map((r) => [r.taskId, r.bars.length]),
    [
      ['Flaky()', 2],
      ['Broken()', 1],
    ],
  );
  for (const row of rows) for (const bar of row.bars) assert.ok(bar.start >= 0 && bar.end >= bar.start);
});
