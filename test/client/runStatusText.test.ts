import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runStatusText, runStatusTooltip, type RunStatus } from '../../client/src/runStatusText';

const status = (over: Partial<RunStatus> & Partial<RunStatus['progress']>): RunStatus => ({
  family: 'Top10Artists',
  mode: 'debug',
  paused: over.paused ?? false,
  progress: {
    total: over.total ?? 0,
    settled: over.settled ?? 0,
    running: over.running ?? 0,
    failed: over.failed ?? 0,
  },
});

test('a run whose tasks are not announced yet says paused or starting, never 0/0', () => {
  assert.equal(runStatusText(status({ paused: true })), '$(debug-pause) Plumb: Top10Artists paused');
  assert.equal(runStatusText(status({})), '$(sync~spin) Plumb: Top10Artists starting');
  assert.match(
    runStatusTooltip(status({ paused: true })),
    /stopped the run of Top10Artists; its tasks are not known yet/,
  );
  assert.doesNotMatch(runStatusTooltip(status({})), /0 of 0|0 running/);
});

test('a run with its tasks counts them, paused or not, with its failures', () => {
  assert.equal(
    runStatusText(status({ paused: true, total: 7, settled: 3, running: 1 })),
    '$(debug-pause) Plumb: Top10Artists paused 3/7',
  );
  assert.equal(
    runStatusText(status({ total: 7, settled: 5, failed: 2 })),
    '$(sync~spin) Plumb: Top10Artists 5/7 · 2 failed',
  );
  assert.equal(
    runStatusTooltip(status({ total: 7, settled: 3, running: 1 })),
    'Plumb is debugging Top10Artists: 3 of 7 tasks settled, 1 running. Click to show the run.',
  );
});
