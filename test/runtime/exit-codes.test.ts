// The exit-code and summary contract through the real `plumb` CLI on fixture pipelines
// (test/runtime/fixtures/contract/): broken pipelines, identity conflicts across files,
// Ctrl-C during discovery, and the human summary.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { EXIT_CODES, type RunEvent, type RunFinishedEvent } from '../../runtime/src/events';
import { finished, runCli, startCli, waitForOutput, workspace } from './support/cli';

const finishedOf = (events: RunEvent[]): RunFinishedEvent => {
  const last = events.at(-1);
  assert.ok(last?.type === 'run-finished', 'the run ends with run-finished');
  return last;
};
const ran = (events: RunEvent[]) => events.flatMap((e) => (e.type === 'task-running' ? [e.taskId] : []));

test('two classes with one name in two files: pipeline error (5) before anything runs, naming both files', () => {
  const ws = workspace('contract');
  const r = runCli(ws, ['run', 'pipeline.ts', 'BothSame', '--events', 'jsonl']);
  assert.equal(r.code, EXIT_CODES['pipeline-error'], r.stderr);
  const fin = finishedOf(r.events);
  assert.equal(fin.outcome, 'pipeline-error');
  assert.deepEqual(ran(r.events), []);
  assert.ok(
    fin.message?.includes(
      `class Same (${path.join(ws, 'pipeline.ts')}:7) and class Same (${path.join(ws, 'other.ts')}:4)`,
    ),
    fin.message,
  );
  assert.ok(!existsSync(path.join(ws, 'out')));
});

test('requires() that throws: a scheduling error (5), its dependent blocked, the independent branch runs', () => {
  const ws = workspace('contract');
  const r = runCli(ws, ['run', 'pipeline.ts', 'Broken', '--events', 'jsonl']);
  assert.equal(r.code, EXIT_CODES['pipeline-error'], r.stderr);
  const s = finishedOf(r.events).summary;
  assert.deepEqual(s.schedulingErrors, ['BrokenRequires()']);
  assert.match(s.errors?.['BrokenRequires()'] ?? '', /requires\(\) of BrokenRequires is broken/);
  assert.deepEqual(s.blocked, ['Broken()']);
  assert.deepEqual(s.causes?.['Broken()'], ['BrokenRequires()']);
  assert.deepEqual(s.failed, []);
  assert.deepEqual(ran(r.events), ['Ok(name=beside)']);
  assert.match(
    r.stderr,
    /✗ BrokenRequires\(\) is broken: requires\(\) threw: requires\(\) of BrokenRequires is broken\n {4}at BrokenRequires.requires \(.*pipeline.ts:25:\d+\)/,
  );
});

test('Ctrl-C during discovery (a slow complete()): cancelled, exit 130, with a summary', async () => {
  const ws = workspace('contract');
  const child = startCli(ws, ['run', 'pipeline.ts', 'SlowCheck', '--events', 'jsonl']);
  const done = finished(child);
  await waitForOutput(child, (text) => text.includes('"type":"run-started"'));
  await new Promise((resolve) => setTimeout(resolve, 300)); // a few checks in
  child.kill('SIGINT');
  const r = await done;
  assert.equal(r.code, EXIT_CODES.cancelled, r.stderr);
  const fin = finishedOf(r.events);
  assert.equal(fin.outcome, 'cancelled');
  assert.ok(fin.summary.cancelled.length > 0);
  assert.match(r.stderr, /the run was cancelled/);
  assert.doesNotMatch(r.stderr, /is not a function/);
});

test('the human summary: plurals, order of running, attempts, causes, missing paths and their root', () => {
  const ws = workspace('contract');
  const r = runCli(ws, ['run', 'pipeline.ts', 'Mixed', '--workers', '1']);
  assert.equal(r.code, EXIT_CODES.failed, r.stderr);
  const text = r.stdout.slice(r.stdout.indexOf('===== Plumb execution summary'));
  assert.match(text, /Scheduled 7 tasks of which:/);
  assert.match(text, /\* 2 tasks ran successfully:\n {4}- Ok\(name=a\)\n {4}- Ok\(name=b\)\n/);
  assert.match(text, /\* 1 task failed:\n {4}- Flaky\(\) \(2 attempts\)\n/);
  assert.ok(
    text.includes(
      `* 1 task is external data that does not exist:\n    - Absent() (looked for ${path.join(ws, 'in/absent.csv')})\n`,
    ),
    text,
  );
  assert.match(text, /\* 1 task was blocked by missing external data:\n {4}- NeedsAbsent\(\) ← Absent\(\)\n/);
  assert.match(
    text,
    /\* 2 tasks were blocked by failed or broken requirements:\n {4}- Mixed\(\) ← Absent\(\), Flaky\(\)\n {4}- NeedsFlaky\(\) ← Flaky\(\)\n/,
  );
  assert.match(text, /\* not complete at the end: Mixed\(\)\n/);
  assert.ok(text.includes(`Relative paths were resolved against the project root ${ws}.`), text);
});
