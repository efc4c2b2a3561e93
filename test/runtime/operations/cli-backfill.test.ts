// plumb backfill against the real CLI: missing days only, --max and runs that converge, windows
// back from an injected now (PLUMB_NOW), interval forms, and usage errors with exit 2.
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { runCli, workspace } from '../support/cli';

const files = (dir: string, sub: string) => readdirSync(path.join(dir, sub)).sort();

test('plumb backfill runs the missing days only, oldest first, and then has nothing to do', () => {
  const dir = workspace('backfill');
  mkdirSync(path.join(dir, 'streams'));
  writeFileSync(path.join(dir, 'streams', 'NZ_2026-11-02.csv'), 'there\n');
  const r = runCli(dir, [
    'backfill',
    'pipeline.ts',
    'Streams',
    '--start',
    '2026-11-01',
    '--stop',
    '2026-11-04',
    '--events',
    'jsonl',
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    /RangeDaily\(of=Streams, start=2026-11-01, stop=2026-11-04, ofParams=\{\}\): 4 instances of Streams, 1 complete, 3 missing/,
  );
  const ran = r.events.flatMap((e) => (e.type === 'task-done' ? [e.taskId] : []));
  assert.deepEqual(
    ran.slice(0, 3),
    ['2026-11-01', '2026-11-03', '2026-11-04'].map((d) => `Streams(date=${d}, country=NZ)`),
  );
  assert.deepEqual(files(dir, 'streams'), [
    'NZ_2026-11-01.csv',
    'NZ_2026-11-02.csv',
    'NZ_2026-11-03.csv',
    'NZ_2026-11-04.csv',
  ]);
  const again = runCli(dir, ['backfill', 'pipeline.ts', 'Streams', '--dates', '2026-11-01-2026-11-04']);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /4 complete, 0 missing/);
});

test('--max bounds each run, --newest-first picks the newest; repeated runs converge to complete', () => {
  const dir = workspace('backfill');
  const args = [
    'backfill',
    'pipeline.ts',
    'Streams',
    '--dates',
    '2026-W48',
    '--max',
    '3',
    '--newest-first',
    '--country',
    'SE',
  ];
  // Exit 0 only when every requested root is complete: instances left for the next run make it 6.
  const first = runCli(dir, [...args, '--events', 'jsonl']);
  assert.equal(first.code, 6, first.stderr);
  assert.match(first.stderr, /running 3 now \(--max 3\), 4 left: run again to continue/);
  assert.match(first.stderr, /a range limit \(--max\) reached: 4 tasks were not run; run again to continue/);
  const end = first.events.at(-1)!;
  assert.ok(end.type === 'run-finished' && end.outcome === 'incomplete');
  assert.deepEqual(
    end.summary.notRun,
    ['2026-11-26', '2026-11-25', '2026-11-24', '2026-11-23'].map((d) => `Streams(date=${d}, country=SE)`),
  );
  assert.equal(end.summary.incompleteRoots?.length, 1);
  assert.deepEqual(files(dir, 'streams'), ['SE_2026-11-27.csv', 'SE_2026-11-28.csv', 'SE_2026-11-29.csv']);
  assert.equal(runCli(dir, args).code, 6);
  const third = runCli(dir, args);
  assert.equal(third.code, 0, 'the last batch leaves nothing missing');
  assert.match(third.stderr, /6 complete, 1 missing/);
  assert.equal(files(dir, 'streams').length, 7);
  assert.match(runCli(dir, args).stderr, /7 complete, 0 missing/);
});

test('--days-back and --hours-back count back from PLUMB_NOW; a range class in the pipeline runs with plumb run', () => {
  const dir = workspace('backfill');
  const env = { PLUMB_NOW: '2026-11-27T10:30:00Z' };
  const days = runCli(dir, ['backfill', 'pipeline.ts', 'Streams', '--days-back', '3'], env);
  assert.equal(days.code, 0, days.stderr);
  assert.deepEqual(files(dir, 'streams'), ['NZ_2026-11-24.csv', 'NZ_2026-11-25.csv', 'NZ_2026-11-26.csv']);
  const hours = runCli(dir, ['backfill', 'pipeline.ts', 'Readings', '--hours-back', '2'], env);
  assert.equal(hours.code, 0, hours.stderr);
  assert.deepEqual(files(dir, 'readings'), ['2026-11-27T08.txt', '2026-11-27T09.txt']);
  const declared = runCli(dir, ['run', 'pipeline.ts', 'StreamsBackfill', '--days-back', '5'], env);
  assert.equal(declared.code, 0, declared.stderr);
  assert.match(declared.stdout, /StreamsBackfill\(of=Streams, start=2026-11-22, stop=2026-11-26/);
  assert.equal(files(dir, 'streams').length, 5);
});

test('usage mistakes exit 2 naming what is accepted; --help lists the exit codes', () => {
  const dir = workspace('backfill');
  const help = runCli(dir, ['backfill', '--help']);
  assert.equal(help.code, 0);
  assert.match(
    help.stdout,
    /0 success, 1 failed, 2 error, 3 missing-external, 4 locked, 5 pipeline-error, 6 incomplete/,
  );
  const bad = runCli(dir, ['backfill', 'pipeline.ts', 'Streams', '--dates', 'November']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /a year \(2026\), a month \(2026-11\), an ISO week \(2026-W48\)/);
  const none = runCli(dir, ['backfill', 'pipeline.ts', 'Streams']);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /give start and stop \(both included\), or daysBack/);
  const typo = runCli(dir, ['backfill', 'pipeline.ts', 'Streams', '--days-bak', '3']);
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /did you mean --days-back/);
  const hourly = runCli(dir, ['backfill', 'pipeline.ts', 'Streams', '--every', 'hour', '--hours-back', '3']);
  assert.equal(hourly.code, 2);
  assert.match(hourly.stderr, /Streams has no parameter a range can fill/);
});
