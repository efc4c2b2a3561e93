// The CPU floor for bench/isolate.ts: `cores` processes started at once, each spending its share of
// N × ms of its own CPU time, the same loop the tasks run. Usage: node floor.mjs <n> <ms> <cores>
import { fork } from 'node:child_process';

const [n, ms, cores] = process.argv.slice(2).map(Number);
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
if (process.env.FLOOR_SHARE) {
  const share = Number(process.env.FLOOR_SHARE);
  for (let i = 0; i < share; i++) burn(ms);
} else {
  const children = Array.from({ length: cores }, (_, c) =>
    fork(new URL(import.meta.url).pathname, process.argv.slice(2), {
      env: { ...process.env, FLOOR_SHARE: String(Math.floor(n / cores) + (c < n % cores ? 1 : 0)) },
    }),
  );
  await Promise.all(children.map((c) => new Promise((r) => c.on('exit', r))));
}
