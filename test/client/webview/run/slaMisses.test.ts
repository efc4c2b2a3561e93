// The lines a missed SLA gets in the Run view's header (client/webview/src/run/slaMisses.ts); the
// real run's miss, drawn in the view, is tested with the checks in checkResults.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { slaMissLine } from '../../../../client/webview/src/run/slaMisses';

test('SLA lines: a duration SLA names its computed deadline; the run’s names its schedule', () => {
  const deadline = Date.parse('2026-11-27T05:30:00Z');
  assert.equal(
    slaMissLine({ scope: 'task', taskId: 'Load()', sla: { within: '1h' }, deadline, status: 'running' }),
    'SLA missed: Load() within 1h (deadline 05:30 UTC) (was running)',
  );
  assert.equal(
    slaMissLine({
      scope: 'run',
      schedule: 'nightly',
      sla: { deadline: '04:00' },
      deadline,
      status: 'running',
    }),
    'SLA missed: the run of nightly deadline 04:00 UTC (was running)',
  );
});
