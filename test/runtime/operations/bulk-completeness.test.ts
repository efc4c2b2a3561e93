// Bulk completeness answers exactly what complete() answers, from one listing per directory.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { PlainDate } from '../../../runtime/src/calendar';
import { emptyConfig } from '../../../runtime/src/config';
import { EventStream } from '../../../runtime/src/event-stream';
import { LocalTarget } from '../../../runtime/src/local-target';
import { completeness } from '../../../runtime/src/operations/bulk-completeness';
import { param } from '../../../runtime/src/parameter';
import { setProjectRoot } from '../../../runtime/src/project-root';
import { runTasks } from '../../../runtime/src/run';
import { Task } from '../../../runtime/src/task';
import { inChildAsNobody, isRoot } from '../../support/unprivileged';

function freshRoot(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plumb-bulk-'));
  setProjectRoot(dir);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

class Daily extends Task.with({ date: param.date() }) {
  output() {
    return [new LocalTarget(`out/a_${this.date}.csv`), new LocalTarget(`out/b_${this.date}.csv`)];
  }
}

/** Counts its checks: a family with its own complete() is asked, never listed. */
let asked = 0;
class Custom extends Task.with({ date: param.date() }) {
  override complete() {
    asked++;
    return this.date.day % 2 === 0;
  }
}

const days = (n: number) => Array.from({ length: n }, (_, i) => PlainDate.of(2026, 11, 1).addDays(i));

test('a task is complete when every output is in its directory listing; dangling links are not outputs', (t) => {
  const root = freshRoot(t);
  mkdirSync(path.join(root, 'out'));
  const tasks = days(10).map((date) => new Daily({ date }));
  for (const d of ['2026-11-01', '2026-11-02', '2026-11-05']) {
    writeFileSync(path.join(root, 'out', `a_${d}.csv`), '');
    writeFileSync(path.join(root, 'out', `b_${d}.csv`), '');
  }
  writeFileSync(path.join(root, 'out', 'a_2026-11-03.csv'), ''); // half of its outputs
  symlinkSync(path.join(root, 'out', 'a_2026-11-02.csv'), path.join(root, 'out', 'a_2026-11-04.csv'));
  symlinkSync(path.join(root, 'nowhere'), path.join(root, 'out', 'b_2026-11-04.csv'));
  const bulk = completeness(tasks);
  assert.deepEqual(
    bulk,
    tasks.map((x) => x.complete()),
  );
  assert.deepEqual(
    tasks.filter((_, i) => bulk[i]).map((x) => String(x.date)),
    ['2026-11-01', '2026-11-02', '2026-11-05'],
  );
});

test('a directory that does not exist makes every task in it incomplete', (t) => {
  freshRoot(t);
  assert.deepEqual(completeness(days(5).map((date) => new Daily({ date }))), [
    false,
    false,
    false,
    false,
    false,
  ]);
});

test('a family with its own complete() is asked, once per instance', (t) => {
  freshRoot(t);
  asked = 0;
  const answers = completeness(days(4).map((date) => new Custom({ date })));
  assert.deepEqual(answers, [false, true, false, true]);
  assert.equal(asked, 4);
});

test('an output written durably and not yet committed counts, listed or not, as LocalTarget.exists() says', async (t) => {
  const root = freshRoot(t);
  let seen: unknown;
  class Writer extends Task {
    output() {
      return new LocalTarget('writer.txt');
    }
    run() {
      const tasks = days(5).map((date) => new Daily({ date }));
      for (const x of tasks) for (const out of x.output()) out.writeTextSync('x'); // pending until the attempt ends
      seen = [completeness(tasks), completeness(tasks.slice(0, 1))];
      this.output().writeTextSync('done');
    }
  }
  const config = emptyConfig();
  config.run.durable = true;
  const result = await runTasks([new Writer()], { events: new EventStream('test'), config, workers: 1 });
  assert.equal(result.outcome, 'success');
  assert.deepEqual(seen, [[true, true, true, true, true], [true]]);
  assert.ok(existsSync(path.join(root, 'out', 'a_2026-11-05.csv')), 'committed at the end of the attempt');
});

const unsearchable =
  'a directory readable but not searchable is not listed: its files cannot be reached, so not complete';
test(unsearchable, (t) => {
  if (isRoot) return inChildAsNobody(__filename, unsearchable);
  const root = freshRoot(t);
  const instances = days(4).map((date) => new Daily({ date }));
  mkdirSync(path.join(root, 'out'));
  for (const task of instances) for (const o of task.output()) writeFileSync(o.path, 'x');
  chmodSync(path.join(root, 'out'), 0o444);
  try {
    assert.deepEqual(
      completeness(instances),
      instances.map((task) => task.complete()),
    );
    assert.deepEqual(completeness(instances), [false, false, false, false]);
  } finally {
    chmodSync(path.join(root, 'out'), 0o755); // before freshRoot's clean-up removes the files
  }
});
