// Isolated attempts through the real CLI: results are never lost under load, process trees die with
// their task, and nothing outlives its run.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { emptyConfig } from '../../runtime/src/config';
import { EXIT_CODES, type RunEvent } from '../../runtime/src/events';
import { policyFor } from '../../runtime/src/run';
import { Task } from '../../runtime/src/task';
import { runCli, workspace } from './support/cli';
import { assertGone } from './support/processes';

test('48 isolated tasks finishing together: every result is read, none "ended without a result"', () => {
  const ws = workspace('processes');
  for (let round = 0; round < 2; round++) {
    const r = runCli(ws, ['run', 'processes.ts', 'Burst', '--workers', '48', '--events', 'jsonl']);
    const failures = r.events.flatMap((e) => (e.type === 'task-failed' ? [e.error.message] : []));
    assert.deepEqual(failures, [], `round ${round}`);
    assert.equal(r.code, 0, r.stderr);
    const pids = r.events.flatMap((e) => (e.type === 'task-running' && e.pid ? [e.pid] : []));
    assert.equal(pids.length, round === 0 ? 48 : 0);
    assertGone(pids);
    for (let i = 0; i < 48; i++) {
      assert.match(
        readFileSync(path.join(ws, `out/burst_${i}.txt`), 'utf8'),
        new RegExp(`^part ${i} from \\d+\\n$`),
      );
    }
  }
  assert.equal(EXIT_CODES.success, 0);
});

function treePids(events: RunEvent[]): number[] {
  for (const e of events) {
    const m = e.type === 'task-log' ? /^tree (\d+) (\d+)$/.exec(e.line) : null;
    if (m) return [Number(m[1]), Number(m[2])];
  }
  throw new Error('the task did not log its process tree');
}

test('a timeout kills an isolated task’s whole process tree (its process group)', () => {
  const ws = workspace('processes');
  const r = runCli(ws, ['run', 'processes.ts', 'IsolatedTree', '--events', 'jsonl']);
  assert.equal(r.code, EXIT_CODES.failed, r.stderr);
  const failed = r.events.find((e) => e.type === 'task-failed');
  assert.ok(failed?.type === 'task-failed' && failed.timedOut === true);
  const running = r.events.find((e) => e.type === 'task-running');
  assert.ok(running?.type === 'task-running' && running.pid);
  assertGone([running.pid, ...treePids(r.events)]);
});

for (const [family, ends] of [
  ['SpawnTimesOut', 'times out'],
  ['SpawnFails', 'fails'],
  ['SpawnLeaves', 'succeeds'],
] as const) {
  test(`taskSpawn: an in-process task's child process tree dies when the task ${ends}`, () => {
    const ws = workspace('processes');
    const r = runCli(ws, ['run', 'processes.ts', family, '--events', 'jsonl']);
    assert.equal(r.code, family === 'SpawnLeaves' ? 0 : EXIT_CODES.failed, r.stderr);
    const fin = r.events.at(-1)!;
    assert.ok(fin.type === 'run-finished');
    assertGone(treePids(r.events), 500);
  });
}

for (const [family, message] of [
  ['IsolatedNeverSettles', /IsolatedNeverSettles\(\): run\(\) returned a promise that can never settle/],
  ['IsolatedExits', /IsolatedExits\(\): run\(\) called process\.exit\(0\)/],
] as const) {
  test(`the run guard works in an isolated task's process too (${family})`, () => {
    const ws = workspace('processes');
    const r = runCli(ws, ['run', 'processes.ts', family, '--events', 'jsonl']);
    assert.equal(r.code, EXIT_CODES.failed, r.stderr);
    const failed = r.events.find((e) => e.type === 'task-failed');
    assert.ok(failed?.type === 'task-failed');
    assert.match(failed.error.message, message);
    const running = r.events.find((e) => e.type === 'task-running');
    assert.ok(running?.type === 'task-running' && running.pid);
    assertGone([running.pid]);
  });
}

test('a timeout isolates the task unless it says isolate = false, so a CPU-bound run() is stopped in time', () => {
  const config = emptyConfig();
  class WithTimeout extends Task {
    static timeoutMs = 100;
  }
  class OptsOut extends Task {
    static timeoutMs = 100;
    static isolate = false;
  }
  class Plain extends Task {}
  assert.equal(policyFor(new WithTimeout(), config).isolate, true);
  assert.equal(policyFor(new OptsOut(), config).isolate, false);
  assert.equal(policyFor(new Plain(), config).isolate, false);

  const ws = workspace('processes');
  const started = Date.now();
  const r = runCli(ws, ['run', 'processes.ts', 'CpuTimeout', '--events', 'jsonl']);
  assert.equal(r.code, EXIT_CODES.failed, r.stderr);
  const failed = r.events.find((e) => e.type === 'task-failed');
  assert.ok(failed?.type === 'task-failed' && failed.timedOut === true, JSON.stringify(failed));
  assert.match(failed.error.message, /CpuTimeout\(\) timed out after 1000 ms/);
  assert.ok(Date.now() - started < 12_000, 'stopped long before its 15 s loop would have ended');
  const first = r.events[0]!;
  const running = r.events.find((e) => e.type === 'task-running');
  const pid = running?.type === 'task-running' ? (running.pid ?? 0) : 0;
  assert.ok(first.type === 'run-started' && pid > 0 && pid !== first.pid, 'it ran in a child process');
  assertGone([pid]);
  assert.equal(existsSync(path.join(ws, 'out/cpu_timeout.txt')), false);
});

test('a process that left the task’s group and holds its pipes neither stalls the task nor outlives the run', () => {
  const ws = workspace('processes');
  const started = Date.now();
  const r = runCli(ws, ['run', 'processes.ts', 'IsolatedEscapes', '--events', 'jsonl']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(Date.now() - started < 30_000);
  const pid = Number(/escaped (\d+)/.exec(r.stdout)?.[1]);
  assert.ok(pid > 0);
  assertGone([pid]);
});
