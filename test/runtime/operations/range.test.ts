// Ranges: the missing instances of a window, in bulk, limited and ordered; runs converge to complete.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { DateHour, DateTime, PlainDate } from '../../../runtime/src/calendar';
import { LocalTarget } from '../../../runtime/src/local-target';
import { rangeByMinutes, rangeDaily, rangeHourly } from '../../../runtime/src/operations/range';
import { param } from '../../../runtime/src/parameter';
import { setProjectRoot } from '../../../runtime/src/project-root';
import { runTasks } from '../../../runtime/src/run';
import { Task } from '../../../runtime/src/task';

function freshRoot(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plumb-range-'));
  setProjectRoot(dir);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

class Streams extends Task.with({ date: param.date(), country: param.string({ default: 'NZ' }) }) {
  output() {
    return new LocalTarget(`streams/${this.country}_${this.date}.csv`);
  }
  run() {
    this.output().writeTextSync('ok\n');
  }
}

class Readings extends Task.with({ hour: param.hour() }) {
  output() {
    return new LocalTarget(`readings/${this.hour}.txt`);
  }
  run() {
    this.output().writeTextSync('ok\n');
  }
}

class Ticks extends Task.with({ at: param.datetime(), label: param.string() }) {
  output() {
    return new LocalTarget(`ticks/${String(this.at).replace(/:/g, '')}.txt`);
  }
}

const day = PlainDate.parse;
const files = (root: string, dir: string) => readdirSync(path.join(root, dir)).sort();

test('a daily range requires only the missing days, both ends included, and a second run has nothing to do', async (t) => {
  const root = freshRoot(t);
  mkdirSync(path.join(root, 'streams'));
  writeFileSync(path.join(root, 'streams', 'NZ_2026-11-03.csv'), 'already\n');
  const Range = rangeDaily(Streams);
  const range = new Range({ start: day('2026-11-01'), stop: day('2026-11-05') });
  assert.equal(range.taskId, 'RangeDaily(of=Streams, start=2026-11-01, stop=2026-11-05, ofParams={})');
  assert.deepEqual(
    range.requires().map((x) => x.taskId),
    ['2026-11-01', '2026-11-02', '2026-11-04', '2026-11-05'].map((d) => `Streams(date=${d}, country=NZ)`),
  );
  const first = await runTasks(range);
  assert.equal(first.outcome, 'success');
  assert.equal(first.summary.ran.length, 5); // four days and the range itself
  assert.deepEqual(
    files(root, 'streams'),
    ['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05'].map((d) => `NZ_${d}.csv`),
  );
  const again = await runTasks(new Range({ start: day('2026-11-01'), stop: day('2026-11-05') }));
  assert.equal(again.outcome, 'success');
  assert.deepEqual(again.summary.ran, []);
  assert.deepEqual(again.summary.alreadyComplete, [
    'RangeDaily(of=Streams, start=2026-11-01, stop=2026-11-05, ofParams={})',
  ]);
});

test('maxTasks bounds each run, newest first or oldest first, and repeated runs converge', async (t) => {
  const root = freshRoot(t);
  const Range = rangeDaily(Streams);
  const args = {
    start: day('2026-11-01'),
    stop: day('2026-11-07'),
    maxTasks: 3,
    newestFirst: true,
    ofParams: { country: 'SE' },
  };
  const first = new Range(args);
  assert.deepEqual(
    first.requires().map((x) => String((x as Streams).date)),
    ['2026-11-07', '2026-11-06', '2026-11-05'],
  );
  const oldest = new Range({ ...args, newestFirst: false });
  assert.deepEqual(
    oldest.requires().map((x) => String((x as Streams).date)),
    ['2026-11-01', '2026-11-02', '2026-11-03'],
  );
  let runs = 0;
  for (;;) {
    const range = new Range(args);
    if (range.complete() === true) break;
    const r = await runTasks(range);
    runs++;
    // Exit 0 only once the whole window is complete: a batch that leaves instances is incomplete.
    assert.equal(r.outcome, runs < 3 ? 'incomplete' : 'success');
    assert.equal(r.summary.notRun.length, [4, 1, 0][runs - 1]);
    assert.ok(r.summary.ran.length <= 4, 'three instances and the range');
  }
  assert.equal(runs, 3);
  assert.equal(files(root, 'streams').length, 7);
  assert.ok(files(root, 'streams').every((f) => f.startsWith('SE_')));
});

test('a window back from now: the last whole days or hours before now, now injected', (t) => {
  freshRoot(t);
  const now = new Date('2026-11-27T10:30:00Z');
  const week = new (rangeDaily(Streams))({ daysBack: 7, now });
  assert.equal(String(week.start), '2026-11-20');
  assert.equal(String(week.stop), '2026-11-26');
  assert.equal(week.requires().length, 7);
  const day = new (rangeHourly(Readings))({ hoursBack: 24, now });
  assert.equal(String(day.start), '2026-11-26T10');
  assert.equal(String(day.stop), '2026-11-27T09');
  assert.equal(day.requires().length, 24);
  process.env.PLUMB_NOW = '2026-01-01T00:00:00';
  t.after(() => delete process.env.PLUMB_NOW);
  const fromEnv = new (rangeDaily(Streams))({ daysBack: 1 });
  assert.equal(String(fromEnv.start), '2025-12-31');
});

test('hours and minutes: every hour of the window, every n minutes of a datetime parameter', (t) => {
  freshRoot(t);
  const hours = new (rangeHourly(Readings))({
    start: DateHour.parse('2026-11-01T22'),
    stop: DateHour.parse('2026-11-02T01'),
  });
  assert.deepEqual(
    hours.requires().map(String),
    ['2026-11-01T22', '2026-11-01T23', '2026-11-02T00', '2026-11-02T01'].map((h) => `Readings(hour=${h})`),
  );
  const Quarter = rangeByMinutes(Ticks, 15);
  const q = new Quarter({
    start: DateTime.parse('2026-11-01T10:05:00'),
    stop: DateTime.parse('2026-11-01T11:00:00'),
    ofParams: { label: 'x' },
  });
  assert.deepEqual(
    q.requires().map((x) => String((x as Ticks).at)),
    ['2026-11-01T10:15:00', '2026-11-01T10:30:00', '2026-11-01T10:45:00', '2026-11-01T11:00:00'],
  );
  assert.equal(rangeByMinutes(Ticks, 15), Quarter, 'one family and step: one class');
});

test('the fixed parameters are canonical in the id: a number given as text or as a number is one range', (t) => {
  freshRoot(t);
  class Top extends Task.with({ date: param.date(), n: param.int() }) {}
  const Range = rangeDaily(Top);
  const window = { start: day('2026-11-01'), stop: day('2026-11-02') };
  const a = new Range({ ...window, ofParams: { n: '5' } });
  const b = new Range({ ...window, ofParams: { n: 5 } });
  assert.equal(a.taskId, b.taskId);
  assert.equal(a.taskId, 'RangeDaily(of=Top, start=2026-11-01, stop=2026-11-02, ofParams={"n":"5"})');
  assert.equal((a.requires()[0] as Top).n, 5);
});

test('mistakes name the range and what it accepts', () => {
  const Range = rangeDaily(Streams);
  assert.throws(
    () => new Range({ daysBack: 3, start: day('2026-11-01'), stop: day('2026-11-02') } as never),
    /daysBack.*cannot be given with start or stop/,
  );
  assert.throws(
    () => new Range({ start: day('2026-11-01') } as never),
    /RangeDaily: parameter 'stop' is required: give start and stop \(both included\), or daysBack/,
  );
  assert.throws(
    () => new Range({ start: day('2026-11-01'), stop: day('2026-11-02'), ofParams: { region: 'x' } }),
    /'region' is not a parameter of Streams/,
  );
  assert.throws(
    () => new Range({ start: day('2026-11-02'), stop: day('2026-11-01'), ofParams: { date: '2026-11-01' } }),
    /sets date, which the range fills/,
  );
  assert.throws(
    () => rangeHourly(Streams),
    /Streams has no parameter a range can fill: a range by hours fills a parameter of kind hour or datetime/,
  );
});
