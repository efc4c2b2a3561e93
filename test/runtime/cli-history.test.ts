// `plumb history` against the real CLI: recent runs with outcome, duration, failures and root; one
// task's durations over its runs; --json; logs that are not regular files are listed, never read.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { runCli, workspace } from './support/cli';

test("plumb history lists recent runs and a task's durations; --json for scripts; a FIFO or link among the logs is not read", () => {
  const dir = workspace('schedules');
  writeFileSync(path.join(dir, 'plumb.toml'), '');
  assert.equal(
    runCli(dir, ['run', 'pipeline.ts', 'Report', '--customer', 'acme', '--day', '2026-11-01']).code,
    0,
  );
  assert.equal(
    runCli(dir, ['run', 'pipeline.ts', 'Report', '--customer', 'acme', '--day', '2026-11-02']).code,
    0,
  );
  const failed = runCli(dir, [
    'run',
    'pipeline.ts',
    'Report',
    '--customer',
    'globex',
    '--day',
    '2026-11-02',
    '--fail',
  ]);
  assert.equal(failed.code, 1);
  const runs = path.join(dir, '.plumb', 'runs');
  execFileSync('mkfifo', [path.join(runs, '20000101T000000000Z-fifo.jsonl')]);
  symlinkSync('/dev/zero', path.join(runs, '20000101T000000001Z-link.jsonl'));
  mkdirSync(path.join(runs, '20000101T000000002Z-dir.jsonl'));

  const r = runCli(dir, ['history']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.match(
    lines[0]!,
    /^\S+Z {2}failed +\d+\.\d+ s {2}Report\(customer=globex, day=2026-11-02\) {2}failed: Report\(customer=globex, day=2026-11-02\)/,
  );
  assert.match(lines[1]!, /^\S+Z {2}success +\d+\.\d+ s {2}Report\(customer=acme, day=2026-11-02\)$/);
  assert.match(r.stdout, /unreadable: not a regular file/);
  assert.match(r.stdout, /unreadable: a link, not a run log/);

  const json = JSON.parse(runCli(dir, ['history', '--json', '--limit', '2']).stdout) as {
    runs: { outcome: string; exitCode: number; durationMs: number; failed: string[]; root: string }[];
  };
  assert.equal(json.runs.length, 2);
  assert.deepEqual(
    json.runs.map((x) => [x.outcome, x.exitCode, x.root, x.failed]),
    [
      ['failed', 1, 'Report(customer=globex, day=2026-11-02)', ['Report(customer=globex, day=2026-11-02)']],
      ['success', 0, 'Report(customer=acme, day=2026-11-02)', []],
    ],
  );
  assert.ok(json.runs.every((x) => typeof x.durationMs === 'number'));

  const family = runCli(dir, ['history', '--task', 'Report']);
  assert.match(
    family.stdout,
    /ok +Report\(customer=acme, day=2026-11-01\)\n.*ok +Report\(customer=acme, day=2026-11-02\)\n.*failed +Report\(customer=globex/,
  );
  assert.match(family.stdout, /3 run\(s\): min \d+\.\d+ s, median \d+\.\d+ s, max/);
  const one = JSON.parse(
    runCli(dir, ['history', '--task', 'Report(customer=acme, day=2026-11-02)', '--json']).stdout,
  ) as {
    runs: { taskId: string; durationMs: number; ok: boolean }[];
  };
  assert.deepEqual(
    one.runs.map((x) => [x.taskId, x.ok]),
    [['Report(customer=acme, day=2026-11-02)', true]],
  );

  const bad = runCli(dir, ['history', '--tsk', 'Report']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /Unknown option '--tsk'/);
});
