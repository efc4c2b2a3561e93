// Test mode against the real CLI: outputs go to the test area (also from an isolated process),
// production outputs are neither read as complete nor written, external data is read where it is,
// and plumb.toml can turn it on and choose the area.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { runCli, workspace } from '../support/cli';

const read = (...parts: string[]) => readFileSync(path.join(...parts), 'utf8');

test('--test-mode writes under .plumb/test-area and never reads or writes production outputs', () => {
  const dir = workspace('test-mode');
  // Production already has both outputs: outside test mode the run would have nothing to do.
  mkdirSync(path.join(dir, 'out'));
  writeFileSync(path.join(dir, 'out', 'clean.txt'), 'PRODUCTION\n');
  writeFileSync(path.join(dir, 'out', 'report.json'), 'production\n');
  const r = runCli(dir, ['run', 'pipeline.ts', 'Report', '--test-mode', '--events', 'jsonl']);
  assert.equal(r.code, 0, r.stderr);
  const area = path.join(dir, '.plumb', 'test-area');
  const started = r.events.find((e) => e.type === 'run-started');
  assert.equal(started?.type === 'run-started' && started.testArea, area);
  const ran = r.events.flatMap((e) => (e.type === 'task-done' ? [e.taskId] : []));
  assert.deepEqual(ran, ['Clean()', 'Report()']);
  assert.equal(read(area, 'out', 'clean.txt'), 'ALPHA\nBETA\n');
  assert.deepEqual(JSON.parse(read(area, 'out', 'report.json')), { lines: 2, testMode: '1' });
  assert.equal(read(dir, 'out', 'clean.txt'), 'PRODUCTION\n');
  assert.equal(read(dir, 'out', 'report.json'), 'production\n');
  assert.ok(!existsSync(path.join(area, 'data')), 'external data is read in place, not copied');

  const again = runCli(dir, ['run', 'pipeline.ts', 'Report', '--test-mode', '--events', 'jsonl']);
  assert.equal(again.code, 0, again.stderr);
  assert.ok(!again.events.some((e) => e.type === 'task-done'), 'the test area is complete now');
});

test('plumb.toml [run] test_mode and [test_mode] root choose test mode and its area', () => {
  const dir = workspace('test-mode');
  writeFileSync(path.join(dir, 'plumb.toml'), '[run]\ntest_mode = true\n\n[test_mode]\nroot = "sandbox"\n');
  const r = runCli(dir, ['run', 'pipeline.ts', 'Clean', '--events', 'jsonl']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(read(dir, 'sandbox', 'out', 'clean.txt'), 'ALPHA\nBETA\n');
  assert.ok(!existsSync(path.join(dir, 'out')));
});

test('without test mode outputs go to production and run-started names no test area', () => {
  const dir = workspace('test-mode');
  const r = runCli(dir, ['run', 'pipeline.ts', 'Report', '--events', 'jsonl']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(read(dir, 'out', 'report.json')), { lines: 2, testMode: null });
  const started = r.events.find((e) => e.type === 'run-started');
  assert.ok(started && !('testArea' in started));
});

test('a [test_mode] key other than root is an error naming its line (exit 2)', () => {
  const dir = workspace('test-mode');
  writeFileSync(path.join(dir, 'plumb.toml'), '[test_mode]\nrot = "x"\n');
  const r = runCli(dir, ['run', 'pipeline.ts', 'Clean']);
  assert.equal(r.code, 2);
  assert.match(r.stderr + r.stdout, /plumb\.toml:2: test_mode\.rot: unknown setting \(did you mean root\?\)/);
});
