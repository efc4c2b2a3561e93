// TaskGraph (graph.ts): a wrapper's requirements are built once at discovery; the whole-graph cycle
// search walks only graphs where discovery linked a node to one it already held (a diamond, a
// cycle): a forest, such as a fan-out, has none to find.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TaskGraph } from '../../runtime/src/graph';
import { param } from '../../runtime/src/parameter';
import { Task, WrapperTask } from '../../runtime/src/task';

class Leaf extends Task.with({ i: param.int() }) {}
class Fan extends WrapperTask {
  requires() {
    return [new Leaf({ i: 1 }), new Leaf({ i: 2 })];
  }
}
class Diamond extends WrapperTask {
  requires() {
    return [new Fan(), new Leaf({ i: 1 })];
  }
}
class Ping extends Task {
  requires() {
    return new Pong();
  }
}
class Pong extends Task {
  requires() {
    return new Ping();
  }
}

async function discovered(root: Task): Promise<TaskGraph> {
  const graph = new TaskGraph();
  await graph.discover([root], { expand: true });
  return graph;
}

const walked = (graph: TaskGraph) => [...graph.nodes.values()].filter((n) => n.cycleMark > 0).length;

test('a forest is not walked for cycles; a diamond is walked and has none; a cycle is named', async () => {
  const fan = await discovered(new Fan());
  assert.equal(fan.findCycle(), undefined);
  assert.equal(walked(fan), 0, 'every edge led to a new node: nothing to walk');
  const diamond = await discovered(new Diamond());
  assert.equal(diamond.findCycle(), undefined);
  assert.equal(walked(diamond), 4);
  assert.deepEqual((await discovered(new Ping())).findCycle(), ['Ping()', 'Pong()', 'Ping()']);
});

test("a wrapper's requires() is called once at discovery: its completeness check's tasks are expanded", async () => {
  let calls = 0;
  class Counting extends WrapperTask {
    requires() {
      calls++;
      return [new Leaf({ i: 1 }), new Leaf({ i: 2 })];
    }
  }
  const graph = await discovered(new Counting());
  assert.equal(calls, 1);
  assert.deepEqual([...graph.nodes.keys()], ['Counting()', 'Leaf(i=1)', 'Leaf(i=2)']);
});
