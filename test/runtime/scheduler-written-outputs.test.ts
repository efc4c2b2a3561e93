// The check after run() (scheduler.ts verify): outputs the attempt's own code renamed into place
// count without asking the disk again; one written and then removed is still caught before a
// dependent starts and at the end of the run.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import { EventStream } from '../../runtime/src/event-stream';
import { LocalTarget } from '../../runtime/src/local-target';
import { param } from '../../runtime/src/parameter';
import { runTasks } from '../../runtime/src/run';
import { Task, WrapperTask } from '../../runtime/src/task';
import { freshRoot } from './support/workdir';

/** Counts every time the disk is asked whether a file exists, per path. */
const asked = new Map<string, number>();
class CountedTarget extends LocalTarget {
  override exists(): boolean {
    asked.set(this.path, (asked.get(this.path) ?? 0) + 1);
    return super.exists();
  }
}

class Writes extends Task.with({ name: param.string(), how: param.string({ default: 'sync' }) }) {
  output() {
    return new CountedTarget(`${this.name}.txt`);
  }
  async run() {
    if (this.how === 'sync') this.output().writeTextSync('x');
    else if (this.how === 'async') await this.output().writeText('x');
    else if (this.how === 'stream') await this.output().write((w) => w.write('x'));
    else if (this.how === 'removed') {
      this.output().writeTextSync('x');
      rmSync(this.output().path);
    }
    // 'none': writes nothing
  }
}

class Two extends Task {
  output() {
    return [new CountedTarget('a.txt'), new CountedTarget('b.txt')];
  }
  run() {
    const [a, b] = this.output();
    a!.writeTextSync('a');
    b!.writeTextSync('b');
  }
}

/** The writers as requirements, not roots: the roots' check at the end does not ask for them. */
class All extends WrapperTask {
  requires() {
    return [
      new Writes({ name: 'sync', how: 'sync' }),
      new Writes({ name: 'async', how: 'async' }),
      new Writes({ name: 'stream', how: 'stream' }),
      new Two(),
    ];
  }
}

class After extends Task.with({ how: param.string() }) {
  requires() {
    return new Writes({ name: 'up', how: this.how });
  }
  output() {
    return new LocalTarget('after.txt');
  }
  run() {
    this.output().writeTextSync(this.input().readText());
  }
}

/** Messages of the task-failed events, per task. */
const failures = new Map<string, string>();
const started: string[] = [];
const run = (root: Task) => {
  const events = new EventStream('test');
  events.onEvent((e) => {
    if (e.type === 'task-failed') failures.set(e.taskId, e.error.message);
    if (e.type === 'task-running') started.push(e.taskId);
  });
  return runTasks(root, { events, workers: 1 });
};

test('outputs a run() committed itself are not asked for again after it (sync, async, streamed writes; several outputs)', async (t) => {
  const dir = freshRoot(t);
  asked.clear();
  assert.equal((await run(new All())).outcome, 'success');
  // Discovery asked once, the wrapper's check once; the check after each run() read the attempt's
  // own commits (it asked the disk too before: 3). Discovery stops at a task's first missing output.
  // (The wrapper's own check at discovery stopped at its first requirement, sync.txt: one more.)
  const counts = ['sync', 'async', 'stream', 'a', 'b'].map((name) => asked.get(`${dir}/${name}.txt`));
  assert.deepEqual(counts, [3, 2, 2, 2, 1]);
});

test('a run() that wrote nothing, or removed what it wrote, still fails its check or the roots’ check', async (t) => {
  freshRoot(t);
  const none = await run(new Writes({ name: 'none', how: 'none' }));
  assert.equal(none.outcome, 'failed');
  assert.match(failures.get(none.summary.failed[0]!) ?? '', /not complete/);
  // Written, then removed by the task itself: the roots' check at the end says incomplete.
  const removed = await run(new Writes({ name: 'removed', how: 'removed' }));
  assert.notEqual(removed.exitCode, 0);
  assert.deepEqual(removed.summary.incompleteRoots, [new Writes({ name: 'removed', how: 'removed' }).taskId]);
});

test('a requirement that removed what it wrote is asked again before its dependent starts', async (t) => {
  freshRoot(t);
  started.length = 0;
  const result = await run(new After({ how: 'removed' }));
  // It runs again once (and removes its output again): After never starts on a missing input.
  assert.equal(result.outcome, 'failed');
  assert.match(failures.get('After(how=removed)') ?? '', /no longer complete/);
  const up = new Writes({ name: 'up', how: 'removed' }).taskId;
  assert.deepEqual(started, [up, up]);
});
