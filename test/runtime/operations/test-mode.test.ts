// Test mode against the real CLI: outputs go to the test area (also from an isolated process),
// production outputs are neither read as complete nor written, external data is read where it is,
// plumb.toml can turn it on and choose the area, and test runs keep their own history and failing
// set (alerts) in the test area.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import path from 'node:path';
import { test } from 'node:test';
import { finished, runCli, startCli, workspace } from '../support/cli';

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

test('a test run keeps its own history and failing set: production never sees its failures, durations or runs', async () => {
  const bodies: { type: string; runId: string; tasks?: { taskId: string; failedIn: string }[] }[] = [];
  const hook = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      bodies.push(JSON.parse(text) as (typeof bodies)[number]);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
  const dir = workspace('sla'); // Flaky fails while out/broken exists (read in place, test mode or not)
  writeFileSync(path.join(dir, 'plumb.toml'), `[alerts]\nwebhooks = [{ url = "${url}", format = "json" }]\n`);
  mkdirSync(path.join(dir, 'out'));
  writeFileSync(path.join(dir, 'out', 'broken'), '');
  const area = path.join(dir, '.plumb', 'test-area');
  const testRun = await finished(
    startCli(dir, ['run', 'pipeline.ts', 'Flaky', '--test-mode', '--events', 'jsonl']),
  );
  assert.equal(testRun.code, 1);
  const testRunId = testRun.events[0]!.runId;
  // Its records are the test area's: its run log and its failing set; production has neither.
  assert.ok(existsSync(path.join(area, '.plumb', 'runs', `${testRunId}.jsonl`)));
  assert.deepEqual(Object.keys(JSON.parse(read(area, '.plumb', 'alerts', 'failing.json')) as object), [
    'Flaky(day=d1)',
  ]);
  assert.ok(!existsSync(path.join(dir, '.plumb', 'runs')), 'no production run log');
  assert.ok(
    !existsSync(path.join(dir, '.plumb', 'alerts', 'failing.json')),
    'production failing set untouched',
  );

  // Production then runs Flaky fine: it never failed there, so nothing "recovers".
  rmSync(path.join(dir, 'out', 'broken'));
  const prod = await finished(startCli(dir, ['run', 'pipeline.ts', 'Flaky', '--events', 'jsonl']));
  assert.equal(prod.code, 0, prod.stderr);
  assert.deepEqual(
    bodies.map((b) => b.type),
    ['task-failed'],
    'the test run alerted its failure; production sent no recovery',
  );
  // History, durations: production lists its own run only; --test-mode lists the test run.
  const history = JSON.parse(runCli(dir, ['history', '--json']).stdout) as {
    runs: { runId: string; outcome: string }[];
  };
  assert.deepEqual(
    history.runs.map((r) => [r.runId, r.outcome]),
    [[prod.events[0]!.runId, 'success']],
  );
  const task = JSON.parse(runCli(dir, ['history', '--task', 'Flaky', '--json']).stdout) as {
    runs: { runId: string; ok: boolean }[];
  };
  assert.deepEqual(
    task.runs.map((r) => [r.runId, r.ok]),
    [[prod.events[0]!.runId, true]],
  );
  const testHistory = JSON.parse(runCli(dir, ['history', '--test-mode', '--json']).stdout) as {
    runs: { runId: string; outcome: string; failed: string[] }[];
  };
  assert.deepEqual(
    testHistory.runs.map((r) => [r.runId, r.outcome, r.failed]),
    [[testRunId, 'failed', ['Flaky(day=d1)']]],
  );

  // The next test run succeeds: the test area's failing set says it recovered, from the test run.
  const again = await finished(
    startCli(dir, ['run', 'pipeline.ts', 'Flaky', '--test-mode', '--events', 'jsonl']),
  );
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(bodies.at(-1)?.tasks, [{ taskId: 'Flaky(day=d1)', failedIn: testRunId }]);
  // [run] test_mode makes plain `plumb history` read the test runs too.
  writeFileSync(path.join(dir, 'plumb.toml'), '[run]\ntest_mode = true\n');
  const viaToml = JSON.parse(runCli(dir, ['history', '--json']).stdout) as { runs: unknown[] };
  assert.equal(viaToml.runs.length, 2);
  await new Promise<void>((r) => hook.close(() => r()));
});
