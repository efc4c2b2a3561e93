// When the run dies (SIGKILL, OOM), its isolated children die with it, even while their main
// thread is busy, never commit an output, and a rerun never runs beside a survivor.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { finished, runCli, startCli, waitForOutput, workspace } from './support/cli';
import { alive, assertGone } from './support/processes';

async function startOrphan(ws: string): Promise<{ mainPid: number; childPid: number }> {
  const main = startCli(ws, ['run', 'processes.ts', 'Orphan', '--events', 'jsonl']);
  let seen = '';
  main.stdout!.on('data', (d: Buffer) => (seen += String(d)));
  await waitForOutput(main, (t) => /"line":"orphan \d+"/.test(t));
  const childPid = Number(/"line":"orphan (\d+)"/.exec(seen)![1]);
  const done = finished(main);
  main.kill('SIGKILL');
  await done;
  return { mainPid: main.pid!, childPid };
}

test('a killed run takes its busy isolated child with it; the child never commits', async () => {
  const ws = workspace('processes');
  const { childPid } = await startOrphan(ws);
  await sleep(3500); // longer than the child's busy loop: had it survived, it would have written
  assert.equal(existsSync(path.join(ws, 'out/orphan.txt')), false, 'no output from an orphan');
  assertGone([childPid]);
});

test('a killed run takes a stopped isolated child with it (no thread of its own has to notice)', async () => {
  const ws = workspace('processes');
  const main = startCli(ws, ['run', 'processes.ts', 'Orphan', '--events', 'jsonl']);
  let seen = '';
  main.stdout!.on('data', (d: Buffer) => (seen += String(d)));
  await waitForOutput(main, (t) => /"line":"orphan \d+"/.test(t));
  const childPid = Number(/"line":"orphan (\d+)"/.exec(seen)![1]);
  // Stopped (a debugger, a ^Z, SIGSTOP): none of its threads runs, so only a guard outside it can end it.
  process.kill(childPid, 'SIGSTOP');
  const done = finished(main);
  main.kill('SIGKILL');
  await done;
  try {
    assertGone([childPid]);
  } finally {
    if (alive(childPid)) process.kill(childPid, 'SIGKILL');
  }
});

/** The run's guard processes (cli-isolate-guard.ts): its shell children. */
function guardsOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return ppid === pid && readFileSync(`/proc/${name}/cmdline`, 'utf8').startsWith('/bin/sh');
      } catch {
        return false;
      }
    })
    .map(Number);
}

test('a guard killed during the run is replaced: the run’s death still takes its members', async () => {
  const ws = workspace('processes');
  const main = startCli(ws, ['run', 'processes.ts', 'Orphan', '--events', 'jsonl']);
  let seen = '';
  main.stdout!.on('data', (d: Buffer) => (seen += String(d)));
  await waitForOutput(main, (t) => /"line":"orphan \d+"/.test(t));
  const childPid = Number(/"line":"orphan (\d+)"/.exec(seen)![1]);
  const [guard] = guardsOf(main.pid!);
  assert.ok(guard, 'the run has a guard process');
  process.kill(guard, 'SIGKILL');
  assertGone([guard]);
  process.kill(childPid, 'SIGSTOP'); // only a guard can end it now
  await sleep(300);
  const done = finished(main);
  main.kill('SIGKILL');
  await done;
  try {
    assertGone([childPid]);
  } finally {
    if (alive(childPid)) process.kill(childPid, 'SIGKILL');
  }
});

test('a rerun right after the run was killed never runs beside a survivor', async () => {
  const ws = workspace('processes');
  const { childPid } = await startOrphan(ws);
  const rerun = startCli(ws, ['run', 'processes.ts', 'Orphan', '--ms', '500', '--events', 'jsonl']);
  const done = finished(rerun);
  await waitForOutput(rerun, (t) => t.includes('"type":"task-running"'));
  assert.equal(alive(childPid), false, 'the survivor was gone before the rerun started its task');
  const r = await done;
  assert.equal(r.code, 0, r.stderr);
  const running = r.events.find((e) => e.type === 'task-running');
  assert.ok(running?.type === 'task-running' && running.pid);
  assert.equal(readFileSync(path.join(ws, 'out/orphan.txt'), 'utf8'), `from ${running.pid}\n`);
  assertGone([childPid, running.pid]);
});

test('processes a killed run started with taskSpawn are killed by the next run that takes its lock', async () => {
  const ws = workspace('processes');
  const main = startCli(ws, ['run', 'processes.ts', 'SpawnThenWait', '--events', 'jsonl']);
  let seen = '';
  main.stdout!.on('data', (d: Buffer) => (seen += String(d)));
  await waitForOutput(main, (t) => /"line":"tree \d+ \d+"/.test(t));
  const [, shell, sleeper] = /"line":"tree (\d+) (\d+)"/.exec(seen)!.map(Number);
  // 'exit', not 'close': the tree still holds the dead run's stderr open.
  const exited = new Promise((resolve) => main.once('exit', resolve));
  main.kill('SIGKILL');
  await exited;
  await sleep(300);
  assert.ok(alive(shell!) && alive(sleeper!), 'nothing could stop them while no run was there');
  const rerun = runCli(ws, ['run', 'processes.ts', 'SpawnThenWait', '--ms', '0', '--events', 'jsonl']);
  assert.equal(rerun.code, 0, rerun.stderr);
  assertGone([shell!, sleeper!]);
  const mine = /"line":"tree (\d+) (\d+)"/.exec(rerun.stdout)!.slice(1).map(Number);
  assertGone(mine);
});
