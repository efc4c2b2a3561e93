// The run contract on in-process runs (runTasks): outcomes and exit codes, the end-of-run re-check
// of every root, scheduling errors apart from failures, complete causes, attempts, missing paths,
// several roots, and cancellation at any moment. Real files in a temporary project root.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { emptyConfig } from '../../runtime/src/config';
import { EventStream } from '../../runtime/src/event-stream';
import { EXIT_CODES, type RunEvent } from '../../runtime/src/events';
import { LocalTarget } from '../../runtime/src/local-target';
import { param } from '../../runtime/src/parameter';
import { runTasks, type RunOptions } from '../../runtime/src/run';
import { ExternalTask, Task, WrapperTask } from '../../runtime/src/task';
import { freshRoot } from './support/workdir';

async function run(roots: Task | Task[], options: RunOptions = {}) {
  const stream = new EventStream('test');
  const events: RunEvent[] = [];
  stream.onEvent((e) => events.push(e));
  const result = await runTasks(roots, { events: stream, ...options });
  const ran = events.flatMap((e) => (e.type === 'task-running' ? [e.taskId] : []));
  return { result, events, ran };
}

test('the exit codes of the contract', () => {
  assert.deepEqual(EXIT_CODES, {
    success: 0,
    failed: 1,
    error: 2,
    'missing-external': 3,
    locked: 4,
    'pipeline-error': 5,
    incomplete: 6,
    crashed: 70,
    cancelled: 130,
  });
});

class Written extends Task.with({ name: param.string() }) {
  output() {
    return new LocalTarget(`${this.name}.txt`);
  }
  run() {
    this.output().writeTextSync(this.name);
  }
}
/** Runs after `victim` and deletes its output: the run believes the victim done. */
class Vandal extends Task.with({ victim: param.string() }) {
  requires() {
    return new Written({ name: this.victim });
  }
  output() {
    return new LocalTarget(`vandal_${this.victim}.txt`);
  }
  run() {
    rmSync(this.input().path);
    this.output().writeTextSync('gone');
  }
}

test('exit 0 only if every root is complete at the end: a root whose output vanished is incomplete (6)', async (t) => {
  freshRoot(t);
  const { result } = await run([new Written({ name: 'root' }), new Vandal({ victim: 'root' })], {
    workers: 1,
  });
  assert.equal(result.outcome, 'incomplete');
  assert.equal(result.exitCode, 6);
  assert.deepEqual(result.summary.incompleteRoots, ['Written(name=root)']);
  assert.deepEqual(result.summary.failed, []);
});

class Independent extends Task {
  output() {
    return new LocalTarget('independent.txt');
  }
  run() {
    this.output().writeTextSync('ran');
  }
}
class RequiresThrows extends Task {
  requires(): Task {
    throw new Error('requires() is broken');
  }
  output() {
    return new LocalTarget('requires_throws.txt');
  }
}
class CompleteThrows extends Task {
  override complete(): boolean {
    throw new Error('complete() is broken');
  }
}
class NotATask extends Task {
  requires() {
    return { plain: { run: () => undefined } as unknown as Task };
  }
  output() {
    return new LocalTarget('not_a_task.txt');
  }
}
class Strict extends Task.with({ n: param.int() }) {}
class ConstructorThrows extends Task {
  requires() {
    return new Strict({ n: 'seven' as unknown as number });
  }
  output() {
    return new LocalTarget('constructor_throws.txt');
  }
}
class DependsOn extends Task.with({ on: param.string() }) {
  requires(): Task {
    const broken: Record<string, () => Task> = {
      requires: () => new RequiresThrows(),
      complete: () => new CompleteThrows(),
      'not-a-task': () => new NotATask(),
      constructor: () => new ConstructorThrows(),
    };
    return broken[this.on]!();
  }
  output() {
    return new LocalTarget(`depends_on_${this.on}.txt`);
  }
  run() {
    this.output().writeTextSync('must not run');
  }
}

test('a broken pipeline is not a failed task: a scheduling error (exit 5), dependents blocked, other branches run', async (t) => {
  const cases: [string, string, RegExp][] = [
    ['requires', 'RequiresThrows()', /requires\(\) is broken/],
    ['complete', 'CompleteThrows()', /complete\(\) is broken/],
    [
      'not-a-task',
      'NotATask()',
      /NotATask\(\): requires\(\) returned something that is not a task: a plain object with a run\(\) method/,
    ],
    ['constructor', 'ConstructorThrows()', /Strict: parameter 'n'/],
  ];
  for (const [on, broken, message] of cases) {
    const root = freshRoot(t);
    const dependent = `DependsOn(on=${on})`;
    const { result, events, ran } = await run([new DependsOn({ on }), new Independent()]);
    assert.equal(result.outcome, 'pipeline-error', on);
    assert.equal(result.exitCode, 5);
    assert.deepEqual(result.summary.schedulingErrors, [broken]);
    assert.match(result.summary.errors[broken]!, message);
    assert.deepEqual(result.summary.failed, []);
    assert.deepEqual(result.summary.blocked, [dependent]);
    assert.deepEqual(result.summary.causes[dependent], [broken]);
    assert.deepEqual(ran, ['Independent()'], 'keep-going: the independent branch still ran');
    assert.ok(existsSync(path.join(root, 'independent.txt')));
    const failed = events.find((e) => e.type === 'task-failed');
    assert.ok(failed?.type === 'task-failed' && failed.schedulingError === true && failed.attempt === 0);
  }
});

class Fails extends Task.with({ n: param.int() }) {
  static retries = 2;
  static retryDelayMs = 1;
  output() {
    return new LocalTarget(`fails_${this.n}.txt`);
  }
  run() {
    throw new Error(`fails ${this.n}`);
  }
}
class Nowhere extends ExternalTask.with({ name: param.string() }) {
  output() {
    return new LocalTarget(`data/${this.name}.csv`);
  }
}
/** Blocked twice over: by two failures under one branch and by missing data under another. */
class Middle extends Task {
  requires() {
    return [new Fails({ n: 1 }), new Fails({ n: 2 })];
  }
  output() {
    return new LocalTarget('middle.txt');
  }
}
class ManyCauses extends Task {
  requires() {
    return [
      new Middle(),
      new Nowhere({ name: 'a' }),
      ...Array.from({ length: 25 }, (_, i) => new Fails({ n: 10 + i })),
    ];
  }
  output() {
    return new LocalTarget('many.txt');
  }
}
class OnlyMissing extends Task {
  requires() {
    return new Nowhere({ name: 'b' });
  }
  output() {
    return new LocalTarget('only_missing.txt');
  }
}

test('summary categories apart, every root cause of a blocked task, attempts, missing paths resolved', async (t) => {
  const root = freshRoot(t);
  const { result } = await run([new ManyCauses(), new OnlyMissing(), new Written({ name: 'fine' })], {
    workers: 1,
  });
  const s = result.summary;
  assert.equal(result.outcome, 'failed');
  assert.equal(s.failed.length, 27);
  // In the order they ended: ManyCauses was blocked up front, by the missing data.
  assert.deepEqual(s.blocked, ['ManyCauses()', 'Middle()']);
  assert.deepEqual(s.blockedByMissingExternal, ['OnlyMissing()']);
  assert.deepEqual(s.missingExternal, ['Nowhere(name=a)', 'Nowhere(name=b)']);
  assert.deepEqual(s.causes['Middle()'], ['Fails(n=1)', 'Fails(n=2)']);
  // Through Middle (already blocked) and past the old cap of 20: all 28 root causes, each once.
  assert.deepEqual(
    [...s.causes['ManyCauses()']!].sort(),
    ['Nowhere(name=a)', ...Array.from({ length: 27 }, (_, i) => `Fails(n=${i < 2 ? i + 1 : i + 8})`)].sort(),
  );
  assert.deepEqual(s.causes['OnlyMissing()'], ['Nowhere(name=b)']);
  assert.deepEqual(s.notRun, []);
  assert.deepEqual(s.cancelled, []);
  assert.equal(s.attempts['Fails(n=1)'], 3);
  assert.equal(s.attempts['Written(name=fine)'], 1);
  assert.deepEqual(s.missingPaths['Nowhere(name=a)'], [path.join(root, 'data/a.csv')]);
  assert.equal(s.projectRoot, root);
});

class Producer extends Task {
  output() {
    return new LocalTarget('produced.txt');
  }
  run() {
    this.output().writeTextSync('produced');
  }
}
class Eraser extends Task {
  requires() {
    return new Producer();
  }
  output() {
    return new LocalTarget('erased.txt');
  }
  run() {
    rmSync(this.input().path);
    this.output().writeTextSync('erased');
  }
}
class Consumer extends Task {
  requires() {
    return { data: new Producer(), eraser: new Eraser() };
  }
  output() {
    return new LocalTarget('consumed.txt');
  }
  run() {
    this.output().writeTextSync(`read ${this.input().data.readText()}`);
  }
}

test('a requirement whose output vanished before its dependent starts runs again (done or already complete)', async (t) => {
  for (const alreadyThere of [false, true]) {
    const root = freshRoot(t);
    if (alreadyThere) new Producer().output().writeTextSync('produced');
    const { result, ran, events } = await run(new Consumer(), { workers: 1 });
    assert.equal(result.outcome, 'success', JSON.stringify(result.summary));
    assert.equal(readFileSync(path.join(root, 'consumed.txt'), 'utf8'), 'read produced');
    assert.deepEqual(ran, [...(alreadyThere ? [] : ['Producer()']), 'Eraser()', 'Producer()', 'Consumer()']);
    assert.ok(
      events.some(
        (e) =>
          e.type === 'task-log' &&
          e.taskId === 'Producer()' &&
          /vanished before Consumer\(\) started/.test(e.line),
      ),
    );
  }
});

// Namespaces on purpose: the case of two classes with one name in one file.
// eslint-disable-next-line @typescript-eslint/no-namespace
namespace first {
  export class Same extends Task {
    output() {
      return new LocalTarget('same_first.txt');
    }
    run() {
      this.output().writeTextSync('first');
    }
  }
}
// eslint-disable-next-line @typescript-eslint/no-namespace
namespace second {
  export class Same extends Task {
    output() {
      return new LocalTarget('same_second.txt');
    }
    run() {
      this.output().writeTextSync('second');
    }
  }
}
class BothSames extends WrapperTask {
  requires() {
    return [new first.Same(), new second.Same()];
  }
}
class Tagged extends Task.with({ n: param.int(), tag: param.string({ significant: false }) }) {
  output() {
    return new LocalTarget(`tagged_${this.n}_${this.tag}.txt`);
  }
  run() {
    this.output().writeTextSync('');
  }
}
class TwoTags extends WrapperTask {
  requires() {
    return [new Tagged({ n: 1, tag: 'a' }), new Tagged({ n: 1, tag: 'b' }), new Tagged({ n: 2, tag: 'c' })];
  }
}
class Claims extends Task.with({ who: param.string() }) {
  output() {
    return new LocalTarget('shared.txt');
  }
  run() {
    this.output().writeTextSync(this.who);
  }
}
class TwoClaims extends WrapperTask {
  requires() {
    return [new Claims({ who: 'x' }), new Claims({ who: 'y' })];
  }
}

test('one id, one task, one output: conflicts are a pipeline error before anything runs, naming both', async (t) => {
  const root = freshRoot(t);
  const classes = await run(new BothSames());
  assert.equal(classes.result.outcome, 'pipeline-error');
  assert.deepEqual(classes.ran, []);
  assert.match(
    classes.result.message ?? '',
    /two different classes are both named Same and share the task id Same\(\)/,
  );

  const tags = await run(new TwoTags());
  assert.equal(tags.result.outcome, 'pipeline-error');
  assert.deepEqual(tags.ran, []);
  assert.match(
    tags.result.message ?? '',
    /two instances of Tagged\(n=1\) differ only in insignificant parameters/,
  );
  assert.ok(tags.result.message?.includes(path.join(root, 'tagged_1_a.txt')));
  assert.ok(tags.result.message?.includes(path.join(root, 'tagged_1_b.txt')));

  const claims = await run(new TwoClaims());
  assert.equal(claims.result.outcome, 'pipeline-error');
  assert.deepEqual(claims.ran, []);
  assert.equal(
    claims.result.message,
    `Claims(who=x) and Claims(who=y) both declare the output ${path.join(root, 'shared.txt')}: one would overwrite the other, and either one's output makes the other look complete`,
  );
  assert.deepEqual(claims.result.summary.schedulingErrors, ['Claims(who=y)']);
  assert.ok(!existsSync(path.join(root, 'shared.txt')));
});

class Escaped extends Task {
  requires() {
    return Object.create(Producer.prototype) as Producer;
  }
  output() {
    return new LocalTarget('escaped.txt');
  }
}

test('objects that escaped Task’s constructor are refused, not run as undefined', async (t) => {
  freshRoot(t);
  const required = await run(new Escaped());
  assert.equal(required.result.outcome, 'pipeline-error');
  assert.match(
    required.result.summary.errors['Escaped()'] ?? '',
    /requires\(\) returned an object of class Producer that was not built by its constructor \(no task id\)/,
  );
  assert.ok(!required.ran.includes(undefined as unknown as string));
  const asRoot = await run(Object.create(Producer.prototype) as Producer);
  assert.equal(asRoot.result.outcome, 'pipeline-error');
  assert.match(
    asRoot.result.message ?? '',
    /the root is an object of class Producer that was not built by its constructor/,
  );
  assert.deepEqual(asRoot.ran, []);
});

test('several roots: run-started lists them all (root = the first), the summary and outcome cover every one', async (t) => {
  freshRoot(t);
  const { result, events } = await run([
    new Written({ name: 'one' }),
    new Fails({ n: 0 }),
    new Written({ name: 'two' }),
  ]);
  const started = events[0]!;
  assert.ok(started.type === 'run-started');
  assert.equal(started.root, 'Written(name=one)');
  assert.deepEqual(started.roots, ['Written(name=one)', 'Fails(n=0)', 'Written(name=two)']);
  assert.equal(result.outcome, 'failed');
  assert.deepEqual(result.summary.ran, ['Written(name=one)', 'Written(name=two)']);
  assert.deepEqual(result.summary.incompleteRoots, ['Fails(n=0)']);
  const ok = await run([new Written({ name: 'one' }), new Written({ name: 'three' })]);
  assert.equal(ok.result.outcome, 'success');
});

class SlowCheck extends Task.with({ n: param.int() }) {
  requires() {
    return this.n > 0 ? new SlowCheck({ n: this.n - 1 }) : [];
  }
  override async complete() {
    await sleep(20);
    return false;
  }
  run() {
    /* never reached */
  }
}

test('cancel at any moment, including during discovery and completeness checks: cancelled (130) with a summary', async (t) => {
  freshRoot(t);
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 50);
  const during = await run(new SlowCheck({ n: 50 }), { signal: controller.signal });
  assert.equal(during.result.outcome, 'cancelled');
  assert.equal(during.result.exitCode, 130);
  assert.ok(during.result.summary.cancelled.length > 0);
  assert.deepEqual(during.ran, []);
  const last = during.events.at(-1)!;
  assert.ok(last.type === 'run-finished' && last.outcome === 'cancelled');

  const before = await run(new Written({ name: 'never' }), { signal: AbortSignal.abort() });
  assert.equal(before.result.outcome, 'cancelled');
  assert.deepEqual(before.ran, []);
});

test('a dynamic requirement that is not a task is a scheduling error of the task that asked for it', async (t) => {
  freshRoot(t);
  class YieldsJunk extends Task {
    output() {
      return new LocalTarget('junk.txt');
    }
    *run() {
      yield { not: 'a task' } as unknown as Task;
    }
  }
  const { result } = await run(new YieldsJunk(), { config: emptyConfig() });
  assert.equal(result.outcome, 'pipeline-error');
  assert.match(result.summary.errors['YieldsJunk()'] ?? '', /run\(\) asked for something that is not a task/);
});

test('an error no task can be blamed for is the runner crashing: outcome crashed, exit 70, still a summary', async (t) => {
  freshRoot(t);
  const { result, events } = await run(new Written({ name: 'x' }), {
    sourceOf: () => {
      throw new Error('the runner broke');
    },
  });
  assert.equal(result.outcome, 'crashed');
  assert.equal(result.exitCode, 70);
  assert.match(result.message ?? '', /the runner broke/);
  assert.equal(events.at(-1)?.type, 'run-finished');
});

let tries = 0;
class FlakyConsumer extends Task {
  static retries = 2;
  static retryDelayMs = 1;
  requires() {
    return new Producer();
  }
  output() {
    return new LocalTarget('flaky_consumer.txt');
  }
  run() {
    if (++tries === 1) throw new Error('first try fails');
    this.output().writeTextSync(this.input().readText());
  }
}

test('a retry of a task with requirements starts again (its requirements re-checked too)', async (t) => {
  freshRoot(t);
  tries = 0;
  const { result, ran } = await run(new FlakyConsumer());
  assert.equal(result.outcome, 'success');
  assert.deepEqual(ran, ['Producer()', 'FlakyConsumer()', 'FlakyConsumer()']);
  assert.deepEqual(result.summary.attempts, { 'Producer()': 1, 'FlakyConsumer()': 2 });
});

class Bundle extends WrapperTask {
  requires() {
    return [new Producer(), new Eraser()];
  }
}

test('a wrapper whose requirement vanished while it waited runs that requirement again, then completes', async (t) => {
  freshRoot(t);
  const { result, ran } = await run(new Bundle(), { workers: 1 });
  assert.equal(result.outcome, 'success', JSON.stringify(result.summary));
  assert.deepEqual(ran, ['Producer()', 'Eraser()', 'Bundle()', 'Producer()', 'Bundle()']);
});

class First extends Task {
  output() {
    return new LocalTarget('first.txt');
  }
  run() {
    this.output().writeTextSync('first');
  }
}
let secondRuns = 0;
/** On its second run (after its output vanished) it deletes First's output again. */
class Second extends Task {
  output() {
    return new LocalTarget('second.txt');
  }
  run() {
    if (secondRuns++ > 0) rmSync(new First().output().path);
    this.output().writeTextSync('second');
  }
}
class EraseBoth extends Task {
  requires() {
    return [new First(), new Second()];
  }
  output() {
    return new LocalTarget('erase_both.txt');
  }
  run() {
    for (const t of this.input()) rmSync(t.path);
    this.output().writeTextSync('');
  }
}
class NeedsBoth extends Task {
  requires() {
    return [new First(), new Second(), new EraseBoth()];
  }
  output() {
    return new LocalTarget('needs_both.txt');
  }
  run() {
    this.output().writeTextSync('must not run');
  }
}

test('a requirement that vanishes again after running again fails its dependent, naming it and the path', async (t) => {
  const root = freshRoot(t);
  secondRuns = 0;
  const { result, ran, events } = await run(new NeedsBoth(), { workers: 1 });
  assert.equal(result.outcome, 'failed');
  assert.deepEqual(result.summary.failed, ['NeedsBoth()']);
  assert.deepEqual(ran, ['First()', 'Second()', 'EraseBoth()', 'First()', 'Second()']);
  const failed = events.find((e) => e.type === 'task-failed');
  assert.ok(failed?.type === 'task-failed');
  assert.equal(
    failed.error.message,
    `NeedsBoth() cannot start: its requirement First() (missing: ${path.join(root, 'first.txt')}) is no longer complete, though it already ran again in this run`,
  );
});
