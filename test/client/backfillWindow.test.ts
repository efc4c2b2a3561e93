// The windows "Backfill…" accepts, as plumb backfill options, and what it says about the others;
// the --list command line it asks the runtime with, against the real CLI.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { backfillListArguments, backfillWindow, type BackfillListing } from '../../client/src/backfillWindow';
import { runArguments } from '../../client/src/runCommandLine';
import { runCli, workspace } from '../runtime/support/cli';

test('interval forms go to --dates, two ends to --start/--stop, spans back from now to --days-back/--hours-back', () => {
  const args = (typed: string) => {
    const r = backfillWindow(typed);
    return 'args' in r ? r.args : r.error;
  };
  assert.deepEqual(args('2026-11'), ['--dates', '2026-11']);
  assert.deepEqual(args(' 2026 '), ['--dates', '2026']);
  assert.deepEqual(args('2026-W48'), ['--dates', '2026-W48']);
  assert.deepEqual(args('2026-11-01-2026-11-07'), ['--dates', '2026-11-01-2026-11-07']);
  assert.deepEqual(args('2026-11-01..2026-11-30'), ['--start', '2026-11-01', '--stop', '2026-11-30']);
  assert.deepEqual(args('2026-11-01 to 2026-11-03'), ['--start', '2026-11-01', '--stop', '2026-11-03']);
  assert.deepEqual(args('2026-11-01T08 2026-11-01T12'), [
    '--start',
    '2026-11-01T08',
    '--stop',
    '2026-11-01T12',
  ]);
  assert.deepEqual(args('2026-11-05'), ['--start', '2026-11-05', '--stop', '2026-11-05']);
  assert.deepEqual(args('7d'), ['--days-back', '7']);
  assert.deepEqual(args('24 hours'), ['--hours-back', '24']);
});

test('refuses what is not a window, naming the forms accepted', () => {
  const error = (typed: string) => {
    const r = backfillWindow(typed);
    return 'error' in r ? r.error : `accepted: ${r.args.join(' ')}`;
  };
  assert.match(
    error('2026-13'),
    /Not a window: 2026-13\. Accepted: 2026-11 \(a month\), 2026 \(a year\), 2026-W48/,
  );
  assert.match(error('2026-02-30..2026-03-01'), /Not a window/);
  assert.match(error('2026-11-30..2026-11-01'), /ends \(2026-11-01\) before it starts \(2026-11-30\)/);
  assert.match(error('0d'), /at least 1/);
  assert.match(error(''), /Type a window/);
});

test('a backfill request runs plumb backfill with its window', () => {
  assert.deepEqual(
    runArguments(
      {
        file: '/p/pipeline.ts',
        family: 'Streams',
        params: { country: 'SE' },
        unit: false,
        backfill: ['--dates', '2026-11'],
      },
      { kind: 'stdout' },
    ),
    [
      'backfill',
      '/p/pipeline.ts',
      'Streams',
      '--dates',
      '2026-11',
      '--events',
      'jsonl',
      '--param',
      'country=SE',
      '--no-color',
    ],
  );
});

test('the --list command line the editor asks with is one the real CLI answers, running nothing', () => {
  const dir = workspace('backfill');
  mkdirSync(path.join(dir, 'streams'));
  writeFileSync(path.join(dir, 'streams', 'SE_2026-11-02.csv'), 'there\n');
  const args = backfillListArguments({
    file: path.join(dir, 'pipeline.ts'),
    family: 'Streams',
    params: { country: 'SE' },
    unit: false,
    backfill: ['--start', '2026-11-01', '--stop', '2026-11-03'],
  });
  const r = runCli(dir, args);
  assert.equal(r.code, 0, r.stderr);
  const listing = JSON.parse(r.stdout) as BackfillListing;
  assert.deepEqual(
    listing.instances.map((i) => [i.value, i.complete]),
    [
      ['2026-11-01', false],
      ['2026-11-02', true],
      ['2026-11-03', false],
    ],
  );
  assert.equal(listing.missing, 2);
  assert.deepEqual(readdirSync(path.join(dir, 'streams')), ['SE_2026-11-02.csv']);
});
