// The run view's summary from a v1 log (the stored fixture) and from a v2 stream written by a real
// in-process run of the runtime: groups and the tasks to look at, each with why.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { applyRunEvents, emptyRun } from '../../../../client/webview/src/run/runState';
import { attentionItems, summaryGroups } from '../../../../client/webview/src/run/summaryModel';
import { EventStream } from '../../../../runtime/src/event-stream';
import { type RunEvent } from '../../../../runtime/src/events';
import { LocalTarget } from '../../../../runtime/src/local-target';
import { setProjectRoot } from '../../../../runtime/src/project-root';
import { runTasks } from '../../../../runtime/src/run';
import { ExternalTask, Task } from '../../../../runtime/src/task';
import { readRunEvents } from '../fixtureFiles';

test('a v1 log: groups from the old fields, blocked tasks name what they waited for', () => {
  const state = applyRunEvents(emptyRun(), readRunEvents('run-failed-after-retry.jsonl'));
  assert.equal(state.roots.length, 1);
  assert.equal(state.roots[0], state.root);
  const groups = summaryGroups(state.summary!).map((g) => `${g.ids.length} ${g.label}`);
  assert.ok(groups.includes('1 failed'));
  const report = attentionItems(state).find((i) => i.id.startsWith('WeeklyReport'));
  assert.match(report?.detail ?? '', /^waits for FetchWeather/);
});

class Fails extends Task {
  static retries = 1;
  static retryDelayMs = 1;
  output() {
    return new LocalTarget('fails.txt');
  }
  run() {
    throw new Error('disk full');
  }
}
class Broken extends Task {
  requires(): Task {
    throw new Error('requires() is broken');
  }
  output() {
    return new LocalTarget('broken.txt');
  }
}
class Gone extends ExternalTask {
  output() {
    return new LocalTarget('in/gone.csv');
  }
}
class NeedsGone extends Task {
  requires() {
    return new Gone();
  }
  output() {
    return new LocalTarget('needs_gone.txt');
  }
}
class NeedsBoth extends Task {
  requires() {
    return [new Fails(), new Broken()];
  }
  output() {
    return new LocalTarget('needs_both.txt');
  }
}

test('a v2 stream from a real run: broken tasks, every cause, attempts, missing paths, several roots', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plumb-summary-'));
  setProjectRoot(dir);
  t.after(() => {
    setProjectRoot(undefined);
    rmSync(dir, { recursive: true, force: true });
  });
  const stream = new EventStream('v2');
  const events: RunEvent[] = [];
  stream.onEvent((e) => events.push(e));
  await runTasks([new NeedsBoth(), new NeedsGone()], { events: stream, workers: 1 });
  const state = applyRunEvents(emptyRun(), events);
  assert.equal(state.outcome, 'pipeline-error');
  assert.deepEqual(state.roots, ['NeedsBoth()', 'NeedsGone()']);
  assert.equal(state.tasks.get('Broken()')?.broken, true);
  assert.deepEqual(
    summaryGroups(state.summary!).map((g) => `${g.ids.length} ${g.label}`),
    ['1 failed', '1 broken', '1 blocked', '1 blocked by missing data', '1 missing external'],
  );
  assert.deepEqual(attentionItems(state), [
    { id: 'Fails()', detail: 'disk full (2 attempts)' },
    { id: 'Broken()', detail: 'broken: requires() threw: requires() is broken' },
    { id: 'NeedsBoth()', detail: 'waits for Broken(), Fails()' }, // in the order they blocked it
    { id: 'NeedsGone()', detail: 'waits for Gone()' },
    { id: 'Gone()', detail: `looked for ${path.join(dir, 'in/gone.csv')}` },
  ]);
});
