// The graph event's JSON written from the graph's nodes is exactly JSON.stringify of the event object.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { EventStream } from '../../runtime/src/event-stream';
import { type GraphEvent, type RunEvent } from '../../runtime/src/events';
import { TaskGraph, toGraphNode } from '../../runtime/src/graph';
import { graphEventJson } from '../../runtime/src/graph-event-json';
import { LocalTarget } from '../../runtime/src/local-target';
import { param } from '../../runtime/src/parameter';
import { runTasks } from '../../runtime/src/run';
import { type Target } from '../../runtime/src/target';
import { ExternalTask, Task, WrapperTask } from '../../runtime/src/task';
import { freshRoot } from './support/workdir';

class Quoted extends Task.with({ s: param.string(), n: param.int({ default: 2 }) }) {
  output() {
    return [new LocalTarget(`q/${this.s}.txt`), new LocalTarget(`q/${this.s}.meta`)];
  }
  run() {}
}

class Done extends Task {
  output() {
    return new LocalTarget('done.txt');
  }
  run() {}
}

/** Not a local file: its outputs are not kept by the graph, so its paths are computed apart. */
class Remote implements Target {
  exists() {
    return false;
  }
  toString() {
    return 'mem://remote/"x"';
  }
}
class OnRemote extends Task {
  output() {
    return new Remote();
  }
  run() {}
}

class Broken extends Task {
  requires(): Task[] {
    throw new Error('no');
  }
  output() {
    return new LocalTarget('broken.txt');
  }
}

class Missing extends ExternalTask {
  output() {
    return new LocalTarget('missing.txt');
  }
}

class Root extends WrapperTask {
  requires() {
    return [
      new Quoted({ s: 'a "b" \\ ✗\n' }),
      new Quoted({ s: 'plain', n: 3 }),
      new Done(),
      new OnRemote(),
      new Broken(),
      new Missing(),
    ];
  }
}

test('graphEventJson is JSON.stringify of the graph event toGraphNode builds, node for node', async (t) => {
  const dir = freshRoot(t);
  writeFileSync(`${dir}/done.txt`, 'x');
  const graph = new TaskGraph();
  const found = await graph.discover([new Root()], { expand: true });
  assert.equal(found.nodes.length, 7);
  assert.deepEqual(
    new Set(found.nodes.map((n) => n.state)),
    new Set(['pending', 'complete', 'broken', 'missing-external']),
  );
  // Sources for some families only: the key is left out for the others.
  const sourceOf = (family: string) =>
    family === 'Quoted' ? { file: '/p/"q".ts', line: 3 } : family === 'Done' ? { file: 'd.ts' } : undefined;
  const built = {
    type: 'graph',
    nodes: found.nodes.map((n) => toGraphNode(n, sourceOf(n.task.taskFamily))),
    edges: found.edges,
  };
  assert.equal(graphEventJson(found.nodes, found.edges, sourceOf), JSON.stringify(built));
  assert.equal(
    graphEventJson(found.nodes, found.edges, undefined),
    JSON.stringify({ ...built, nodes: found.nodes.map((n) => toGraphNode(n)) }),
  );
});

test("a run's graph line is the graph event object's JSON, whether or not a listener asks for the object", async (t) => {
  freshRoot(t);
  const withListener = new EventStream('r');
  const objects: RunEvent[] = [];
  const lines: string[] = [];
  withListener.onEvent((e) => objects.push(e), ['graph']);
  withListener.onLine((l) => lines.push(l));
  await runTasks(new Root(), { events: withListener, workers: 1 });
  const graphLines = lines.filter((l) => (JSON.parse(l) as RunEvent).type === 'graph');
  assert.equal(objects.length, 1);
  assert.deepEqual(graphLines, [JSON.stringify(objects[0])]);
  assert.equal((objects[0] as GraphEvent).nodes.length, 7);

  const linesOnly = new EventStream('r');
  const onlyLines: string[] = [];
  linesOnly.onLine((l) => onlyLines.push(l));
  await runTasks(new Root(), { events: linesOnly, workers: 1 });
  const graphOnly = onlyLines.filter((l) => (JSON.parse(l) as RunEvent).type === 'graph');
  // The same event but its stamp's time (the run id and seq are the same).
  const withoutTime = (l: string) => ({ ...(JSON.parse(l) as RunEvent), time: 0 });
  assert.deepEqual(graphOnly.map(withoutTime), graphLines.map(withoutTime));
});
