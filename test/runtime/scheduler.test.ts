// Scheduling semantics on in-process runs: diamonds, cycles, retries, keep-going, dynamic
// requirements, unit mode, workers, log attribution. Real files in a temporary project root.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { emptyConfig } from '../../runtime/src/config';
import { EventStream } from '../../runtime/src/event-stream';
import { type RunEvent } from '../../runtime/src/events';
import { LocalTarget } from '../../runtime/src/local-target';
import { param } from '../../runtime/src/parameter';
import { runTasks, type RunOptions } from '../../runtime/src/run';
import { ExternalTask, Task, WrapperTask } from '../../runtime/src/task';
import { freshRoot } from './support/workdir';

function recorder(): { events: RunEvent[]; stream: EventStream } {
  const stream = new EventStream('test');
  const events: RunEvent[] = [];
  stream.onEvent((e) => events.push(e));
  return { events, stream };
}

async function run(root: Task, options: RunOptions = {}) {
  const { events, stream } = recorder();
  const result = await runTasks(root, { events: stream, ...options });
  const ran = events.flatMap((e) => (e.type === 'task-running' ? [e.taskId] : []));
  return { result, events, ran };
}

const runs: string[] = [];

class Base extends Task {
  output() {
    return new LocalTarget('base.txt');
  }
  run() {
    runs.push(this.taskId);
    this.output().writeTextSync('base');
  }
}
class Side extends Task.with({ side: param.enum(['left', 'right'] as const) }) {
  requires() {
    return new Base();
  }
  output() {
    return new LocalTarget(`${this.side}.txt`);
  }
  async run() {
    runs.push(this.taskId);
    await this.output().writeText(`${this.input().readText()}+${this.side}`);
  }
}
class Top extends Task {
  requires() {
    return { left: new Side({ side: 'left' }), right: new Side({ side: 'right' }) };
  }
  output() {
    return new LocalTarget('top.txt');
  }
  async run() {
    const { left, right } = this.input();
    await this.output().writeText(`${left.readText()}|${right.readText()}`);
  }
}

test('a diamond runs its shared requirement once, and input() mirrors the shape of requires()', async (t) => {
  const root = freshRoot(t);
  runs.length = 0;
  const { result, ran } = await run(new Top(), { workers: 3 });
  assert.equal(result.outcome, 'success');
  assert.deepEqual(
    runs.filter((r) => r === 'Base()'),
    ['Base()'],
  );
  assert.equal(ran.length, 4);
  assert.equal(readFileSync(path.join(root, 'top.txt'), 'utf8'), 'base+left|base+right');
});

class Twin extends Task.with({ i: param.int() }) {
  output() {
    return new LocalTarget(`twin_${this.i}.txt`);
  }
  run() {
    this.output().writeTextSync('');
  }
}
class Repeats extends Task.with({ width: param.int() }) {
  requires() {
    // Every requirement listed twice, as two instances with the same id.
    const list: Twin[] = [];
    for (let i = 0; i < this.width; i++) list.push(new Twin({ i }), new Twin({ i }));
    return list;
  }
  output() {
    return new LocalTarget(`repeats_${this.width}.txt`);
  }
  run() {
    this.output().writeTextSync('');
  }
}

test('a requirement listed twice is one edge and one run, for few and for many requirements', async (t) => {
  for (const width of [3, 40]) {
    freshRoot(t);
    const { result, events, ran } = await run(new Repeats({ width }));
    assert.equal(result.outcome, 'success');
    const edges = events.flatMap((e) => (e.type === 'graph' ? e.edges : []));
    assert.equal(edges.length, width);
    assert.equal(new Set(edges.map((e) => e.to)).size, width);
    assert.equal(ran.length, width + 1);
  }
});

class CycleA extends Task {
  requires(): Task {
    return new CycleB();
  }
  output() {
    return new LocalTarget('a.txt');
  }
}
class CycleB extends Task {
  requires(): Task {
    return new CycleC();
  }
  output() {
    return new LocalTarget('b.txt');
  }
}
class CycleC extends Task {
  requires(): Task {
    return new CycleA();
  }
  output() {
    return new LocalTarget('c.txt');
  }
}

test('a cycle is a pipeline error (exit 5) naming the whole cycle, and nothing runs', async (t) => {
  freshRoot(t);
  const { result, ran } = await run(new CycleA());
  assert.equal(result.outcome, 'pipeline-error');
  assert.equal(result.exitCode, 5);
  assert.equal(result.message, 'dependency cycle: CycleA() → CycleB() → CycleC() → CycleA()');
  assert.deepEqual(result.summary.schedulingErrors, ['CycleA()', 'CycleB()', 'CycleC()']);
  assert.equal(result.summary.errors['CycleB()'], result.message);
  assert.deepEqual(ran, []);
});

let flakyCalls = 0;
class Flaky extends Task {
  static retries = 2;
  static retryDelayMs = 5;
  output() {
    return new LocalTarget('flaky.txt');
  }
  run() {
    if (++flakyCalls < 3) throw new Error(`flaky failure ${flakyCalls}`);
    this.output().writeTextSync('ok');
  }
}

test('retries with backoff until success; events say each failure and retry', async (t) => {
  freshRoot(t);
  flakyCalls = 0;
  const config = emptyConfig();
  config.run.retryBackoff = 3;
  const { result, events } = await run(new Flaky(), { config });
  assert.equal(result.outcome, 'success');
  assert.deepEqual(result.summary.succeededAfterRetry, ['Flaky()']);
  const trail = events.flatMap((e) =>
    e.type === 'task-failed'
      ? [`failed ${e.attempt} ${e.willRetry}`]
      : e.type === 'task-retrying'
        ? [`retry ${e.nextAttempt} ${e.delayMs}`]
        : e.type === 'task-done'
          ? [`done ${e.attempt}`]
          : [],
  );
  assert.deepEqual(trail, ['failed 1 true', 'retry 2 5', 'failed 2 true', 'retry 3 15', 'done 3']);
});

test('plumb.toml [tasks.<Family>] overrides class settings: no retries means one failure', async (t) => {
  freshRoot(t);
  flakyCalls = 0;
  const config = emptyConfig();
  config.tasks.Flaky = { retries: 0 };
  const { result } = await run(new Flaky(), { config });
  assert.equal(result.outcome, 'failed');
  assert.deepEqual(result.summary.failed, ['Flaky()']);
});

class Lies extends Task {
  output() {
    return new LocalTarget('never-written.txt');
  }
  run() {
    /* claims success but writes nothing */
  }
}

test('a run() that returns without writing its outputs fails, naming the missing output', async (t) => {
  const root = freshRoot(t);
  const { result, events } = await run(new Lies());
  assert.equal(result.outcome, 'failed');
  const failed = events.find((e) => e.type === 'task-failed');
  assert.ok(failed?.type === 'task-failed');
  assert.match(failed.error.message, new RegExp(`missing outputs: ${path.join(root, 'never-written.txt')}`));
});

class Leaf extends Task.with({ n: param.int() }) {
  output() {
    return new LocalTarget(`leaf_${this.n}.txt`);
  }
  async run() {
    await sleep(5);
    await this.output().writeText(String(this.n * this.n));
  }
}
class GeneratorSum extends Task.with({ count: param.int() }) {
  output() {
    return new LocalTarget(`sum_${this.count}.txt`);
  }
  *run() {
    const first = (yield new Leaf({ n: 1 })) as LocalTarget;
    const rest = (yield Array.from(
      { length: this.count - 1 },
      (_, i) => new Leaf({ n: i + 2 }),
    )) as LocalTarget[];
    const total = [first, ...rest].reduce((sum, t) => sum + Number(t.readText()), 0);
    this.output().writeTextSync(String(total));
  }
}
class AwaitSum extends Task.with({ count: param.int() }) {
  output() {
    return new LocalTarget(`await_sum_${this.count}.txt`);
  }
  async run() {
    const leaves = await this.dependOn(Array.from({ length: this.count }, (_, i) => new Leaf({ n: i + 1 })));
    const total = leaves.reduce((sum, t) => sum + Number(t.readText()), 0);
    await this.output().writeText(String(total));
  }
}

for (const workers of [1, 3]) {
  test(`dynamic requirements resume with their outputs (generator and dependOn, ${workers} worker(s))`, async (t) => {
    const root = freshRoot(t);
    const gen = await run(new GeneratorSum({ count: 4 }), { workers });
    assert.equal(gen.result.outcome, 'success');
    assert.equal(readFileSync(path.join(root, 'sum_4.txt'), 'utf8'), '30');
    const graphs = gen.events.filter((e) => e.type === 'graph');
    assert.ok(
      graphs.some((g) => g.type === 'graph' && g.edges.some((e) => e.dynamic && e.to === 'Leaf(n=4)')),
    );
    const awaited = await run(new AwaitSum({ count: 5 }), { workers });
    assert.equal(awaited.result.outcome, 'success');
    assert.equal(readFileSync(path.join(root, 'await_sum_5.txt'), 'utf8'), '55');
    assert.deepEqual(awaited.ran, ['AwaitSum(count=5)', 'Leaf(n=5)']); // 1..4 were complete already
  });
}

class Absent extends ExternalTask {
  output() {
    return new LocalTarget('absent.txt');
  }
}
class WantsAbsent extends Task {
  output() {
    return new LocalTarget('wants.txt');
  }
  async run() {
    await this.dependOn(new Absent());
    await this.output().writeText('no');
  }
}

test('a dynamic requirement on missing data blocks the task instead of failing it', async (t) => {
  freshRoot(t);
  const { result } = await run(new WantsAbsent());
  assert.equal(result.outcome, 'missing-external');
  assert.deepEqual(result.summary.blocked, []);
  assert.deepEqual(result.summary.blockedByMissingExternal, ['WantsAbsent()']);
  assert.deepEqual(result.summary.missingExternal, ['Absent()']);
});

test('unit mode runs only the task, and refuses clearly when a requirement is not complete', async (t) => {
  freshRoot(t);
  runs.length = 0;
  const refused = await run(new Side({ side: 'left' }), { unit: true });
  assert.equal(refused.result.outcome, 'error');
  assert.match(refused.result.message ?? '', /requirements are not complete: Base\(\)/);
  assert.deepEqual(refused.ran, []);
  await run(new Base());
  const unit = await run(new Top(), { unit: true });
  assert.equal(unit.result.outcome, 'error');
  await run(new Side({ side: 'left' }), { unit: true });
  await run(new Side({ side: 'right' }), { unit: true });
  const ok = await run(new Top(), { unit: true });
  assert.equal(ok.result.outcome, 'success');
  assert.deepEqual(ok.ran, ['Top()']);
});

class Chatty extends Task.with({ name: param.string() }) {
  output() {
    return new LocalTarget(`chatty_${this.name}.txt`);
  }
  async run() {
    for (let i = 0; i < 3; i++) {
      console.log(`${this.name} says ${i}`);
      this.log.warn(`${this.name} warns ${i}`);
      this.setStatus(`round ${i}`);
      this.setProgress((i + 1) / 3);
      await sleep(3);
    }
    await this.output().writeText('done');
  }
}
class Chorus extends WrapperTask {
  requires() {
    return ['a', 'b', 'c'].map((name) => new Chatty({ name }));
  }
}

test('console output, logs, status and progress of concurrent async tasks are attributed to their task', async (t) => {
  freshRoot(t);
  const { result, events } = await run(new Chorus(), { workers: 3 });
  assert.equal(result.outcome, 'success');
  const logs = events.flatMap((e) => (e.type === 'task-log' ? [e] : []));
  assert.equal(logs.length, 18);
  for (const log of logs) {
    const name = /^(\w) (says|warns)/.exec(log.line)?.[1];
    assert.equal(log.taskId, `Chatty(name=${name})`);
    assert.equal(log.level, log.line.includes('warns') ? 'warn' : 'info');
  }
  // They really ran at the same time: lines of different tasks interleave.
  assert.notEqual(logs[1]!.taskId, logs[2]!.taskId);
  // setStatus and setProgress are attributed the same way; progress is throttled but always ends at 1.
  for (const name of ['a', 'b', 'c']) {
    const taskId = `Chatty(name=${name})`;
    const mine = events.filter((e) => 'taskId' in e && e.taskId === taskId);
    assert.deepEqual(
      mine.flatMap((e) => (e.type === 'task-status' ? [e.message] : [])),
      ['round 0', 'round 1', 'round 2'],
    );
    const progress = mine.flatMap((e) => (e.type === 'task-progress' ? [e.fraction] : []));
    assert.equal(progress[0]?.toFixed(2), '0.33');
    assert.equal(progress.at(-1), 1);
  }
});

class Sleeper extends Task.with({ n: param.int() }) {
  output() {
    return new LocalTarget(`sleeper_${this.n}.txt`);
  }
  async run() {
    await sleep(20);
    await this.output().writeText('z');
  }
}
class Sleepers extends WrapperTask {
  requires() {
    return Array.from({ length: 6 }, (_, n) => new Sleeper({ n }));
  }
}

test('--workers N bounds how many tasks run at once', async (t) => {
  freshRoot(t);
  for (const workers of [1, 3]) {
    freshRoot(t);
    const { events } = await run(new Sleepers(), { workers });
    let now = 0;
    let peak = 0;
    for (const e of events) {
      if (e.type === 'task-running' && e.taskId.startsWith('Sleeper')) peak = Math.max(peak, ++now);
      if (e.type === 'task-done' && e.taskId.startsWith('Sleeper')) now--;
    }
    assert.equal(peak, workers);
  }
  assert.ok(!existsSync('sleeper_0.txt'), 'relative outputs resolve against the project root, not the cwd');
});

let checking = 0;
let mostAtOnce = 0;
/** Completeness known only asynchronously (a remote store, say): the check takes a while. */
class Remote extends Task.with({ n: param.int() }) {
  override async complete() {
    mostAtOnce = Math.max(mostAtOnce, ++checking);
    await sleep(5);
    checking--;
    return true;
  }
}
class Remotes extends Task {
  requires() {
    return Array.from({ length: 100 }, (_, n) => new Remote({ n }));
  }
  output() {
    return new LocalTarget('remotes.txt');
  }
  run() {
    this.output().writeTextSync(`${this.input().length}`);
  }
}

test('asynchronous completeness checks run concurrently, at most 64 at once', async (t) => {
  freshRoot(t);
  const { result, events } = await run(new Remotes());
  assert.equal(result.outcome, 'success');
  const skipped = events.filter((e) => e.type === 'task-skipped' && e.reason === 'already-complete');
  assert.equal(skipped.length, 100);
  assert.equal(mostAtOnce, 64);
});

// A timeout while run() awaits dependOn(): the attempt gave its worker slot back when it began to
// wait, so its end must not give it back a second time (then two tasks ran at once with 1 worker).
let runningWhileWaiting = 0;
let mostAtOnceWhileWaiting = 0;
async function counted(ms: number, write: () => void): Promise<void> {
  mostAtOnceWhileWaiting = Math.max(mostAtOnceWhileWaiting, ++runningWhileWaiting);
  await sleep(ms);
  runningWhileWaiting--;
  write();
}
class SlowRequirement extends Task {
  output() {
    return new LocalTarget('slow_requirement.txt');
  }
  run() {
    return counted(600, () => this.output().writeTextSync('x'));
  }
}
class TimesOutWaiting extends Task {
  static timeoutMs = 100;
  static isolate = false;
  output() {
    return new LocalTarget('times_out_waiting.txt');
  }
  async run() {
    await this.dependOn(new SlowRequirement());
    this.output().writeTextSync('x');
  }
}
class Busy extends Task.with({ i: param.int() }) {
  output() {
    return new LocalTarget(`busy_${this.i}.txt`);
  }
  run() {
    return counted(200, () => this.output().writeTextSync('x'));
  }
}
class WaitsAmongBusy extends WrapperTask {
  requires() {
    return [new TimesOutWaiting(), ...[0, 1, 2].map((i) => new Busy({ i }))];
  }
}

test('a timeout while run() awaits dependOn() gives its worker slot back once', async (t) => {
  freshRoot(t);
  const { result, events } = await run(new WaitsAmongBusy(), { workers: 1 });
  assert.equal(mostAtOnceWhileWaiting, 1, 'never two tasks at once with one worker');
  const failed = events.find((e) => e.type === 'task-failed' && e.taskId === 'TimesOutWaiting()');
  assert.ok(failed?.type === 'task-failed' && failed.timedOut === true);
  assert.equal(result.outcome, 'failed');
  assert.deepEqual(
    ['SlowRequirement()', 'Busy(i=0)', 'Busy(i=1)', 'Busy(i=2)'].filter((id) =>
      result.summary.ran.includes(id),
    ).length,
    4,
  );
});
