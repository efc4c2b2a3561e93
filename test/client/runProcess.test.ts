import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import type { RunEvent } from '../../runtime/src/events';
import { RunProcess } from '../../client/src/runProcess';

const cli = path.join(import.meta.dirname, 'fixtures', 'event-cli.mjs');

function start(args: string[], nodePath = process.execPath) {
  const events: RunEvent[] = [];
  let output = '';
  const run = new RunProcess({
    nodePath,
    cliPath: cli,
    args,
    cwd: import.meta.dirname,
    onEvents: (batch) => events.push(...batch),
    onOutput: (text) => (output += text),
  });
  return { run, events, output: () => output };
}

test('stdout events arrive whole and in order; stderr and stray prints go to the output', async () => {
  const { run, events, output } = start(['run', 'p.ts', 'B']);
  const exit = await run.exited;
  assert.equal(exit.code, 0);
  assert.deepEqual(
    events.map((e) => e.type),
    ['run-started', 'task-running', 'task-log', 'task-done', 'run-finished'],
  );
  assert.deepEqual(
    events.map((e) => e.seq),
    [0, 1, 2, 3, 4],
  );
  const log = events[2];
  assert.equal(log?.type === 'task-log' && log.line.length, 200_000);
  assert.match(output(), /plumb: args \["run","p.ts","B"\]/);
  assert.match(output(), /a stray print from user code/);
});

test('cancel sends SIGINT: the run reports itself cancelled and exits 130', async () => {
  const { run, events } = start(['run', '--wait']);
  while (!events.some((e) => e.type === 'task-running' && e.taskId === 'B()'))
    await new Promise((r) => setTimeout(r, 10));
  run.cancel(60_000);
  const exit = await run.exited;
  assert.equal(exit.code, 130);
  const last = events.at(-1);
  assert.equal(last?.type === 'run-finished' && last.outcome, 'cancelled');
});

test('a run that ignores SIGINT is terminated after the grace period', async () => {
  const { run, events, output } = start(['run', '--wait', '--ignore-sigint']);
  while (!events.some((e) => e.type === 'task-running' && e.taskId === 'B()'))
    await new Promise((r) => setTimeout(r, 10));
  run.cancel(200);
  const exit = await run.exited;
  assert.equal(exit.signal, 'SIGTERM');
  assert.match(output(), /ignoring SIGINT/);
  assert.ok(!events.some((e) => e.type === 'run-finished'));
});

test('a node that does not exist is reported, not thrown', async () => {
  const { run } = start(['run'], '/nonexistent/node');
  const exit = await run.exited;
  assert.equal(exit.code, null);
  assert.match(exit.spawnError?.message ?? '', /ENOENT/);
});
