// Cancel always ends the run: SIGINT, then SIGTERM after the grace period, then SIGKILL to the
// run's whole process group after a further grace, so nothing it started is left behind.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import type { RunEvent } from '../../runtime/src/events';
import { RunProcess } from '../../client/src/runProcess';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('a run that ignores SIGINT and SIGTERM is killed with its process group after the further grace', async () => {
  const events: RunEvent[] = [];
  let output = '';
  const run = new RunProcess({
    nodePath: process.execPath,
    cliPath: path.join(import.meta.dirname, 'fixtures', 'stubborn-cli.mjs'),
    args: [],
    cwd: import.meta.dirname,
    onEvents: (batch) => events.push(...batch),
    onOutput: (text) => (output += text),
  });
  while (!events.some((e) => e.type === 'task-running')) await new Promise((r) => setTimeout(r, 10));
  const running = events.find((e) => e.type === 'task-running');
  const grandchild = running?.type === 'task-running' ? running.pid! : 0;
  assert.ok(alive(grandchild));
  const started = Date.now();
  run.cancel(200, 300);
  const exit = await run.exited;
  assert.equal(exit.signal, 'SIGKILL');
  assert.ok(Date.now() - started >= 450, 'SIGKILL only after both grace periods');
  assert.match(output, /ignoring SIGINT/);
  assert.match(output, /ignoring SIGTERM/);
  const until = Date.now() + 2000;
  while (alive(grandchild) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  assert.equal(alive(grandchild), false, 'its child went with it (same process group)');
});

test('a run that exits while something it left holds its pipes still ends (after a short grace)', async () => {
  const events: RunEvent[] = [];
  const run = new RunProcess({
    nodePath: process.execPath,
    cliPath: path.join(import.meta.dirname, 'fixtures', 'leaves-child-cli.mjs'),
    args: [],
    cwd: import.meta.dirname,
    onEvents: (batch) => events.push(...batch),
    onOutput: () => undefined,
  });
  const exit = await run.exited;
  assert.equal(exit.code, 0);
  const running = events.find((e) => e.type === 'task-running');
  const leftover = running?.type === 'task-running' ? running.pid! : 0;
  assert.ok(leftover > 0, 'its events were read');
  process.kill(leftover, 'SIGKILL');
});
