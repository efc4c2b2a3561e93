// plumb run … --plan through the real CLI bundle on test/runtime/fixtures/plan: each task's state
// as the run would find it, never a task run, nothing written, and the run agreeing afterwards.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { type PlanEvent, type RunEvent } from '../../runtime/src/events';
import { allFiles, runCli, workspace } from './support/cli';

function planOf(events: RunEvent[]): PlanEvent {
  assert.deepEqual(
    events.map((e) => e.type),
    ['plan'],
    'a plan stream is one plan event',
  );
  return events[0] as PlanEvent;
}
const states = (plan: PlanEvent) => Object.fromEntries(plan.tasks.map((t) => [t.id, t.state]));

test('each task complete, will run or blocked by missing data (with its path); optional() does not block; exit 0', () => {
  const ws = workspace('plan');
  const r = runCli(ws, [
    'run',
    'pipeline.ts',
    'Report',
    '--date',
    '2026-11-01',
    '--plan',
    '--events',
    'jsonl',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const plan = planOf(r.events);
  assert.deepEqual(plan.roots, ['Report(date=2026-11-01)']);
  assert.deepEqual(states(plan), {
    'Report(date=2026-11-01)': 'will-run',
    'Clean(date=2026-11-01)': 'will-run',
    'Totals(date=2026-11-01)': 'complete',
    'Segments()': 'blocked',
    'Events()': 'complete',
    'Customers()': 'blocked',
  });
  const customers = plan.tasks.find((t) => t.id === 'Customers()')!;
  assert.deepEqual(customers.missingPaths, [path.join(ws, 'data', 'customers.csv')]);
  assert.deepEqual(plan.tasks.find((t) => t.id === 'Segments()')!.blockedBy, ['Customers()']);
  assert.deepEqual(plan.counts, { total: 6, complete: 2, willRun: 2, blocked: 2, skipped: 0, broken: 0 });
  assert.equal(
    plan.text,
    '2 of 6 tasks will run; 2 blocked by missing external data: Customers() (data/customers.csv); 2 already complete',
  );
  assert.match(r.stderr, /plan: 2 of 6 tasks will run; 2 blocked by missing external data/);
});

test('a plan never runs a task and writes nothing (no run log, no lock, no output); the run then does what it said', () => {
  const ws = workspace('plan');
  const before = allFiles(ws);
  const r = runCli(ws, ['run', 'pipeline.ts', 'Report', '--date', '2026-11-01', 'Audit', '--plan']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(allFiles(ws), before, 'the project is as it was');
  assert.ok(!existsSync(path.join(ws, '.plumb')), 'no .plumb/ (run log or lock)');
  // Human output on stdout without --events.
  assert.match(r.stdout, /will run:\n {2}- Report\(date=2026-11-01\)\n {2}- Clean\(date=2026-11-01\)/);
  assert.match(r.stdout, / {2}- Customers\(\) \(missing data\/customers.csv\)/);
  assert.match(r.stdout, / {2}- Audit\(\) ← Customers\(\)/);

  const plan = planOf(
    runCli(ws, [
      'run',
      'pipeline.ts',
      'Report',
      '--date',
      '2026-11-01',
      'Audit',
      '--plan',
      '--events',
      'jsonl',
    ]).events,
  );
  const willRun = plan.tasks.filter((t) => t.state === 'will-run').map((t) => t.id);
  const run = runCli(ws, [
    'run',
    'pipeline.ts',
    'Report',
    '--date',
    '2026-11-01',
    'Audit',
    '--events',
    'jsonl',
  ]);
  const ran = run.events.flatMap((e) => (e.type === 'task-done' ? [e.taskId] : []));
  assert.deepEqual([...ran].sort(), [...willRun].sort(), 'the run ran exactly what the plan said');
  const fin = run.events.at(-1)!;
  assert.ok(fin.type === 'run-finished');
  assert.deepEqual(
    [...fin.summary.blockedByMissingExternal!, ...fin.summary.missingExternal].sort(),
    plan.tasks
      .filter((t) => t.state === 'blocked')
      .map((t) => t.id)
      .sort(),
  );
});

test('unit mode: the target will run, the rest is skipped; with requirements not complete it is blocked by them', () => {
  const ws = workspace('plan');
  const blocked = planOf(
    runCli(ws, [
      'run',
      'pipeline.ts',
      'Report',
      '--date',
      '2026-11-01',
      '--unit',
      '--plan',
      '--events',
      'jsonl',
    ]).events,
  );
  assert.equal(blocked.unit, true);
  assert.deepEqual(states(blocked), {
    'Report(date=2026-11-01)': 'blocked',
    'Clean(date=2026-11-01)': 'skipped',
    'Totals(date=2026-11-01)': 'skipped',
    'Segments()': 'skipped',
  });
  assert.deepEqual(blocked.tasks[0]!.blockedBy, ['Clean(date=2026-11-01)', 'Segments()']);
  assert.match(blocked.stop ?? '', /^unit mode runs Report\(date=2026-11-01\) alone, but these requirements/);

  writeFileSync(path.join(ws, 'out', 'clean-2026-11-01.csv'), 'clean\n');
  writeFileSync(path.join(ws, 'out', 'segments.csv'), 'segments\n');
  const ready = planOf(
    runCli(ws, [
      'run',
      'pipeline.ts',
      'Report',
      '--date',
      '2026-11-01',
      '--unit',
      '--plan',
      '--events',
      'jsonl',
    ]).events,
  );
  assert.deepEqual(ready.counts, { total: 4, complete: 0, willRun: 1, blocked: 0, skipped: 3, broken: 0 });
  assert.match(ready.text, /^1 of 4 tasks will run; 3 skipped \(unit mode: taken from existing outputs\)$/);
});

test('a scheduling error is broken, what needs it blocked by it, and the rest still will run', () => {
  const ws = workspace('plan');
  const plan = planOf(runCli(ws, ['run', 'pipeline.ts', 'Dashboard', '--plan', '--events', 'jsonl']).events);
  assert.deepEqual(states(plan), {
    'Dashboard()': 'blocked',
    'BrokenRequires()': 'broken',
    'Clean(date=2026-11-03)': 'will-run',
    'Events()': 'complete',
  });
  assert.match(plan.tasks.find((t) => t.id === 'BrokenRequires()')!.error ?? '', /requires\(\) threw/);
  assert.deepEqual(plan.tasks.find((t) => t.id === 'Dashboard()')!.blockedBy, ['BrokenRequires()']);
  assert.match(
    plan.text,
    /^1 of 4 tasks will run; 1 blocked; 1 broken: BrokenRequires\(\); 1 already complete$/,
  );
});

test('test mode: outputs are looked for under the test area, so nothing of production counts as complete', () => {
  const ws = workspace('plan');
  const plan = planOf(
    runCli(ws, [
      'run',
      'pipeline.ts',
      'Totals',
      '--date',
      '2026-11-01',
      '--test-mode',
      '--plan',
      '--events',
      'jsonl',
    ]).events,
  );
  assert.equal(plan.testArea, path.join(ws, '.plumb', 'test-area'));
  assert.deepEqual(states(plan), {
    'Totals(date=2026-11-01)': 'will-run',
    'Clean(date=2026-11-01)': 'will-run',
    'Events()': 'complete',
  });
  assert.ok(!existsSync(path.join(ws, '.plumb')), 'the test area is not made by a plan');
});

test('a range plans only the missing instances', () => {
  const ws = workspace('backfill');
  const args = ['run', 'pipeline.ts', 'StreamsBackfill', '--start', '2026-11-01', '--stop', '2026-11-03'];
  assert.equal(runCli(ws, ['run', 'pipeline.ts', 'Streams', '--date', '2026-11-02']).code, 0);
  const plan = planOf(runCli(ws, [...args, '--plan', '--events', 'jsonl']).events);
  assert.deepEqual(
    plan.tasks.filter((t) => t.state === 'will-run').map((t) => t.id),
    [
      'StreamsBackfill(of=Streams, start=2026-11-01, stop=2026-11-03, ofParams={})',
      'Streams(date=2026-11-01, country=NZ)',
      'Streams(date=2026-11-03, country=NZ)',
    ],
  );
  assert.equal(plan.counts.total, 3, 'the complete day is not even required by the range');
  const limited = planOf(runCli(ws, [...args, '--max-tasks', '1', '--plan', '--events', 'jsonl']).events);
  assert.match(
    limited.text,
    /^3 of 3 tasks will run; at most 1 of them start in this run \(--max-tasks 1\)$/,
  );
});

test('no plan can be made: a usage error ends the stream as a run that could not start (exit 2)', () => {
  const ws = workspace('plan');
  const r = runCli(ws, ['run', 'pipeline.ts', 'Nope', '--plan', '--events', 'jsonl']);
  assert.equal(r.code, 2);
  const fin = r.events.at(-1)!;
  assert.ok(fin.type === 'run-finished');
  assert.equal(fin.outcome, 'error');
  assert.match(fin.message ?? '', /Nope is not a task exported by pipeline.ts/);
  assert.ok(!existsSync(path.join(ws, '.plumb')));
  const help = runCli(ws, ['run', '--help']);
  assert.match(help.stdout, /--plan {18}say what would run, without running anything/);
});
