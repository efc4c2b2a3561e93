// The floors for bench/isolate.ts: `procs` plain Node processes started at once, sharing N tasks of
// `ms` each, the same work the tasks do: for `cpu`, spending their own CPU time in the tasks' loop
// (one process per core); for `sleep`, waiting on a timer one task after another (one process per
// worker: what a pool of that many members cannot do for less than Node's own start-ups);
// `sleep-threads`, the same in worker threads of one process (what a pool of threads cannot beat:
// each thread is a Node environment of its own, without even the runtime or the pipeline loaded).
// Usage: node floor.mjs <n> <ms> <procs> [cpu|sleep|sleep-threads]
import { fork } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker, isMainThread, workerData } from 'node:worker_threads';

const [n, ms, procs] = process.argv.slice(2, 5).map(Number);
const kind = process.argv[5] ?? 'cpu';
function burn(total) {
  const start = process.cpuUsage();
  let x = 0;
  for (;;) {
    for (let i = 0; i < 20_000; i++) x = (x * 31 + i) | 0;
    const used = process.cpuUsage(start);
    if ((used.user + used.system) / 1000 >= total) break;
  }
  return x;
}
const share = (c) => Math.floor(n / procs) + (c < n % procs ? 1 : 0);
if (!isMainThread) {
  for (let i = 0; i < workerData.share; i++) await sleep(ms);
} else if (kind === 'sleep-threads') {
  const threads = Array.from(
    { length: procs },
    (_, c) =>
      new Worker(new URL(import.meta.url), { argv: process.argv.slice(2), workerData: { share: share(c) } }),
  );
  await Promise.all(threads.map((t) => new Promise((r) => t.on('exit', r))));
} else if (process.env.FLOOR_SHARE) {
  const share = Number(process.env.FLOOR_SHARE);
  for (let i = 0; i < share; i++) {
    if (kind === 'cpu') burn(ms);
    else await sleep(ms);
  }
} else {
  const children = Array.from({ length: procs }, (_, c) =>
    fork(new URL(import.meta.url).pathname, process.argv.slice(2), {
      env: { ...process.env, FLOOR_SHARE: String(share(c)) },
    }),
  );
  await Promise.all(children.map((c) => new Promise((r) => c.on('exit', r))));
}
