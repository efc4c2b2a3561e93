// The command line: nothing typed is dropped, parameters belong to the task named before them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkCommandLine, parseArgs, taskRequests, type CommandShape } from '../../runtime/src/cli-args';

const RUN: CommandShape = {
  usage: 'usage: plumb run …',
  flags: ['workers', 'quiet'],
  positionals: [2, Infinity],
  takesParams: true,
};
const LIST: CommandShape = { usage: 'usage: plumb list …', flags: ['json'], positionals: [1, 1] };

const requests = (argv: string[]) =>
  taskRequests(parseArgs(argv), 1).map((r) => [r.name, Object.fromEntries(r.params)]);

test('several task names: each parameter belongs to the task named before it', () => {
  assert.deepEqual(requests(['run', 'p.ts', 'A', '--p', '1', 'B', '--q', '2', '--workers', '3']), [
    ['A', { p: '1' }],
    ['B', { q: '2' }],
  ]);
  // Written before the first task name: the first task's (the form plumb always accepted).
  assert.deepEqual(requests(['run', '--p', '1', 'p.ts', 'A']), [['A', { p: '1' }]]);
  // The same parameter for two tasks is two parameters, not a repeat.
  assert.deepEqual(requests(['run', 'p.ts', 'A', '--day', '1', 'A', '--day', '2']), [
    ['A', { day: '1' }],
    ['A', { day: '2' }],
  ]);
  assert.equal(parseArgs(['run', 'p.ts', 'A', '--workers', '3']).flags.get('workers'), '3');
});

test('a parameter without a value is kept as "no value", not the string true', () => {
  const args = parseArgs(['run', 'p.ts', 'A', '--date-interval']);
  assert.deepEqual([...args.paramsAfter[2]!], [['date-interval', undefined]]);
  assert.deepEqual(requests(['run', 'p.ts', 'A', '--flag', '--n', '2']), [
    ['A', { flag: undefined, n: '2' }],
  ]);
});

test('repeats, stray arguments, foreign flags and flags without their value are errors naming them', () => {
  const error = (argv: string[], shape = RUN) => {
    try {
      const args = parseArgs(argv);
      checkCommandLine(args, shape);
      taskRequests(args, 1);
    } catch (e) {
      return (e as Error).message;
    }
    return assert.fail(`accepted ${argv.join(' ')}`);
  };
  assert.match(error(['run', 'p.ts', 'A', '--workers', '2', '--workers', '3']), /^--workers is given twice/);
  assert.match(error(['run', 'p.ts', 'A', '--n', '2', '--n', '3']), /^--n is given twice/);
  assert.match(error(['run', 'p.ts', 'A', '--n', '2', '--param', 'n=3']), /^parameter n is given twice/);
  assert.match(error(['run', 'p.ts', 'A', '--workers']), /^--workers: missing value/);
  assert.match(error(['run', 'p.ts', 'A', '--quiet=no']), /^--quiet takes no value \(got 'no'\)/);
  assert.match(error(['run', 'p.ts', 'A', '--json']), /^--json is not an option of plumb run\n/);
  assert.match(error(['run', 'p.ts', 'A', '-w', '2']), /^unknown option -w/);
  assert.match(error(['run', 'p.ts']), /^usage: plumb run/);
  assert.match(
    error(['list', 'p.ts', 'extra'], LIST),
    /^unexpected argument 'extra' \(plumb list takes at most 1\)/,
  );
  assert.match(
    error(['list', 'p.ts', '--jsn'], LIST),
    /^--jsn is not an option of plumb list \(did you mean --json\?\)/,
  );
  assert.match(error(['list', 'p.ts', '--workers', '2'], LIST), /^--workers is not an option of plumb list/);
});

test("another command's option is a task parameter where the command takes parameters (a task's --format)", () => {
  const args = parseArgs(['run', 'p.ts', 'A', '--n', '1', 'B', '--format', 'csv']);
  checkCommandLine(args, RUN);
  assert.equal(args.flags.has('format'), false);
  assert.deepEqual(
    taskRequests(args, 1).map((r) => [r.name, Object.fromEntries(r.params)]),
    [
      ['A', { n: '1' }],
      ['B', { format: 'csv' }],
    ],
  );
  // Where no task takes parameters it stays what it was: an option this command does not have.
  assert.throws(
    () => checkCommandLine(parseArgs(['list', 'p.ts', '--format', 'x']), LIST),
    /--format is not an option of plumb list/,
  );
});
