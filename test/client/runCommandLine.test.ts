import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runArguments } from '../../client/src/runCommandLine';

const request = {
  file: '/w/pipelines/top artists.ts',
  family: 'Top10Artists',
  params: { dateInterval: '2026-11-01-2026-11-07', note: 'a=b c' },
  unit: false,
};

test('a plain run streams events to stdout and passes each value as --param name=value', () => {
  assert.deepEqual(runArguments(request, { kind: 'stdout' }), [
    'run',
    '/w/pipelines/top artists.ts',
    'Top10Artists',
    '--events',
    'jsonl',
    '--param',
    'dateInterval=2026-11-01-2026-11-07',
    '--param',
    'note=a=b c',
    '--no-color',
  ]);
});

test('a debugged unit run writes its events to a file and says --unit', () => {
  const args = runArguments({ ...request, params: {}, unit: true }, { kind: 'file', path: '/tmp/e.jsonl' });
  assert.deepEqual(args.slice(3), ['--events-file', '/tmp/e.jsonl', '--unit', '--no-color']);
  assert.ok(!args.includes('jsonl'));
});
