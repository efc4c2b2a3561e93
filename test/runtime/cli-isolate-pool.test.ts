// The pool of warm processes isolated attempts run in, through the real CLI: members are reused
// and put back as they were found, replaced after a bad ending, recycled after N attempts or past a
// memory ceiling, and nothing they ran outlives the run.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { EXIT_CODES, type RunEvent } from '../../runtime/src/events';
import { finished, runCli, startCli, waitForOutput, workspace } from './support/cli';
import { assertGone } from './support/processes';

interface Probe {
  index: number;
  pid: number;
  env: string;
  cwd: string;
  taskId: string;
}

function probes(events: RunEvent[]): Probe[] {
  return events.flatMap((e) => {
    const m = e.type === 'task-log' ? /^probe (\d+) pid=(\d+) env=(\S+) cwd=(.*)$/.exec(e.line) : null;
    return m && e.type === 'task-log'
      ? [{ index: Number(m[1]), pid: Number(m[2]), env: m[3]!, cwd: m[4]!, taskId: e.taskId }]
      : [];
  });
}

const memberPids = (events: RunEvent[]) =>
  events.flatMap((e) => (e.type === 'task-running' && e.pid ? [e.pid] : []));

test('a member is reused across tasks, and each finds cwd, environment and exit code as the run set them', () => {
  const ws = workspace('processes');
  const r = runCli(ws, ['run', 'pool.ts', 'Probes', '--workers', '1', '--events', 'jsonl']);
  assert.equal(r.code, 0, r.stderr);
  const seen = probes(r.events);
  assert.equal(seen.length, 6);
  assert.equal(new Set(seen.map((p) => p.pid)).size, 1, 'one warm process ran all six');
  const first = r.events[0]!;
  assert.ok(first.type === 'run-started' && seen[0]!.pid !== first.pid, 'not in the run’s own process');
  for (const p of seen) {
    assert.equal(p.env, '-', `probe ${p.index} saw the previous task's environment`);
    assert.equal(p.cwd, seen[0]!.cwd, `probe ${p.index} ran in the previous task's cwd`);
  }
  // Output printed straight to stdout, even an unfinished line, belongs to the task that printed it.
  for (const p of seen) {
    const raw = r.events.find((e) => e.type === 'task-log' && e.line === `raw ${p.index}`);
    assert.ok(
      raw?.type === 'task-log' && raw.taskId === p.taskId,
      `raw ${p.index} on ${raw?.type === 'task-log' ? raw.taskId : '-'}`,
    );
  }
  assertGone(memberPids(r.events));
});

test('the pool follows --workers: never more members than attempts at once', () => {
  const ws = workspace('processes');
  const r = runCli(ws, ['run', 'processes.ts', 'Burst', '--n', '60', '--workers', '3', '--events', 'jsonl']);
  assert.equal(r.code, 0, r.stderr);
  const pids = memberPids(r.events);
  assert.equal(pids.length, 60);
  assert.ok(new Set(pids).size <= 3, `${new Set(pids).size} members`);
  for (let i = 0; i < 60; i++) {
    assert.match(
      readFileSync(path.join(ws, `out/burst_${i}.txt`), 'utf8'),
      new RegExp(`^part ${i} from \\d+\\n$`),
    );
    // Every line a task logged reached the run, on that task.
    const lines = r.events.filter((e) => e.type === 'task-log' && e.line.startsWith(`part ${i} line `));
    assert.equal(lines.length, 20, `part ${i}`);
  }
  assertGone(pids);
});

test('a member is recycled after PLUMB_ISOLATE_RECYCLE_AFTER attempts', () => {
  const ws = workspace('processes');
  const r = runCli(ws, ['run', 'pool.ts', 'Probes', '--workers', '1', '--events', 'jsonl'], {
    PLUMB_ISOLATE_RECYCLE_AFTER: '2',
  });
  assert.equal(r.code, 0, r.stderr);
  const pids = memberPids(r.events);
  const counts = [...new Set(pids)].map((pid) => pids.filter((p) => p === pid).length);
  assert.deepEqual(counts, [2, 2, 2]);
  assertGone(pids);
});

test('a member past the memory ceiling (its own RSS, PLUMB_ISOLATE_MAX_RSS_MB) is recycled', () => {
  const ws = workspace('processes');
  const r = runCli(ws, ['run', 'pool.ts', 'Probes', '--workers', '1', '--events', 'jsonl'], {
    PLUMB_ISOLATE_MAX_RSS_MB: '1', // every member is past it after its first attempt
  });
  assert.equal(r.code, 0, r.stderr);
  const pids = memberPids(r.events);
  assert.equal(new Set(pids).size, 6);
  assertGone(pids);
});

for (const [how, message] of [
  ['crash', /ended by SIGKILL without a result/],
  ['exit', /run\(\) called process\.exit\(0\)/],
  ['timeout', /timed out after 3000 ms/],
  ['throw', /thrown on purpose/],
] as const) {
  test(`a task that ends by ${how} fails alone; its member is replaced, never reused, and gone`, () => {
    const ws = workspace('processes');
    const r = runCli(ws, [
      'run',
      'pool.ts',
      'EndsAmongProbes',
      '--how',
      how,
      '--workers',
      '1',
      '--events',
      'jsonl',
    ]);
    assert.equal(r.code, EXIT_CODES.failed, r.stderr);
    const failed = r.events.filter((e) => e.type === 'task-failed');
    assert.equal(failed.length, 1);
    const fail = failed[0]!;
    assert.ok(fail.type === 'task-failed');
    assert.match(fail.error.message, message);
    assert.equal(probes(r.events).length, 4, 'the other tasks all ran');
    for (let i = 0; i < 4; i++) assert.ok(readFileSync(path.join(ws, `out/probe_${i}.txt`), 'utf8'));
    // The member that ran the bad ending ran nothing after it.
    const endsRunning = r.events.find((e) => e.type === 'task-running' && e.taskId === fail.taskId);
    assert.ok(endsRunning?.type === 'task-running' && endsRunning.pid);
    const after = r.events.slice(r.events.indexOf(endsRunning) + 1);
    assert.ok(!after.some((e) => e.type === 'task-running' && e.pid === endsRunning.pid));
    assertGone(memberPids(r.events));
  });
}

test('a cancelled run kills its busy members and leaves no process behind', async () => {
  const ws = workspace('processes');
  const child = startCli(ws, ['run', 'pool.ts', 'Sleepers', '--workers', '4', '--events', 'jsonl']);
  const done = finished(child);
  await waitForOutput(child, (out) => (out.match(/sleeper pid=/g) ?? []).length === 4, 60_000);
  child.kill('SIGINT');
  const r = await done;
  assert.equal(r.code, EXIT_CODES.cancelled, r.stderr);
  const pids = memberPids(r.events);
  assert.equal(new Set(pids).size, 4);
  assertGone(pids);
});
