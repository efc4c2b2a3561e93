import assert from 'node:assert/strict';
import { test } from 'node:test';
import { idParts, runName, runNames } from '../../../../client/webview/src/run/runName';

const range = (start: string, stop: string) =>
  `RangeDaily(of=Daily_Orders, start=${start}, stop=${stop}, ofParams={"region":"eu"})`;

test('a task id splits into its family and whole k=v parts, a value with ", " in one part', () => {
  assert.deepEqual(idParts(range('2026-11-01', '2026-11-14')), {
    family: 'RangeDaily',
    parts: ['of=Daily_Orders', 'start=2026-11-01', 'stop=2026-11-14', 'ofParams={"region":"eu"}'],
  });
  assert.deepEqual(idParts('Report(regions=[eu, us], day=2026-11-01)').parts, [
    'regions=[eu, us]',
    'day=2026-11-01',
  ]);
  assert.deepEqual(idParts('Report()'), { family: 'Report', parts: [] });
  assert.deepEqual(idParts('Starting…'), { family: 'Starting…', parts: [] });
});

test('a run leads with the parameters that differ from the other runs of its family; the rest follow', () => {
  const a = range('2026-11-01', '2026-11-14');
  const b = range('2026-11-15', '2026-11-28');
  assert.deepEqual(runName(a, [b, a, 'WeeklyReport(date=2026-11-01)']), {
    family: 'RangeDaily',
    lead: ['start=2026-11-01', 'stop=2026-11-14'],
    rest: ['of=Daily_Orders', 'ofParams={"region":"eu"}'],
  });
  // Alone in its family, or the same run again: every part, in the id's order.
  assert.deepEqual(runName(a, [a, 'WeeklyReport(date=2026-11-01)']).lead, idParts(a).parts);
  const names = runNames([a, b, a, 'WeeklyReport(date=2026-11-01)']);
  assert.equal(names.size, 3);
  assert.deepEqual(names.get(b)!.lead, ['start=2026-11-15', 'stop=2026-11-28']);
  assert.deepEqual(names.get('WeeklyReport(date=2026-11-01)'), {
    family: 'WeeklyReport',
    lead: ['date=2026-11-01'],
    rest: [],
  });
});
