// Parameters: parsing from CLI strings and plumb.toml values, canonical forms, clear errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DateHour, DateInterval, DateTime, PlainDate } from '../../runtime/src/calendar';
import { kebabCase, param } from '../../runtime/src/parameter';

test('each type parses its CLI string and prints it back canonically', () => {
  const cases: [ReturnType<(typeof param)[keyof typeof param]>, string, string][] = [
    [param.string(), 'hello world', 'hello world'],
    [param.int(), '-42', '-42'],
    [param.float(), '2.5e1', '25'],
    [param.bool(), 'YES', 'true'],
    [param.date(), '2026-02-28', '2026-02-28'],
    [param.dateInterval(), '2026-11-01-2026-11-07', '2026-11-01-2026-11-07'],
    [param.dateInterval(), '2026-11-01', '2026-11-01-2026-11-01'],
    [param.datetime(), '2026-11-01T10:20:30', '2026-11-01T10:20:30'],
    [param.datetime(), '2026-11-01T102030', '2026-11-01T10:20:30'],
    [param.hour(), '2026-11-01T07', '2026-11-01T07'],
    [param.enum(['a', 'b'] as const), 'b', 'b'],
    [param.list(param.int()), '1, 2,3', '1,2,3'],
    [param.list(param.date()), '["2026-01-01"]', '2026-01-01'],
    [param.json(), '{"b":1,"a":[true]}', '{"a":[true],"b":1}'],
  ];
  for (const [def, text, canonical] of cases) {
    const value = def.parse(text);
    assert.equal(def.format(value as never), canonical, `${def.kind} ${text}`);
    assert.deepEqual(def.parse(canonical), value, `${def.kind} round trip`);
  }
});

test('parse errors say what was expected and what was given', () => {
  assert.throws(() => param.int().parse('3.5'), /expected an integer, got '3.5'/);
  assert.throws(() => param.float().parse('abc'), /expected a number, got 'abc'/);
  assert.throws(() => param.bool().parse('maybe'), /expected true or false, got 'maybe'/);
  assert.throws(() => param.date().parse('2026-02-29'), /not a calendar date: 2026-02-29/);
  assert.throws(() => param.date().parse('01/02/2026'), /expected a date as YYYY-MM-DD, got '01\/02\/2026'/);
  assert.throws(() => param.dateInterval().parse('2026-11-07-2026-11-01'), /ends before it starts/);
  assert.throws(() => param.hour().parse('2026-11-01T24'), /not a valid time of day/);
  assert.throws(() => param.enum(['x', 'y'] as const).parse('z'), /expected one of x, y, got 'z'/);
  assert.throws(() => param.list(param.int()).parse('1,two'), /expected an integer, got 'two'/);
  assert.throws(() => param.json().parse('{oops'), /expected JSON, got '\{oops'/);
});

test('values from code are checked and frozen; date intervals list their days', () => {
  assert.throws(() => param.date().normalize('2026-01-01'), /expected a date \(PlainDate/);
  const list = param.list(param.int()).normalize([1, 2]);
  assert.ok(Object.isFrozen(list));
  const json = param.json().normalize({ a: { b: 1 } }) as { a: { b: number } };
  assert.ok(Object.isFrozen(json.a));
  const interval = DateInterval.parse('2026-02-27-2026-03-02');
  assert.deepEqual(interval.dates().map(String), ['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
  assert.equal(`${interval}`, '2026-02-27-2026-03-02');
  assert.equal(interval.length, 4);
  assert.equal(`${PlainDate.of(2026, 1, 31).addDays(1)}`, '2026-02-01');
  assert.equal(`${new DateHour(Date.UTC(2026, 0, 1, 5, 59))}`, '2026-01-01T05');
  assert.equal(`${new DateTime(Date.UTC(2026, 0, 1, 5, 6, 7, 890))}`, '2026-01-01T05:06:07');
});

test('plumb.toml values: TOML strings, numbers, booleans, arrays and dates', () => {
  assert.equal(param.int().fromConfig(3), 3);
  assert.throws(() => param.int().fromConfig(2.5), /expected an integer, got 2.5/);
  assert.equal(param.bool().fromConfig(true), true);
  assert.deepEqual(param.list(param.string()).fromConfig(['a', 'b']), ['a', 'b']);
  assert.equal(`${param.date().fromConfig(new Date('2026-03-04T00:00:00Z'))}`, '2026-03-04');
  assert.equal(`${param.dateInterval().fromConfig('2026-03-04-2026-03-05')}`, '2026-03-04-2026-03-05');
});

test('kebab-case names for the command line', () => {
  assert.equal(kebabCase('dateInterval'), 'date-interval');
  assert.equal(kebabCase('useHadoop'), 'use-hadoop');
  assert.equal(kebabCase('n'), 'n');
});
