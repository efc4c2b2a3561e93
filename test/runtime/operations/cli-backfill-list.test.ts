// plumb backfill --list against the real CLI: the window's instances, which are complete and which
// missing, and how many this run would take, as JSON; nothing runs and nothing is written.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { runCli, workspace } from '../support/cli';

test('--list says which instances of the window are missing, and runs nothing', () => {
  const dir = workspace('backfill');
  mkdirSync(path.join(dir, 'streams'));
  writeFileSync(path.join(dir, 'streams', 'NZ_2026-11-02.csv'), 'there\n');
  const r = runCli(dir, [
    'backfill',
    'pipeline.ts',
    'Streams',
    '--dates',
    '2026-11-01-2026-11-04',
    '--max',
    '2',
    '--list',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const listing = JSON.parse(r.stdout) as {
    family: string;
    param: string;
    start: string;
    stop: string;
    instances: { value: string; id: string; complete: boolean }[];
    complete: number;
    missing: number;
    runNow: number;
  };
  assert.equal(listing.family, 'Streams');
  assert.equal(listing.param, 'date');
  assert.deepEqual([listing.start, listing.stop], ['2026-11-01', '2026-11-04']);
  assert.deepEqual(
    listing.instances.map((i) => `${i.value} ${i.complete ? 'complete' : 'missing'}`),
    ['2026-11-01 missing', '2026-11-02 complete', '2026-11-03 missing', '2026-11-04 missing'],
  );
  assert.equal(listing.instances[0]!.id, 'Streams(date=2026-11-01, country=NZ)');
  assert.deepEqual([listing.complete, listing.missing, listing.runNow], [1, 3, 2]);
  assert.deepEqual(readdirSync(path.join(dir, 'streams')), ['NZ_2026-11-02.csv']);
  assert.equal(existsSync(path.join(dir, '.plumb', 'runs')), false, 'no run log');
});

test('--list with a window the family cannot take is a usage error (exit 2)', () => {
  const dir = workspace('backfill');
  const r = runCli(dir, ['backfill', 'pipeline.ts', 'Streams', '--dates', '2026-13', '--list']);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /2026-13/);
});
