// sla-watch.ts: the watch asks for the run's task-done events only once a task with an SLA is
// found, and a task done in time then is not reported when its deadline's timer fires late.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type RunEvent, type RunEventPayload } from '../../../runtime/src/events';
import { TaskGraph } from '../../../runtime/src/graph';
import { SlaWatch } from '../../../runtime/src/operations/sla-watch';
import { Task, WrapperTask } from '../../../runtime/src/task';

class Plain extends Task.with({}) {
  run() {}
}

class Timed extends Task.with({}) {
  static sla = { within: '1h' };
  run() {}
}

class Both extends WrapperTask {
  requires() {
    return [new Plain(), new Timed()];
  }
}

async function graphOf(root: Task) {
  const graph = new TaskGraph();
  const found = await graph.discover([root], { expand: true });
  return { graph, nodes: found.nodes };
}

test('task-done events are asked for once, when the first task with an SLA is found, not before', async () => {
  let now = 0;
  let asked = 0;
  const emitted: RunEventPayload[] = [];
  const watch = new SlaWatch({
    clock: () => now,
    scheduledAt: 0,
    configSla: () => undefined,
    emit: (e) => emitted.push(e),
    takeTaskDone: () => asked++,
  });
  const plain = await graphOf(new Plain());
  watch.track(plain.graph);
  watch.discovered(plain.nodes);
  assert.equal(asked, 0, 'no task has an SLA: no task-done wanted');

  const both = await graphOf(new Both());
  watch.track(both.graph);
  watch.discovered(both.nodes);
  watch.discovered(both.nodes);
  assert.equal(asked, 1, 'asked once, at the first task with an SLA');

  // Done in time (told through onEvent, as the run does once asked), checked after the deadline:
  // not reported; the plain task never is.
  const timed = both.graph.nodes.get(new Timed().taskId)!;
  timed.state = 'done';
  now = 30 * 60_000;
  watch.onEvent({
    type: 'task-done',
    taskId: timed.id,
    attempt: 1,
    durationMs: 1,
    v: 1,
    runId: 'r',
    seq: 0,
    time: now,
  } as RunEvent);
  now = 2 * 3_600_000;
  watch.stop();
  assert.deepEqual(emitted, []);
});

test('a task found complete that has an SLA asks for task-done too (it runs again if its output vanished)', async () => {
  let asked = 0;
  const watch = new SlaWatch({
    clock: () => 0,
    scheduledAt: 0,
    configSla: () => undefined,
    emit: () => undefined,
    takeTaskDone: () => asked++,
  });
  const both = await graphOf(new Both());
  for (const node of both.nodes) if (node.id !== new Plain().taskId) node.state = 'complete';
  watch.track(both.graph);
  watch.discovered(both.nodes);
  assert.equal(asked, 1);
});
