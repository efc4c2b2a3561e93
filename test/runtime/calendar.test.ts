// The date-interval forms people type: a year, a month, an ISO week, a day, days; errors name the forms.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DateInterval } from '../../runtime/src/calendar';
import { param } from '../../runtime/src/parameter';

const parsed = (text: string) => String(DateInterval.parse(text));

test('a year, a month, an ISO week, a day and a day range parse to their days, both ends included', () => {
  assert.equal(parsed('2026'), '2026-01-01-2026-12-31');
  assert.equal(parsed('2026-11'), '2026-11-01-2026-11-30');
  assert.equal(parsed('2028-02'), '2028-02-01-2028-02-29');
  assert.equal(parsed('2026-W48'), '2026-11-23-2026-11-29');
  assert.equal(parsed('2026-W01'), '2025-12-29-2026-01-04');
  assert.equal(parsed('2026-W53'), '2026-12-28-2027-01-03'); // 2026 starts on a Thursday: 53 weeks
  assert.equal(parsed('2026-11-01'), '2026-11-01-2026-11-01');
  assert.equal(parsed('2026-11-01-2026-11-07'), '2026-11-01-2026-11-07');
  assert.equal(DateInterval.parse('2026-11').length, 30);
});

test('the canonical form is the days form, so a month and its days are one task id', () => {
  const def = param.dateInterval();
  assert.equal(def.format(def.parse('2026-11')), def.format(def.parse('2026-11-01-2026-11-30')));
});

test('a bad interval names the forms accepted; impossible months and weeks say why', () => {
  assert.throws(
    () => DateInterval.parse('Nov 2026'),
    /a year \(2026\), a month \(2026-11\), an ISO week \(2026-W48\), a day \(2026-11-01\) or days/,
  );
  assert.throws(() => DateInterval.parse('2026-13'), /not a month: '2026-13'/);
  assert.throws(() => DateInterval.parse('2027-W53'), /2027 has weeks W01 to W52/);
  assert.throws(() => DateInterval.parse('2026-11-07-2026-11-01'), /ends before it starts/);
});
