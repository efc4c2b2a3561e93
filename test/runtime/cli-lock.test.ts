// The run lock: a dead holder is never honoured (pid reuse, pid 1 after a container restart, a
// reboot), a live one always is, symlinks lead to the same lock, several roots lock all or none.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import {
  bootId,
  isLock,
  lockFileFor,
  processStartTime,
  tryLock,
  tryLockRoots,
  type LockHolder,
} from '../../runtime/src/cli-lock';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plumb-lock-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function writeHolder(file: string, holder: LockHolder): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(holder));
}

test('the lock records pid, start time, boot id and host; a live holder is honoured', (t) => {
  const file = path.join(tempDir(t), 'a.lock');
  const lock = tryLock(file, 'A()');
  assert.ok(isLock(lock));
  const record = JSON.parse(readFileSync(file, 'utf8')) as LockHolder;
  assert.equal(record.pid, process.pid);
  assert.equal(record.startTime, processStartTime(process.pid));
  assert.match(record.startTime ?? '', /^\d+$/);
  assert.equal(record.bootId, bootId());
  assert.equal(record.host, os.hostname());
  const again = tryLock(file, 'A()');
  assert.ok(!isLock(again) && again.pid === process.pid, 'held by this very process');
  lock.release();
  const after = tryLock(file, 'A()');
  assert.ok(isLock(after));
  after.release();
});

test('a dead holder whose pid now belongs to an unrelated live process is not honoured', async (t) => {
  const file = path.join(tempDir(t), 'a.lock');
  const stranger = spawn('sleep', ['30'], { stdio: 'ignore' });
  t.after(() => stranger.kill('SIGKILL'));
  await new Promise((r) => stranger.once('spawn', r));
  const pid = stranger.pid!;
  const real = processStartTime(pid)!;
  // The holder had this pid once, but started at another time.
  writeHolder(file, {
    pid,
    root: 'A()',
    since: 1,
    startTime: String(Number(real) - 1000),
    bootId: bootId(),
    host: os.hostname(),
  });
  const lock = tryLock(file, 'A()');
  assert.ok(isLock(lock), `a reused pid (${pid}) is not the holder`);
  lock.release();
  // The stranger itself as holder (right start time) is honoured.
  writeHolder(file, { pid, root: 'A()', since: 1, startTime: real, bootId: bootId(), host: os.hostname() });
  const refused = tryLock(file, 'A()');
  assert.ok(!isLock(refused) && refused.pid === pid);
});

test('pid 1 of a restarted container, and a holder from before a reboot, are not honoured', (t) => {
  const file = path.join(tempDir(t), 'a.lock');
  // The runner was pid N in the previous container life; now this process has that pid.
  writeHolder(file, {
    pid: process.pid,
    root: 'A()',
    since: 1,
    startTime: '1',
    bootId: bootId(),
    host: os.hostname(),
  });
  const lock = tryLock(file, 'A()');
  assert.ok(isLock(lock), 'the recorded pid is ours, but we are not the process that took it');
  lock.release();
  writeHolder(file, { pid: 1, root: 'A()', since: 1, startTime: '0', bootId: bootId(), host: os.hostname() });
  const overInit = tryLock(file, 'A()');
  assert.ok(isLock(overInit), 'pid 1 alive, but started at another time');
  overInit.release();
  writeHolder(file, {
    pid: process.pid,
    root: 'A()',
    since: 1,
    startTime: processStartTime(process.pid)!,
    bootId: '00000000-0000-0000-0000-000000000000',
    host: os.hostname(),
  });
  const afterReboot = tryLock(file, 'A()');
  assert.ok(isLock(afterReboot), 'a lock from another boot is stale');
  afterReboot.release();
});

test('the same pipeline reached through a symlink takes the same lock', (t) => {
  const dir = tempDir(t);
  mkdirSync(path.join(dir, 'real'));
  writeFileSync(path.join(dir, 'real', 'pipeline.ts'), '');
  symlinkSync(path.join(dir, 'real'), path.join(dir, 'link'));
  const viaReal = lockFileFor(path.join(dir, 'real'), path.join(dir, 'real', 'pipeline.ts'), 'A()');
  const viaLink = lockFileFor(path.join(dir, 'link'), path.join(dir, 'link', 'pipeline.ts'), 'A()');
  assert.equal(viaLink, viaReal);
  const lock = tryLock(viaReal, 'A()');
  assert.ok(isLock(lock));
  assert.ok(!isLock(tryLock(viaLink, 'A()')));
  lock.release();
});

test('several roots: one lock each, taken in sorted order, all or none', (t) => {
  const dir = tempDir(t);
  const module = path.join(dir, 'pipeline.ts');
  writeFileSync(module, '');
  const both = tryLockRoots(dir, module, ['B()', 'A()', 'B()']);
  assert.ok(isLock(both));
  // An overlapping set is refused and holds nothing afterwards.
  const overlap = tryLockRoots(dir, module, ['C()', 'B()']);
  assert.ok(!isLock(overlap) && overlap.root === 'B()');
  const c = tryLock(lockFileFor(dir, module, 'C()'), 'C()');
  assert.ok(isLock(c), 'C() was released when B() could not be taken');
  c.release();
  both.release();
  const again = tryLockRoots(dir, module, ['C()', 'B()']);
  assert.ok(isLock(again));
  again.release();
});
