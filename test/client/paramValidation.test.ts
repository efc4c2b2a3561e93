import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exampleValue, paramsWithoutValue, validateParamValue } from '../../client/src/paramValidation';
import type { TaskParamInfo } from '../../server/src/protocol';

const param = (type: string, extra: Partial<TaskParamInfo> = {}): TaskParamInfo => ({
  name: 'p',
  type,
  required: true,
  ...extra,
});
const ok = (type: string, value: string, extra?: Partial<TaskParamInfo>) =>
  assert.equal(validateParamValue(param(type, extra), value), undefined, `${type} should accept ${value}`);
const bad = (type: string, value: string, extra?: Partial<TaskParamInfo>) =>
  assert.equal(
    typeof validateParamValue(param(type, extra), value),
    'string',
    `${type} should reject ${value}`,
  );

test('dates must be real calendar days', () => {
  ok('date', '2026-11-01');
  ok('date', '2024-02-29');
  bad('date', '2026-02-29');
  bad('date', '2026-13-01');
  bad('date', '2026-1-1');
  bad('date', 'tomorrow');
});

test('date intervals need two real dates in order', () => {
  ok('dateInterval', '2026-11-01-2026-11-07');
  ok('dateInterval', '2026-11-01-2026-11-01');
  bad('dateInterval', '2026-11-07-2026-11-01');
  bad('dateInterval', '2026-11-01');
  bad('dateInterval', '2026-11-01-2026-11-31');
});

test('numbers, booleans, hours, date-times', () => {
  ok('int', '42');
  ok('int', '-7');
  bad('int', '4.2');
  bad('int', '4e3x');
  ok('float', '0.5');
  ok('float', '-1e-3');
  ok('float', '3');
  bad('float', 'NaNa');
  ok('bool', 'true');
  ok('bool', 'FALSE');
  bad('bool', 'yes');
  ok('hour', '2026-11-01T13');
  bad('hour', '2026-11-01T24');
  ok('datetime', '2026-11-01T13:30');
  ok('datetime', '2026-11-01T13:30:59Z');
  bad('datetime', '2026-11-01 13:30');
  bad('datetime', '2026-11-01T25:00');
});

test('enums take only their choices; json and list arrays must parse', () => {
  ok('enum', 'b', { choices: ['a', 'b'] });
  bad('enum', 'c', { choices: ['a', 'b'] });
  ok('json', '{"a": [1, 2]}');
  bad('json', '{a: 1}');
  ok('list', '1,2,3');
  ok('list', '[1, 2, 3]');
  bad('list', '[1, 2,');
});

test('an empty value is always refused, with the parameter named', () => {
  for (const type of ['string', 'int', 'date', 'json', 'unknown']) {
    assert.match(validateParamValue(param(type), '  ') ?? '', /p is required/);
  }
  ok('string', 'anything at all');
});

test('only required parameters without a code default or plumb.toml value are asked for', () => {
  const params: TaskParamInfo[] = [
    { name: 'date', type: 'date', required: true },
    { name: 'useHadoop', type: 'bool', required: false, defaultText: 'false' },
    { name: 'dateInterval', type: 'dateInterval', required: true, configText: '"2026-11-01-2026-11-07"' },
    { name: 'n', type: 'int', required: true },
  ];
  assert.deepEqual(
    paramsWithoutValue(params).map((p) => p.name),
    ['date', 'n'],
  );
});

test('every placeholder example of a checkable type is itself valid', () => {
  for (const type of ['int', 'float', 'json']) {
    assert.equal(validateParamValue(param(type), exampleValue(param(type))), undefined, type);
  }
  assert.equal(exampleValue(param('enum', { choices: ['x', 'y'] })), 'x | y');
});
