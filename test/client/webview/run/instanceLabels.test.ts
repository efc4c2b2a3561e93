import assert from 'node:assert/strict';
import { test } from 'node:test';
import { differingParams, fullParams, paramLabel } from '../../../../client/webview/src/run/instanceLabels';

const task = (id: string, family: string, params: Record<string, string>) => ({ id, family, params });

test('the parameters that differ within a family come first; other families do not count', () => {
  const tasks = [
    task('a', 'CleanOrders', { region: 'emea-north', date: '2026-11-01' }),
    task('b', 'CleanOrders', { region: 'emea-north', date: '2026-11-02' }),
    task('r', 'Report', { region: 'emea-south' }),
  ];
  const differing = differingParams(tasks);
  assert.deepEqual(differing.get('a'), ['date']);
  assert.deepEqual(differing.get('r'), []);
  assert.equal(paramLabel(tasks[0]!, differing.get('a')), 'date=2026-11-01, region=emea-north');
  assert.equal(paramLabel(tasks[0]!, differing.get('a'), true), 'date=2026-11-01');
  assert.equal(fullParams(tasks[0]!), 'region=emea-north\ndate=2026-11-01');
});
