// young-generation.ts: a run's discovery keeps V8's young generation at its size (what it builds
// lives on); it grows again once discovery ends. Holds nest.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getHeapSpaceStatistics } from 'node:v8';
import { TaskGraph } from '../../runtime/src/graph';
import { WrapperTask } from '../../runtime/src/task';
import { holdYoungGeneration, youngGenerationHeld } from '../../runtime/src/young-generation';

const newSpace = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_size;

/** Objects that all live on, as a big DAG's tasks do: ~5 MB of them. */
function survivors(): object[] {
  const kept: object[] = [];
  for (let i = 0; i < 100_000; i++) kept.push({ i, name: `task-${i}` });
  return kept;
}

const kept: object[][] = [];
const sizes: number[] = [];

/** Its requires() (called by discovery, in its completeness check) builds survivors. */
class Builds extends WrapperTask {
  requires() {
    sizes.push(newSpace());
    kept.push(survivors());
    sizes.push(newSpace());
    return [];
  }
}

test("a run's discovery keeps the young generation at its size; it grows again after", async () => {
  await new TaskGraph().discover([new Builds()], { expand: true });
  assert.equal(sizes.length, 2, 'requires() ran in discovery');
  assert.ok(sizes[1]! <= sizes[0]!, `held during discovery: ${sizes[0]} -> ${sizes[1]} bytes`);
  assert.equal(youngGenerationHeld(), false);
  const before = newSpace();
  kept.push(survivors());
  assert.ok(newSpace() > before, `grows after discovery: ${before} -> ${newSpace()} bytes`);
  kept.length = 0;
});

test('holds nest: the young generation grows again when the last one is released', () => {
  const first = holdYoungGeneration();
  const second = holdYoungGeneration();
  first();
  first(); // a second release of the same hold does nothing
  assert.equal(youngGenerationHeld(), true);
  second();
  assert.equal(youngGenerationHeld(), false);
});
