// allComplete (task.ts), what WrapperTask.complete() asks: past 20,000 requirements whose
// completeness is one local file each, the files are checked by threads, with the same answers:
// a missing leaf, an asynchronous complete() beside them, a durable write not yet committed.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { emptyConfig } from '../../runtime/src/config';
import { EventStream } from '../../runtime/src/event-stream';
import { LocalTarget } from '../../runtime/src/local-target';
import { ParallelExistence } from '../../runtime/src/parallel-existence';
import { param } from '../../runtime/src/parameter';
import { runTasks } from '../../runtime/src/run';
import { Task, WrapperTask } from '../../runtime/src/task';

const N = 20_100; // past the 64 checked first, 20,000 more: where threads start
/** The one leaf with a file of its own, past the first 64; the others share 100 files (cheap to make). */
const ALONE = 15_000;
let dir = '';

before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'plumb-all-complete-'));
  mkdirSync(path.join(dir, 'out'));
  for (let i = 0; i < 100; i++) writeFileSync(path.join(dir, 'out', `leaf_${i}.txt`), '');
  writeFileSync(path.join(dir, 'out', `leaf_${ALONE}.txt`), '');
});
after(() => rmSync(dir, { recursive: true, force: true }));

class Leaf extends Task.with({ i: param.int() }) {
  output() {
    return new LocalTarget(path.join(dir, 'out', `leaf_${this.i === ALONE ? ALONE : this.i % 100}.txt`));
  }
}

/** Complete when it says so, asynchronously. */
class Remote extends Task.with({ answer: param.bool() }) {
  override complete() {
    return Promise.resolve(this.answer);
  }
}

class Fan extends WrapperTask.with({ remote: param.string({ default: '' }) }) {
  requires() {
    const all: Task[] = [];
    for (let i = 0; i < N; i++) all.push(new Leaf({ i }));
    if (this.remote) all.splice(N / 2, 0, new Remote({ answer: this.remote === 'yes' }));
    return all;
  }
}

test('a fan-out of 20,100 complete leaves is complete, checked by threads; one leaf missing and it is not', async () => {
  const made = ParallelExistence.made;
  assert.equal(new Fan().complete(), true);
  assert.equal(ParallelExistence.made, made + 1, 'no threads were started');
  assert.equal(await new Fan({ remote: 'no' }).complete(), false);
  const gone = path.join(dir, 'out', `leaf_${ALONE}.txt`);
  unlinkSync(gone);
  try {
    assert.equal(new Fan().complete(), false);
  } finally {
    writeFileSync(gone, '');
  }
});

test('a leaf written durably and not yet committed counts, as LocalTarget.exists() says', async () => {
  const gone = path.join(dir, 'out', `leaf_${ALONE}.txt`);
  unlinkSync(gone);
  let seen: unknown;
  class Writer extends Task {
    output() {
      return new LocalTarget(path.join(dir, 'writer.txt'));
    }
    run() {
      new Leaf({ i: ALONE }).output().writeTextSync('x'); // pending until this attempt ends
      seen = new Fan().complete();
      this.output().writeTextSync('done');
    }
  }
  const config = emptyConfig();
  config.run.durable = true;
  const result = await runTasks([new Writer()], { events: new EventStream('test'), config, workers: 1 });
  assert.equal(result.outcome, 'success');
  assert.equal(seen, true);
});
