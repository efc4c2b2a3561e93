// completeOf (graph.ts): a task keeping Task's own complete() with local-file outputs has output()
// asked once per run (discovery's targets serve the check after run() and before dependents);
// other targets, and other runs, ask again.
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { test } from 'node:test';
import { EventStream } from '../../runtime/src/event-stream';
import { LocalTarget } from '../../runtime/src/local-target';
import { param } from '../../runtime/src/parameter';
import { runTasks } from '../../runtime/src/run';
import { type Target } from '../../runtime/src/target';
import { Task, WrapperTask } from '../../runtime/src/task';
import { freshRoot } from './support/workdir';

const calls = new Map<string, number>();
const count = (id: string) => calls.set(id, (calls.get(id) ?? 0) + 1);

class Counted extends Task.with({ name: param.string() }) {
  output() {
    count(this.taskId);
    return new LocalTarget(`${this.name}.txt`);
  }
  run() {
    this.output().writeTextSync('x');
  }
}

class Downstream extends Task {
  requires() {
    return new Counted({ name: 'up' });
  }
  output() {
    return new LocalTarget('down.txt');
  }
  run() {
    this.output().writeTextSync(this.input().readText());
  }
}

const run = (root: Task) => runTasks(root, { events: new EventStream('test'), workers: 1 });

test('a local-file task has output() asked once by the run (plus its own run()), not per check', async (t) => {
  const dir = freshRoot(t);
  calls.clear();
  const result = await run(new Downstream());
  assert.equal(result.outcome, 'success');
  // Discovery once, run() once, input() of Downstream once: checks after run() and before
  // Downstream started reuse discovery's target (they asked output() again before: 5 calls).
  assert.equal(calls.get('Counted(name=up)'), 3);
  // A vanished output is still seen: the targets ask the disk on every check.
  rmSync(`${dir}/up.txt`);
  const again = await run(new Downstream());
  assert.equal(again.outcome, 'success', 'Downstream is complete; its requirement is not asked for');
  calls.clear();
  const fresh = await run(new Counted({ name: 'up' }));
  assert.equal(fresh.outcome, 'success');
  assert.equal(calls.get('Counted(name=up)'), 2, 'a new run asks output() again, then run() once');
});

/** A target that remembers its first answer: made afresh for each check, as before. */
class StickyTarget implements Target {
  private known: boolean | undefined;
  constructor(private readonly inner: LocalTarget) {}
  get path() {
    return this.inner.path;
  }
  exists(): boolean {
    return (this.known ??= this.inner.exists());
  }
  toString() {
    return this.inner.path;
  }
}

class Sticky extends Task {
  output() {
    return new StickyTarget(new LocalTarget('sticky.txt'));
  }
  run() {
    new LocalTarget('sticky.txt').writeTextSync('x');
  }
}

test('targets other than local files are made afresh for each check', async (t) => {
  freshRoot(t);
  const result = await run(new Sticky());
  assert.equal(result.outcome, 'success', 'the check after run() did not reuse the target that said false');
});

class Leaves extends WrapperTask {
  requires() {
    return ['a', 'b', 'c'].map((name) => new Counted({ name }));
  }
}

test("a wrapper's check after its turn asks the graph's nodes, not output() of new requirements", async (t) => {
  freshRoot(t);
  calls.clear();
  const result = await run(new Leaves());
  assert.equal(result.outcome, 'success');
  // Discovery (the wrapper's own check stops at 'a', the first missing one; then each leaf's),
  // then run(): the wrapper's check after its turn built every leaf and asked output() again.
  assert.deepEqual(
    ['a', 'b', 'c'].map((name) => calls.get(`Counted(name=${name})`)),
    [3, 2, 2],
  );
});

/** Removes Counted(name=a)'s output: the wrapper above both must not count as complete. */
class Vandal extends Task {
  requires() {
    return new Counted({ name: 'a' });
  }
  output() {
    return new LocalTarget('vandal.txt');
  }
  run() {
    this.output().writeTextSync('x');
    rmSync(new LocalTarget('a.txt').path);
  }
}

class Both extends WrapperTask {
  requires() {
    return [new Counted({ name: 'a' }), new Vandal()];
  }
}

test("a wrapper's check still asks the disk: an output removed after its task was done is seen", async (t) => {
  const dir = freshRoot(t);
  const events = new EventStream('test');
  const started: string[] = [];
  events.onEvent((e) => {
    if (e.type === 'task-running') started.push(e.taskId);
  });
  const result = await runTasks(new Both(), { events, workers: 1 });
  assert.equal(result.outcome, 'success');
  // The wrapper's check found a.txt gone and ran its task again before counting itself done.
  assert.equal(started.filter((id) => id === 'Counted(name=a)').length, 2);
  assert.ok(existsSync(`${dir}/a.txt`));
});
