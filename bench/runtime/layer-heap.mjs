// Bytes allocated per task by one layer of a fan-out (bench/runtime/layer.mjs's core, library or
// lines), garbage included: V8's sampling heap profiler with the objects later collected by either
// GC kept in the profile, so what a scavenge frees at once still counts. Prints the total per task
// and the functions that allocated most (self, per task). A function inlined into its caller is
// counted in the caller. Outputs go to <output dir>, which must not exist (a fresh run).
// Usage: node bench/runtime/layer-heap.mjs <runtime dist dir> core|library|lines <output dir> <n> [top]
import { mkdirSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

const [dist, layer, out, nText, topText = '25'] = process.argv.slice(2);
const n = Number(nText);
const { LocalTarget, Task, WrapperTask, param, runTasks, EventStream, newRunId } = createRequire(
  import.meta.url,
)(path.resolve(dist, 'entry.cjs'));

class Leaf extends Task.with({ i: param.int() }) {
  output() {
    return new LocalTarget(path.join(out, `leaf_${this.i}.txt`));
  }
  run() {
    this.output().writeTextSync(`${this.i}\n`);
  }
}

class FanOut extends WrapperTask.with({ n: param.int() }) {
  requires() {
    const leaves = [];
    for (let i = 0; i < this.n; i++) leaves.push(new Leaf({ i }));
    return leaves;
  }
}

const session = new Session();
session.connect();
await session.post('HeapProfiler.enable');
await session.post('HeapProfiler.startSampling', {
  samplingInterval: 512,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
});
if (layer === 'core') {
  mkdirSync(out, { recursive: true });
  const leaves = [];
  for (let i = 0; i < n; i++) leaves.push(new Leaf({ i }));
  for (const leaf of leaves) if (!leaf.output().exists()) leaf.run();
} else if (layer === 'library' || layer === 'lines') {
  const events = new EventStream(newRunId());
  if (layer === 'lines') events.onLine(() => undefined);
  const result = await runTasks(new FanOut({ n }), { workers: 1, events, yieldBeforeUserCode: false });
  if (result.exitCode !== 0) throw new Error(`the fan-out ended ${result.outcome}: ${result.message ?? ''}`);
} else {
  throw new Error(`unknown layer ${layer}: core, library or lines`);
}
const { profile } = await session.post('HeapProfiler.stopSampling');

const bySelf = new Map();
let total = 0;
const walk = (node) => {
  const { functionName, url, lineNumber } = node.callFrame;
  const key = `${functionName || '(anonymous)'} ${url.split('/').pop()}:${lineNumber + 1}`;
  bySelf.set(key, (bySelf.get(key) ?? 0) + node.selfSize);
  total += node.selfSize;
  for (const child of node.children) walk(child);
};
walk(profile.head);
console.log(`${layer}, ${n} tasks: ${Math.round(total / n)} bytes allocated a task`);
for (const [key, bytes] of [...bySelf].sort((a, b) => b[1] - a[1]).slice(0, Number(topText)))
  console.log(`${(bytes / n).toFixed(1).padStart(8)}  ${key}`);
