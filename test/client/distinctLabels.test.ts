// Row labels in the Schedules view never read alike when cut at the sidebar's edge: what differs first.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { distinctTaskLabels, itemLabel, splitTaskId } from '../../client/src/distinctLabels';

test('a task id splits into its family and parameters, a value with ", " kept whole', () => {
  assert.deepEqual(splitTaskId('CleanOrders(date=2026-11-01, region=eu)'), {
    family: 'CleanOrders',
    parts: ['date=2026-11-01', 'region=eu'],
  });
  assert.deepEqual(splitTaskId('Pick(ids=[1, 2], on=x)'), { family: 'Pick', parts: ['ids=[1, 2]', 'on=x'] });
  assert.deepEqual(splitTaskId('Report()'), { family: 'Report', parts: [] });
  assert.deepEqual(splitTaskId('Report'), { family: 'Report', parts: [] });
});

test('instances of one family lead with the parameter that differs; others stay whole', () => {
  const ids = [
    'CustomerSegmentation(region=eu, date=2026-11-01)',
    'CustomerSegmentation(region=eu, date=2026-11-02)',
    'CustomerSegmentation(region=eu, date=2026-11-02)',
    'Report(date=2026-11-01)',
  ];
  assert.deepEqual(distinctTaskLabels(ids), [
    'date=2026-11-01 · CustomerSegmentation',
    'date=2026-11-02 · CustomerSegmentation',
    'date=2026-11-02 · CustomerSegmentation',
    'Report(date=2026-11-01)',
  ]);
  // Cut to any width, the first two never read alike (the same task twice may).
  for (const width of [15, 20, 30]) {
    const cut = distinctTaskLabels(ids).map((l) => l.slice(0, width));
    assert.notEqual(cut[0], cut[1], `cut at ${width}`);
  }
});

test("a fan-out item's label leads with the keys whose values differ between the items", () => {
  const items = [
    { env: 'production', region: 'eu' },
    { env: 'production', region: 'us' },
  ];
  assert.equal(itemLabel(items[0]!, items), 'region=eu, env=production');
  assert.equal(itemLabel({ customer: 'acme' }, [{ customer: 'acme' }]), 'customer=acme');
});
