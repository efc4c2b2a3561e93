// --max-tasks N on any plumb run: at most N tasks start, the rest are notRun, and the run exits 6
// (incomplete) while a requested root is not complete; running again converges.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { runCli, workspace } from '../support/cli';

test('plumb run --max-tasks 2 runs two tasks, lists the rest as notRun and exits 6 until complete', () => {
  const dir = workspace('backfill');
  const args = ['run', 'pipeline.ts', 'StreamsBackfill', '--start', '2026-11-01', '--stop', '2026-11-05'];
  const first = runCli(dir, [...args, '--max-tasks', '2', '--events', 'jsonl']);
  assert.equal(first.code, 6, first.stderr);
  const end = first.events.at(-1)!;
  assert.ok(end.type === 'run-finished');
  assert.equal(end.outcome, 'incomplete');
  assert.equal(end.summary.ran.length, 2);
  const root = 'StreamsBackfill(of=Streams, start=2026-11-01, stop=2026-11-05, ofParams={})';
  assert.deepEqual(end.summary.notRun, [
    root,
    'Streams(date=2026-11-03, country=NZ)',
    'Streams(date=2026-11-04, country=NZ)',
    'Streams(date=2026-11-05, country=NZ)',
  ]);
  assert.deepEqual(end.summary.incompleteRoots, [root]);
  assert.match(end.message ?? '', /--max-tasks 2 reached: 4 tasks were not run; run again to continue/);
  assert.equal(readdirSync(path.join(dir, 'streams')).length, 2);

  const human = runCli(dir, [...args, '--max-tasks', '2']);
  assert.equal(human.code, 6);
  assert.match(human.stdout, /2 tasks were not run \(the run stopped before them\)/);
  const last = runCli(dir, [...args, '--max-tasks', '2']);
  assert.equal(last.code, 0, last.stderr);
  assert.equal(readdirSync(path.join(dir, 'streams')).length, 5);
});

test('--max-tasks takes a whole number ≥ 1 (exit 2); wrappers and retries do not count', () => {
  const dir = workspace('backfill');
  const bad = runCli(dir, ['run', 'pipeline.ts', 'Streams', '--date', '2026-11-01', '--max-tasks', '0']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--max-tasks expects a whole number ≥ 1, got '0'/);
  const one = runCli(dir, [
    'run',
    'pipeline.ts',
    'StreamsBackfill',
    '--start',
    '2026-11-01',
    '--stop',
    '2026-11-01',
    '--max-tasks',
    '1',
  ]);
  assert.equal(one.code, 0, one.stderr);
});

test('a task waiting for a dynamic requirement the limit kept from starting is notRun, not cancelled', () => {
  const dir = workspace('backfill');
  const args = ['run', 'pipeline.ts', 'DailyDigest', '--date', '2026-11-01'];
  const r = runCli(dir, [...args, '--max-tasks', '1', '--events', 'jsonl']);
  assert.equal(r.code, 6, r.stderr);
  const end = r.events.at(-1)!;
  assert.ok(end.type === 'run-finished');
  assert.deepEqual((end.summary.notRun ?? []).sort(), [
    'DailyDigest(date=2026-11-01)',
    'Streams(date=2026-11-01, country=NZ)',
  ]);
  assert.deepEqual(end.summary.cancelled, []);
  assert.equal(runCli(dir, args).code, 0);
});
