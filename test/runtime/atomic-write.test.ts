// Atomic outputs: the file appears whole or not at all; failed writes leave nothing behind;
// temp files of dead processes are swept.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { setRequiredParent, sweepStaleTemps } from '../../runtime/src/atomic-write';
import { LocalTarget } from '../../runtime/src/local-target';
import { runInTaskContext } from '../../runtime/src/task-context';
import { hooksStoppedBy } from './support/task-hooks';
import { freshRoot } from './support/workdir';

test('writes create parent directories and replace the file in one rename', async (t) => {
  const root = freshRoot(t);
  const target = new LocalTarget('deep/dir/out.txt');
  assert.equal(target.path, path.join(root, 'deep/dir/out.txt'));
  assert.equal(target.exists(), false);
  await target.writeText('one\n');
  await target.writeLines(['a', 'b']);
  assert.deepEqual(target.readLines(), ['a', 'b']);
  await new LocalTarget('deep/dir/data.json').writeJson({ x: 1 });
  assert.deepEqual(new LocalTarget('deep/dir/data.json').readJson(), { x: 1 });
  assert.deepEqual(readdirSync(path.join(root, 'deep/dir')).sort(), ['data.json', 'out.txt']);
});

test('a streaming write that throws leaves neither the output nor a temp file', async (t) => {
  const root = freshRoot(t);
  const target = new LocalTarget('big.txt');
  await assert.rejects(
    target.write(async (w) => {
      await w.write('partial ');
      assert.ok(
        readdirSync(root).some((f) => f.endsWith('.plumb-tmp')),
        'bytes go to a temp file meanwhile',
      );
      throw new Error('disk on fire');
    }),
    /disk on fire/,
  );
  assert.deepEqual(readdirSync(root), []);
  await target.write(async (w) => {
    for (let i = 0; i < 10_000; i++) await w.write(`line ${i}\n`);
  });
  assert.equal(target.readLines().length, 10_000);
  assert.deepEqual(readdirSync(root), ['big.txt']);
});

test('an existing output is never seen half-replaced', async (t) => {
  freshRoot(t);
  const target = new LocalTarget('v.txt');
  await target.writeText('old'.repeat(1000));
  const writer = target.openWriter();
  await writer.write('new');
  assert.equal(target.readText(), 'old'.repeat(1000));
  await writer.commit();
  assert.equal(target.readText(), 'new');
});

test('temp files of dead processes are swept on the next write in their directory; live ones stay', async (t) => {
  const root = freshRoot(t);
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  const deadPid = Number(dead.stdout);
  mkdirSync(path.join(root, 'out'));
  const stale = path.join(root, 'out', `.x.txt.${deadPid}-1.plumb-tmp`);
  const live = path.join(root, 'out', `.y.txt.${process.ppid}-1.plumb-tmp`);
  writeFileSync(stale, 'half');
  writeFileSync(live, 'in progress elsewhere');
  assert.equal(sweepStaleTemps(path.join(root, 'out')), 1);
  assert.ok(!existsSync(stale));
  assert.ok(existsSync(live));
  assert.equal(readFileSync(live, 'utf8'), 'in progress elsewhere');
});

test('an isolated task whose parent run is gone commits nothing (every kind of write)', async (t) => {
  const root = freshRoot(t);
  setRequiredParent(process.ppid + 1_000_000); // not our parent: as after the run died
  t.after(() => setRequiredParent(undefined));
  const target = new LocalTarget('out/late.txt');
  assert.throws(() => target.writeTextSync('late'), /the run that started this task .* is gone/);
  await assert.rejects(target.writeText('x'.repeat(2 << 20)), /is gone/);
  await assert.rejects(
    target.write(async (w) => {
      await w.write('late');
    }),
    /is gone/,
  );
  assert.deepEqual(readdirSync(path.join(root, 'out')), []);
  setRequiredParent(process.ppid);
  target.writeTextSync('on time');
  assert.equal(target.readText(), 'on time');
});

test('a task stopped (cancelled, timed out) before its write commits nothing: the write throws the reason', async (t) => {
  const root = freshRoot(t);
  const controller = new AbortController();
  const hooks = hooksStoppedBy(controller, 'Late()');
  const target = new LocalTarget('out/late.txt');
  const write = () => runInTaskContext(hooks, () => target.writeTextSync('late'), undefined);
  controller.abort(new Error('Late() timed out after 10 ms'));
  assert.throws(write, /Late\(\) timed out after 10 ms/);
  await assert.rejects(
    runInTaskContext(hooks, () => target.writeText('x'.repeat(2 << 20)), undefined),
    /timed out/,
  );
  const cancelled = new AbortController();
  cancelled.abort('no error object');
  const other = { ...hooks, signal: cancelled.signal, stopped: true };
  assert.throws(
    () => runInTaskContext(other, () => target.writeTextSync('late'), undefined),
    /Late\(\) was stopped/,
  );
  assert.deepEqual(readdirSync(path.join(root, 'out')), []);
  const live = { ...hooks, signal: new AbortController().signal, stopped: false };
  runInTaskContext(live, () => target.writeTextSync('on time'), undefined);
  assert.equal(target.readText(), 'on time');
});

test('a temp file whose writer is a zombie (exited, not yet reaped) is swept', async (t) => {
  const root = freshRoot(t);
  // sh starts a short sleep, prints its pid and becomes a long sleep, which never reaps it: once
  // the short one ends it is a zombie until the shell is killed.
  const shell = spawn('sh', ['-c', 'sleep 0.3 & echo $!; exec sleep 10'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  t.after(() => shell.kill('SIGKILL'));
  const zombie = await new Promise<number>((resolve) =>
    shell.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))),
  );
  const state = () => {
    const stat = readFileSync(`/proc/${zombie}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0];
  };
  for (let i = 0; i < 100 && state() !== 'Z'; i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(state(), 'Z');
  mkdirSync(path.join(root, 'out'));
  writeFileSync(path.join(root, 'out', `.x.txt.${zombie}-1.plumb-tmp`), 'partial');
  assert.equal(sweepStaleTemps(path.join(root, 'out')), 1);
  assert.deepEqual(readdirSync(path.join(root, 'out')), []);
});

test('a directory removed after this process first wrote there is made again, not an ENOENT', async (t) => {
  const root = freshRoot(t);
  await new LocalTarget('gone/a.txt').writeText('a');
  rmSync(path.join(root, 'gone'), { recursive: true });
  await new LocalTarget('gone/b.txt').writeText('b');
  rmSync(path.join(root, 'gone'), { recursive: true });
  await new LocalTarget('gone/c.txt').write(async (w) => w.write('c'));
  rmSync(path.join(root, 'gone'), { recursive: true });
  await new LocalTarget('gone/d.txt').writeText('d'.repeat(2 << 20));
  assert.deepEqual(readdirSync(path.join(root, 'gone')), ['d.txt']);
});
