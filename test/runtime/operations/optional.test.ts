// Failure isolation against the real CLI: an optional requirement that fails (directly, through a
// blocked task, or missing external data) lets its dependent run without it; the failure is still
// reported, the exit code still says a task failed, and the graph marks the optional edges.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { runCli, workspace } from '../support/cli';

test('a failed optional requirement does not block its dependent; the run still exits 1', () => {
  const dir = workspace('optional');
  const r = runCli(dir, ['run', 'pipeline.ts', 'Report', '--events', 'jsonl']);
  assert.equal(r.code, 1, r.stderr);
  assert.equal(
    readFileSync(path.join(dir, 'out', 'report.txt'), 'utf8'),
    'sales 120; missing: weather, holidays\n',
  );
  const done = r.events.flatMap((e) => (e.type === 'task-done' ? [e.taskId] : []));
  assert.deepEqual(done.sort(), ['Report()', 'Sales()']);
  const failed = r.events.flatMap((e) => (e.type === 'task-failed' ? [e.taskId] : []));
  assert.deepEqual(failed, ['Weather()']);
  const blocked = r.events.flatMap((e) =>
    e.type === 'task-skipped' && e.reason === 'blocked' ? [e.taskId] : [],
  );
  assert.deepEqual(blocked, ['WeatherSummary()']);
  const end = r.events.at(-1);
  assert.ok(end?.type === 'run-finished');
  assert.equal(end.outcome, 'failed');
  const edges = r.events.flatMap((e) => (e.type === 'graph' ? e.edges : []));
  assert.deepEqual(
    edges
      .filter((e) => e.optional)
      .map((e) => e.to)
      .sort(),
    ['Holidays()', 'WeatherSummary()'],
  );
  assert.ok(!edges.some((e) => e.to === 'Sales()' && e.optional));
});

test('without optional() the same failure blocks the dependent', () => {
  const dir = workspace('optional');
  const r = runCli(dir, ['run', 'pipeline.ts', 'StrictReport', '--events', 'jsonl']);
  assert.equal(r.code, 1, r.stderr);
  const blocked = r.events.flatMap((e) =>
    e.type === 'task-skipped' && e.reason === 'blocked' ? [e.taskId] : [],
  );
  assert.deepEqual(blocked.sort(), ['StrictReport()', 'WeatherSummary()']);
});
