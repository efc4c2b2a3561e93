// Durable mode (`--durable`): an output counts only once its data and its directory entry are on
// disk, the data's fsync comes before the rename that makes it visible, the fsyncs leave the main
// thread, a failed attempt leaves no output, and a task reads its own output before its commit.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { emptyConfig } from '../../runtime/src/config';
import { observeDurableSyncs } from '../../runtime/src/durable-sync';
import { EventStream } from '../../runtime/src/event-stream';
import { LocalTarget } from '../../runtime/src/local-target';
import { param } from '../../runtime/src/parameter';
import { runTasks } from '../../runtime/src/run';
import { Task, WrapperTask } from '../../runtime/src/task';
import { freshRoot } from './support/workdir';

function durableConfig() {
  const config = emptyConfig();
  config.run.durable = true;
  return config;
}

/** The log of the run in progress: tasks add where their run() began. */
let activeLog: string[] = [];

/** Runs `roots` durably, logging fsyncs (with whether the output was visible then) and task-done, in order. */
async function runLogged(roots: Task | Task[], workers = 1) {
  const log: string[] = (activeLog = []);
  const stream = new EventStream('test');
  stream.onEvent((e) => {
    if (e.type === 'task-done') log.push(`done ${e.taskId}`);
  });
  observeDurableSyncs((what, target) => log.push(`${what} ${path.basename(target)}`));
  try {
    const result = await runTasks(roots, { events: stream, config: durableConfig(), workers });
    return { result, log };
  } finally {
    observeDurableSyncs(undefined);
  }
}

/** Writes synchronously, then reads its own output back before the run has committed it. */
class SyncWriter extends Task.with({ name: param.string() }) {
  seen: { exists: boolean; atFinalPath: boolean; text: string } | undefined;
  output() {
    return new LocalTarget(`out/${this.name}.txt`);
  }
  run() {
    const out = this.output();
    out.writeTextSync(`${this.name}\n`);
    this.seen = { exists: out.exists(), atFinalPath: existsSync(out.path), text: out.readText() };
  }
}

test('durable sync write: fsync of the data, then the rename, then the directory sync, then task-done', async (t) => {
  const root = freshRoot(t);
  const task = new SyncWriter({ name: 'a' });
  const { result, log } = await runLogged(task);
  assert.equal(result.outcome, 'success');
  assert.equal(new LocalTarget('out/a.txt').readText(), 'a\n');
  // Inside run() the output is readable through its target, but not yet under its final name.
  assert.deepEqual(task.seen, { exists: true, atFinalPath: false, text: 'a\n' });
  const fileSync = log.findIndex((l) => /^file \.a\.txt\..*\.plumb-tmp$/.test(l));
  const dirSync = log.indexOf('dir out');
  const done = log.indexOf('done SyncWriter(name=a)');
  assert.ok(fileSync >= 0 && dirSync > fileSync && done > dirSync, log.join('\n'));
  assert.deepEqual(readdirSync(path.join(root, 'out')), ['a.txt'], 'no temp file left');
});

/** Writes its output synchronously, then fails. */
class WritesThenFails extends Task {
  output() {
    return new LocalTarget('out/failed.txt');
  }
  async run() {
    this.output().writeTextSync('looks complete\n');
    await new Promise((r) => setTimeout(r, 20)); // its fsync finishes meanwhile
    throw new Error('failed after writing');
  }
}

test('durable: a task that fails after writing leaves no committed output and no temp file', async (t) => {
  const root = freshRoot(t);
  const { result, log } = await runLogged(new WritesThenFails());
  assert.equal(result.outcome, 'failed');
  assert.equal(existsSync(path.join(root, 'out/failed.txt')), false);
  assert.deepEqual(readdirSync(path.join(root, 'out')), []);
  assert.ok(!log.includes('dir out'), 'nothing was renamed, so no directory sync');
  const again = await runLogged(new WritesThenFails());
  assert.equal(again.result.outcome, 'failed', 'a later run does not take it for complete');
});

/** Writes through the async API: the file is in place when the promise resolves. */
class AsyncWriter extends Task {
  inPlace = false;
  output() {
    return new LocalTarget('out/async.txt');
  }
  async run() {
    await this.output().writeText('async\n');
    this.inPlace = existsSync(this.output().path);
  }
}

test('durable async write: in place once awaited, its directory synced before task-done', async (t) => {
  freshRoot(t);
  const task = new AsyncWriter();
  const { result, log } = await runLogged(task);
  assert.equal(result.outcome, 'success');
  assert.equal(task.inPlace, true);
  const fileSync = log.findIndex((l) => l.startsWith('file .async.txt.'));
  const dirSync = log.indexOf('dir out');
  assert.ok(
    fileSync >= 0 && dirSync > fileSync && log.indexOf('done AsyncWriter()') > dirSync,
    log.join('\n'),
  );
});

class Many extends WrapperTask.with({ n: param.int() }) {
  requires() {
    return Array.from({ length: this.n }, (_, i) => new SyncWriter({ name: `m${i}` }));
  }
}

test('durable: attempts commit concurrently and share directory syncs', async (t) => {
  const root = freshRoot(t);
  const { result, log } = await runLogged(new Many({ n: 40 }), 40);
  assert.equal(result.outcome, 'success');
  assert.equal(readdirSync(path.join(root, 'out')).length, 40);
  assert.equal(log.filter((l) => l.startsWith('file ')).length, 40);
  const dirSyncs = log.filter((l) => l === 'dir out').length;
  assert.ok(dirSyncs >= 1 && dirSyncs < 40, `${dirSyncs} directory syncs for 40 renames`);
  // Every task-done comes after a directory sync that followed its rename: at least after the first.
  const firstDone = log.findIndex((l) => l.startsWith('done SyncWriter'));
  assert.ok(log.indexOf('dir out') < firstDone, log.join('\n'));
});

/** Writes its output synchronously and logs when its run() began. */
class Logged extends Task.with({ name: param.string() }) {
  output() {
    return new LocalTarget(`out/${this.name}.txt`);
  }
  run() {
    activeLog.push(`run ${this.name}`);
    this.output().writeTextSync(`${this.name}\n`);
  }
}

/** Requires Logged(a): may start only once a.txt is committed. */
class AfterA extends Task {
  requires() {
    return new Logged({ name: 'a' });
  }
  output() {
    return new LocalTarget('out/c.txt');
  }
  run() {
    activeLog.push('run c');
    this.output().writeTextSync('c\n');
  }
}

test('durable --workers 1: the next task runs while the last one commits; dependents wait for the commit', async (t) => {
  const root = freshRoot(t);
  const { result, log } = await runLogged([new AfterA(), new Logged({ name: 'b' })], 1);
  assert.equal(result.outcome, 'success');
  assert.deepEqual(readdirSync(path.join(root, 'out')).sort(), ['a.txt', 'b.txt', 'c.txt']);
  const at = (line: string) => {
    const i = log.indexOf(line);
    assert.ok(i >= 0, `${line} in\n${log.join('\n')}`);
    return i;
  };
  // The second of a and b needs the slot only for its run(): the first's fsyncs are no reason to wait.
  const firstDone = log.findIndex((l) => l.startsWith('done '));
  assert.ok(at('run a') < firstDone && at('run b') < firstDone, log.join('\n'));
  // c reads a's output: it starts only once a counts, after a's directory sync.
  assert.ok(at('done Logged(name=a)') < at('run c'), log.join('\n'));
  assert.ok(log.indexOf('dir out') < at('done Logged(name=a)'), log.join('\n'));
});

/** Fills a directory output and commits it synchronously, then looks at it; `fail` throws after. */
class DirWriter extends Task.with({ fail: param.bool() }) {
  seen: { exists: boolean; atFinalPath: boolean } | undefined;
  output() {
    return new LocalTarget('out/parts');
  }
  run() {
    const writer = this.output().openDirectoryWriter();
    writeFileSync(path.join(writer.path, 'part-0.txt'), '0\n');
    mkdirSync(path.join(writer.path, 'sub'));
    writeFileSync(path.join(writer.path, 'sub', 'part-1.txt'), '1\n');
    writer.commit();
    this.seen = { exists: this.output().exists(), atFinalPath: existsSync(this.output().path) };
    if (this.fail) throw new Error('failed after committing its directory');
  }
}

test('durable directory commit in a task: the tree synced off the thread, then the rename, the parent sync, task-done', async (t) => {
  const root = freshRoot(t);
  const task = new DirWriter({ fail: false });
  const { result, log } = await runLogged(task);
  assert.equal(result.outcome, 'success');
  assert.equal(readFileSync(path.join(root, 'out/parts/sub/part-1.txt'), 'utf8'), '1\n');
  // commit() returned before anything was synced: the rename waits for the fsyncs and the task's end.
  assert.deepEqual(task.seen, { exists: true, atFinalPath: false });
  const at = (line: string) => {
    const i = log.indexOf(line);
    assert.ok(i >= 0, `${line} in\n${log.join('\n')}`);
    return i;
  };
  const tempDir = log.find((l) => /^dir \.parts\..*\.plumb-tmp$/.test(l)) ?? 'dir .parts…plumb-tmp';
  const treeSynced = Math.max(at('file part-0.txt'), at('file part-1.txt'), at('dir sub'), at(tempDir));
  assert.ok(treeSynced < at('dir out') && at('dir out') < at('done DirWriter(fail=false)'), log.join('\n'));
  assert.deepEqual(readdirSync(path.join(root, 'out')), ['parts'], 'no temp directory left');
});

test('durable directory commit in a task that then fails: no output, no temp directory', async (t) => {
  const root = freshRoot(t);
  const task = new DirWriter({ fail: true });
  const { result } = await runLogged(task);
  assert.equal(result.outcome, 'failed');
  assert.equal(task.seen?.exists, true);
  assert.deepEqual(readdirSync(path.join(root, 'out')), []);
});

/** Rewrites a directory that is already there (an older output), then its marker. */
class ReplacesDir extends Task {
  output() {
    return new LocalTarget('out/marker.txt');
  }
  run() {
    const writer = new LocalTarget('out/shared').openDirectoryWriter();
    writeFileSync(path.join(writer.path, 'new.txt'), 'new\n');
    writer.commit();
    this.output().writeTextSync('ok\n');
  }
}

test('durable directory commit in a task replaces an older directory whole, at the end of the attempt', async (t) => {
  const root = freshRoot(t);
  mkdirSync(path.join(root, 'out/shared'), { recursive: true });
  writeFileSync(path.join(root, 'out/shared/old.txt'), 'old\n');
  const { result } = await runLogged(new ReplacesDir());
  assert.equal(result.outcome, 'success');
  assert.deepEqual(readdirSync(path.join(root, 'out/shared')), ['new.txt']);
  assert.deepEqual(
    readdirSync(path.join(root, 'out')).sort(),
    ['marker.txt', 'shared'],
    'nothing left aside',
  );
});
