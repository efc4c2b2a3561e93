// Whether a process named by its identity still runs: a pid alone is not enough.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import test from 'node:test';
import { exited, identityAlive, processStartTime, thisProcess } from '../../runtime/src/process-identity';

test('this process is alive; a pid reused by another start time is not the same process', () => {
  const me = thisProcess();
  assert.equal(identityAlive(me), true);
  assert.equal(identityAlive({ ...me, startTime: String(Number(me.startTime) + 1) }), false);
});

test(
  'an exited process its parent has not reaped yet (a zombie) is not alive',
  { skip: process.platform !== 'linux' },
  async (t) => {
    // The shell starts a child that exits shortly, then becomes `sleep`, which never reaps it (a
    // child that exited before the exec could be reaped by the shell itself).
    const parent = spawn('sh', ['-c', 'sleep 0.3 & echo $!; exec sleep 30'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    t.after(() => parent.kill('SIGKILL'));
    const [line] = (await once(parent.stdout!, 'data')) as [Buffer];
    const pid = Number(line.toString().trim());
    const startTime = processStartTime(pid);
    assert.ok(startTime, 'the child was seen before it exited');
    assert.equal(identityAlive({ ...thisProcess(), pid, startTime }), true);
    // Once it exits the kernel shows it as a zombie.
    for (let i = 0; i < 1000 && !exited(pid); i++) await sleep(10);
    assert.equal(exited(pid), true, 'the child is a zombie');
    assert.equal(identityAlive({ ...thisProcess(), pid, startTime }), false);
  },
);
