// The pure schedule plan: fan-out items, missed fire times by catch-up policy (across a daylight-
// saving change), the date from the fire time in the schedule's zone, key templates, run arguments.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSchedule, type Schedule } from '../../../runtime/src/operations/schedule-config';
import {
  dateIn,
  dueFireTimes,
  fillKey,
  runArguments,
  scheduleItems,
} from '../../../runtime/src/operations/schedule-plan';

function schedule(table: Record<string, unknown>): Schedule {
  return parseSchedule({ pipeline: 'p.ts', task: 'Report', ...table }, 'daily', (key, detail) => {
    throw new Error(`${key}: ${detail}`);
  });
}

const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

test('missed fires by policy: all (bounded, oldest first), latest, none (only one on time)', () => {
  const base = { cron: '0 6 * * *', timezone: 'Europe/Berlin' };
  const last = new Date('2026-03-26T12:00:00Z');
  const now = new Date('2026-03-31T04:30:00Z');
  // 06:00 Berlin: 05:00Z before the change on 29 March, 04:00Z after.
  const all = dueFireTimes(schedule({ ...base, catch_up: 'all', catch_up_limit: 3 }), last, now);
  assert.deepEqual(iso(all.times), [
    '2026-03-29T04:00:00.000Z',
    '2026-03-30T04:00:00.000Z',
    '2026-03-31T04:00:00.000Z',
  ]);
  assert.equal(all.skipped, 2);
  const latest = dueFireTimes(schedule({ ...base, catch_up: 'latest' }), last, now);
  assert.deepEqual(iso(latest.times), ['2026-03-31T04:00:00.000Z']);
  assert.equal(latest.skipped, 4);
  assert.deepEqual(dueFireTimes(schedule({ ...base, catch_up: 'none' }), last, now).times, []);
  const onTime = dueFireTimes(
    schedule({ ...base, catch_up: 'none' }),
    last,
    new Date('2026-03-31T04:00:30Z'),
  );
  assert.deepEqual(iso(onTime.times), ['2026-03-31T04:00:00.000Z']);
  // A fire at exactly now is due; nothing at or before the last fire is.
  assert.deepEqual(iso(dueFireTimes(schedule(base), last, new Date('2026-03-27T05:00:00Z')).times), [
    '2026-03-27T05:00:00.000Z',
  ]);
  assert.deepEqual(
    dueFireTimes(schedule(base), new Date('2026-03-27T05:00:00Z'), new Date('2026-03-27T05:00:00Z')).times,
    [],
  );
});

test("fan-out: one item per combination, each fire's arguments carry its values, the date in the zone and the key template", () => {
  const s = schedule({
    cron: '30 0 * * *',
    timezone: 'Pacific/Auckland',
    params: { mode: 'full', limit: 3 },
    each: { customer: ['a', 'b'], region: ['eu', 'us'] },
    date_param: 'day',
    date_offset_days: -1,
    concurrency_key: 'customer-{customer}',
    on_conflict: 'skip',
  });
  const items = scheduleItems(s);
  assert.deepEqual(
    items.map((i) => i.key),
    ['customer=a,region=eu', 'customer=a,region=us', 'customer=b,region=eu', 'customer=b,region=us'],
  );
  // 00:30 in Auckland on 28 November is 11:30Z on the 27th: the day before, in Auckland, is the 27th.
  const args = runArguments({ item: items[3]!, at: new Date('2026-11-27T11:30:00Z') });
  assert.deepEqual(args, [
    'run',
    'p.ts',
    'Report',
    '--param',
    'mode=full',
    '--param',
    'limit=3',
    '--param',
    'customer=b',
    '--param',
    'region=us',
    '--param',
    'day=2026-11-27',
    '--concurrency-key',
    'customer-{customer}',
    '--lock',
    'fail',
    '--scheduled-at',
    '2026-11-27T11:30:00.000Z',
    '--scheduled-by',
    'daily[customer=b,region=us]',
  ]);
  assert.equal(dateIn(new Date('2026-11-27T11:30:00Z'), 'UTC'), '2026-11-27');
  assert.equal(fillKey('c-{customer}-{day}', { customer: 'a', day: '2026-11-27' }), 'c-a-2026-11-27');
  assert.deepEqual(fillKey('c-{nope}', { customer: 'a' }), { missing: 'nope' });
});

test('a long absence is bounded: a minutely cron after a year away owes its newest catch_up_limit fires, fast', () => {
  const s = schedule({ cron: '* * * * *', catch_up: 'all', catch_up_limit: 5 });
  const started = performance.now();
  const due = dueFireTimes(s, new Date('2025-11-27T00:00:00Z'), new Date('2026-11-27T00:00:30Z'));
  assert.deepEqual(iso(due.times).slice(-2), ['2026-11-26T23:59:00.000Z', '2026-11-27T00:00:00.000Z']);
  assert.equal(due.times.length, 5);
  assert.ok(due.skipped >= 1000);
  assert.ok(performance.now() - started < 5000, 'no walk over every minute of the year');
});
