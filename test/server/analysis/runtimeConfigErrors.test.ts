// Every error of the runtime's plumb.toml parser, not only its first: lines blanked (or a required
// key given a stand-in value) and parsed again, without errors the blanking itself would cause.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runtimeConfigErrors } from '../../../server/src/analysis/runtimeConfigErrors';

test('finds each error of each section with its line and key', () => {
  const errors = runtimeConfigErrors(
    [
      '[run]',
      'workers = 0',
      'retries = 1',
      'wrokers = 2',
      '',
      '[alerts]',
      'tries = 0',
      '',
      '[test_mode]',
      'root = ""',
      '',
      '[sheduls]',
      'x = 1',
    ].join('\n'),
    '/p/plumb.toml',
  );
  assert.deepEqual(
    errors.map((e) => [e.line, e.key, e.message.replace(/ \(known.*$/, '')]),
    [
      [1, 'run.workers', 'must be a whole number ≥ 1'],
      [3, 'run.wrokers', 'unknown setting (did you mean workers?)'],
      [6, 'alerts.tries', 'must be a whole number ≥ 1'],
      [9, 'test_mode.root', 'must be a non-empty path (relative to the project root, or absolute)'],
      [11, 'sheduls', 'unknown section (did you mean schedules?)'],
    ],
  );
});

test('a bad required value does not also read as a missing key; a good file has no errors', () => {
  const errors = runtimeConfigErrors(
    '[[schedules]]\nname = "a b"\ncron = "61 * * * *"\npipeline = "p.ts"\ntask = "T"\n',
    '/p/plumb.toml',
  );
  assert.deepEqual(
    errors.map((e) => e.key),
    ['schedules[0].name', 'schedules[0].cron'],
  );
  assert.deepEqual(runtimeConfigErrors('[run]\nworkers = 2\n', '/p/plumb.toml'), []);
});
