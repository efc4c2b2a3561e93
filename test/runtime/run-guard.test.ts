// The run guard through the real CLI: a run() that never settles, calls process.exit, forgets a
// rejection or throws in a timer fails its own task while its sibling finishes and the run ends
// with a summary; an error no task can be blamed for ends the run as 'crashed' (exit 70).
import assert from 'node:assert/strict';
import { fork, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { EXIT_CODES, type RunEvent } from '../../runtime/src/events';
import { allFiles, cli, runCli, workspace } from './support/cli';

const cases: [kind: string, message: RegExp][] = [
  ['never-settles', /Misbehaves\(kind=never-settles\): run\(\) returned a promise that can never settle/],
  ['exit', /Misbehaves\(kind=exit\): run\(\) called process\.exit\(0\)/],
  ['exit-while-writing', /run\(\) called process\.exit\(0\)/],
  ['exit-in-timer', /Misbehaves\(kind=exit-in-timer\): run\(\) called process\.exit\(3\)/],
  ['forgotten-reject', /a rejection nobody handled/],
  ['throw-in-timer', /thrown in a timer/],
];

for (const [kind, message] of cases) {
  test(`a run() that misbehaves (${kind}) fails its task; the sibling finishes; the run ends with its summary`, () => {
    const ws = workspace('processes');
    const r = runCli(ws, ['run', 'processes.ts', 'Misbehaviour', '--kind', kind, '--events', 'jsonl']);
    assert.equal(r.code, EXIT_CODES.failed, r.stderr);
    const failed = r.events.find((e) => e.type === 'task-failed');
    assert.ok(failed?.type === 'task-failed', r.stdout);
    assert.equal(failed.taskId, `Misbehaves(kind=${kind})`);
    assert.match(failed.error.message, message);
    const fin = r.events.at(-1)!;
    assert.ok(fin.type === 'run-finished' && fin.outcome === 'failed', JSON.stringify(fin));
    assert.deepEqual(fin.summary.failed, [`Misbehaves(kind=${kind})`]);
    assert.ok(r.events.some((e) => e.type === 'task-done' && e.taskId === `Sibling(kind=${kind})`));
    // Only the sibling's output: nothing from the failed task, no temp file.
    assert.deepEqual(allFiles(path.join(ws, 'out')), [`sibling_${kind}.txt`]);
  });
}

test('an error no task can be blamed for ends the run as crashed (exit 70) with its summary', () => {
  const ws = workspace('processes');
  const r = runCli(ws, ['run', 'crash.ts', 'Slow', '--events', 'jsonl']);
  assert.equal(r.code, EXIT_CODES.crashed, r.stderr);
  const fin = r.events.at(-1)!;
  assert.ok(fin.type === 'run-finished' && fin.outcome === 'crashed', JSON.stringify(fin));
  assert.match(fin.message ?? '', /thrown by the module, outside any task/);
  assert.deepEqual(fin.summary.cancelled, ['Slow()']);
  assert.equal(existsSync(path.join(ws, 'out')) ? allFiles(path.join(ws, 'out')).length : 0, 0);
});

test('Node gives the async context of the failing code to uncaughtException and unhandledRejection', () => {
  // What run-guard.ts relies on to blame a task: pinned here so a Node release that changes it fails.
  const script = `
    const { AsyncLocalStorage } = require('node:async_hooks');
    const als = new AsyncLocalStorage();
    const seen = [];
    process.on('uncaughtException', (e) => seen.push(e.message + '@' + als.getStore()));
    process.on('unhandledRejection', (e) => seen.push(e.message + '@' + als.getStore()));
    als.run('A', () => setTimeout(() => { throw new Error('timer'); }, 5));
    als.run('B', () => { Promise.reject(new Error('sync')); });
    als.run('C', async () => { await null; Promise.reject(new Error('after-await')); });
    als.run('D', () => setImmediate(() => als.run('E', () => Promise.reject(new Error('nested')))));
    let late; als.run('F', () => { new Promise((_, r) => (late = r)); });
    setTimeout(() => late(new Error('rejected-outside')), 10);
    setTimeout(() => console.log(JSON.stringify(seen.sort())), 50);
  `;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.deepEqual(JSON.parse(r.stdout), [
    'after-await@C',
    'nested@E',
    'rejected-outside@F',
    'sync@B',
    'timer@A',
  ]);
});

test('with an IPC channel to its parent (--events ipc), a run() that never settles still fails, not hangs', async () => {
  const ws = workspace('processes');
  const args = ['run', 'processes.ts', 'Misbehaves', '--kind', 'never-settles', '--events', 'ipc', '--quiet'];
  const child = fork(cli(), args, { cwd: ws, execArgv: [], stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
  const events: RunEvent[] = [];
  child.on('message', (m) => events.push(m as RunEvent));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const code = await new Promise((resolve) => child.on('exit', resolve));
  clearTimeout(timer);
  assert.equal(code, EXIT_CODES.failed);
  const fin = events.at(-1);
  assert.ok(fin?.type === 'run-finished' && fin.outcome === 'failed');
});
