// Data checks against the real CLI: passing checks let the task count, a failing one fails it
// (exit 1) and moves its outputs to .plumb/quarantine/<runId>/, a 'warn' one only reports; every
// result is a task-check event, kept in the run log.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { runCli, workspace } from '../support/cli';

test('checks that pass: the task is done and a task-check event says so', () => {
  const dir = workspace('checks');
  const r = runCli(dir, ['run', 'pipeline.ts', 'Sales', '--events', 'jsonl']);
  assert.equal(r.code, 0, r.stderr);
  const checks = r.events.filter((e) => e.type === 'task-check');
  assert.deepEqual(
    checks.map((e) => e.type === 'task-check' && [e.taskId, e.check, e.ok, e.severity, e.value]),
    [['Sales(rows=3)', 'rowCount(sales-3.csv)', true, 'error', 3]],
  );
});

test('a failed check fails the task, quarantines its output and is kept in the run log', () => {
  const dir = workspace('checks');
  const r = runCli(dir, ['run', 'pipeline.ts', 'Sales', '--rows', '1', '--events', 'jsonl']);
  assert.equal(r.code, 1, r.stderr);
  const runId = r.events[0]!.runId;
  assert.ok(!existsSync(path.join(dir, 'out', 'sales-1.csv')), 'the output does not count as complete');
  const moved = path.join(dir, '.plumb', 'quarantine', runId, 'out', 'sales-1.csv');
  assert.equal(readFileSync(moved, 'utf8'), 'id,amount\n1,10\n');
  const failed = r.events.find((e) => e.type === 'task-failed');
  assert.ok(failed?.type === 'task-failed');
  assert.match(
    failed.error.message,
    /data check failed: rowCount\(sales-1\.csv\): 1 rows, expected between 2 and 100/,
  );
  const log = readdirSync(path.join(dir, '.plumb', 'runs')).find((f) => f.includes(runId))!;
  const logged = readFileSync(path.join(dir, '.plumb', 'runs', log), 'utf8');
  assert.match(logged, /"type":"task-check".*"ok":false/);
});

test('a warn check that fails is reported and the task stands', () => {
  const dir = workspace('checks');
  const r = runCli(dir, ['run', 'pipeline.ts', 'Prices', '--events', 'jsonl']);
  assert.equal(r.code, 0, r.stderr);
  const check = r.events.find((e) => e.type === 'task-check');
  assert.ok(check?.type === 'task-check');
  assert.equal(check.ok, false);
  assert.equal(check.severity, 'warn');
  assert.equal(check.message, 'average price = 250, expected at most 200');
  assert.ok(existsSync(path.join(dir, 'out', 'prices.json')));
});

test('a distribution check: the count within 20% of the median of the last 3 runs, from the run history', () => {
  const dir = workspace('checks');
  const day = (d: string, rows: number) =>
    runCli(dir, [
      'run',
      'pipeline.ts',
      'DailyOrders',
      '--day',
      d,
      '--rows',
      String(rows),
      '--events',
      'jsonl',
    ]);
  const check = (r: ReturnType<typeof day>) => {
    const e = r.events.find((x) => x.type === 'task-check');
    assert.ok(e?.type === 'task-check');
    return e;
  };
  // Too little history: passes and records (a different family's checks never count).
  assert.equal(runCli(dir, ['run', 'pipeline.ts', 'Sales', '--rows', '90']).code, 0);
  for (const [d, rows, earlier] of [
    ['d1', 100, 0],
    ['d2', 104, 1],
    ['d3', 98, 2],
  ] as const) {
    const r = day(d, rows);
    assert.equal(r.code, 0, r.stderr);
    assert.match(check(r).message!, new RegExp(`${earlier} earlier values?, not compared before 3`));
  }
  const ok = day('d4', 101);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(
    check(ok).message,
    'order count = 101, expected within 20% of 100 (the median of the last 3 runs)',
  );
  // Half again as many orders: out of the distribution, the task fails and its output is quarantined.
  const spike = day('d5', 150);
  assert.equal(spike.code, 1);
  assert.equal(check(spike).ok, false);
  assert.match(check(spike).message!, /order count = 150, expected within 20% of 101/);
  assert.ok(!existsSync(path.join(dir, 'out', 'orders-d5.csv')));
  // A value that failed is no baseline: the median is still of 101, 98 and 104.
  const next = day('d6', 95);
  assert.equal(next.code, 0, next.stderr);
  assert.match(check(next).message!, /within 20% of 101 \(the median of the last 3 runs\)/);
});
