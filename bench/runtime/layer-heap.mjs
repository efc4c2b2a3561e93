// Bytes allocated per task by one layer of a fan-out (bench/runtime/layer.mjs's core, library or
// lines), garbage included: V8's sampling heap profiler with the objects later collected by either
// GC kept in the profile, so what a scavenge frees at once still counts. Prints the total per task
// and the functions that allocated most (self, per task). A function inlined into its caller is
// counted in the caller. Outputs go to <output dir>, which must not exist (a fresh run).
// Usage: node bench/runtime/layer-heap.mjs <runtime dist dir> core|library|lines <output dir> <n> [top]
import { Session } from 'node:inspector/promises';
import { loadLayers } from './layer.mjs';

const [dist, layer, out, nText, topText = '25'] = process.argv.slice(2);
const n = Number(nText);
const runLayer = loadLayers(dist, out);

const session = new Session();
session.connect();
await session.post('HeapProfiler.enable');
await session.post('HeapProfiler.startSampling', {
  samplingInterval: 512,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
});
await runLayer(layer, n);
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
