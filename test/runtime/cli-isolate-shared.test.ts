// Shared pool members (`static isolateShare = N`), through the real CLI: attempts of tasks that only
// wait run together in one member; a co-tenant that crashes it or times out fails alone, and the
// attempts it took down are run again alone, not counted as a retry; a cancel kills the member's
// group; nothing is left running.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { EXIT_CODES, type RunEvent } from '../../runtime/src/events';
import { finished, runCli, startCli, waitForOutput, workspace } from './support/cli';
import { assertGone } from './support/processes';

const running = (events: RunEvent[], prefix: string) =>
  events.flatMap((e) => (e.type === 'task-running' && e.taskId.startsWith(prefix) ? [e] : []));
const memberPids = (events: RunEvent[]) =>
  events.flatMap((e) => (e.type === 'task-running' && e.pid ? [e.pid] : []));

test('waiting tasks that declare isolateShare run together in one member, not in process', () => {
  const ws = workspace('processes');
  const r = runCli(ws, [
    'run',
    'shared.ts',
    'Shared',
    '--how',
    'none',
    '--n',
    '4',
    '--workers',
    '4',
    '--events',
    'jsonl',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const pids = new Set(running(r.events, 'Waiter').map((e) => e.pid));
  assert.equal(pids.size, 1, `${pids.size} members for 4 waiters`);
  assert.notEqual([...pids][0], r.events[0]!.type === 'run-started' ? r.events[0]!.pid : undefined);
  // Together: the four 400 ms waits overlapped (one after another, the first and last ends are 1.2 s apart).
  const ends = r.events.flatMap((e) =>
    e.type === 'task-done' && e.taskId.startsWith('Waiter') ? [e.time] : [],
  );
  assert.equal(ends.length, 4);
  assert.ok(
    Math.max(...ends) - Math.min(...ends) < 800,
    `ends ${Math.max(...ends) - Math.min(...ends)} ms apart`,
  );
  assertGone(memberPids(r.events));
});

for (const how of ['crash', 'timeout'] as const) {
  test(`a co-tenant that ends its shared member by ${how} fails alone; the others run again alone, no retry used`, () => {
    const ws = workspace('processes');
    const r = runCli(ws, ['run', 'shared.ts', 'Shared', '--how', how, '--workers', '4', '--events', 'jsonl']);
    assert.equal(r.code, EXIT_CODES.failed, r.stderr);
    for (let i = 0; i < 3; i++) {
      const id = `Waiter(index=${i}, ms=400)`;
      assert.ok(existsSync(path.join(ws, `out/waiter_${i}.txt`)), `${id} has no output`);
      assert.ok(r.events.some((e) => e.type === 'task-done' && e.taskId === id));
      // Its lost attempt was not counted: it ran again as attempt 1, saying why.
      const runs = running(r.events, id);
      assert.deepEqual(
        runs.map((e) => e.attempt),
        [1, 1],
        `${id}: ${JSON.stringify(runs)}`,
      );
      assert.notEqual(runs[0]!.pid, runs[1]!.pid);
      const why = r.events.find(
        (e) =>
          e.type === 'task-log' && e.taskId === id && /run again alone, not counted as a retry/.test(e.line),
      );
      assert.ok(why, `${id}: no word on its rerun`);
      if (how === 'timeout')
        assert.match(why.type === 'task-log' ? why.line : '', /Breaker\(how=timeout\) timed out/);
    }
    const failed = r.events.find((e) => e.type === 'task-failed');
    assert.ok(
      failed?.type === 'task-failed' && failed.taskId === `Breaker(how=${how})`,
      JSON.stringify(failed),
    );
    assertGone(memberPids(r.events));
  });
}

test('a cancel kills a shared member with every attempt in it, and leaves no process behind', async () => {
  const ws = workspace('processes');
  const child = startCli(ws, [
    'run',
    'shared.ts',
    'Shared',
    '--how',
    'none',
    '--ms',
    '30000',
    '--workers',
    '4',
    '--events',
    'jsonl',
  ]);
  const done = finished(child);
  await waitForOutput(child, (out) => (out.match(/waiter \d pid=/g) ?? []).length === 3, 60_000);
  child.kill('SIGINT');
  const r = await done;
  assert.equal(r.code, EXIT_CODES.cancelled, r.stderr);
  const pids = memberPids(r.events);
  assert.equal(new Set(pids).size, 1);
  assert.ok(
    !r.events.some((e) => e.type === 'task-log' && /run again alone/.test(e.line)),
    'a cancel reran nothing',
  );
  assertGone(pids);
});
