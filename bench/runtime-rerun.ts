// The all-complete (no-op) rerun at N tasks, A/B: N outputs written once, then each CLI given
// reruns them, interleaved round by round (order rotated), beside Node's start and the bare
// existsSync rerun (bench/runtime/baseline.mjs). Prints wall, CPU (all threads) and the main
// thread's CPU (min and median), and the load. Outputs stay (no deletion: see the inode trap in
// PERFORMANCE.md); pass --out to reuse them.
// Usage: node --import tsx bench/runtime-rerun.ts --clis a/cli.js,b/cli.js [--n 100000] [--rounds 7] [--spread] [--out dir]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { arg } from './support/arg';

const repo = path.resolve(__dirname, '..');
const preloads = ['bench/runtime/peak-rss.cjs', 'bench/runtime/main-thread-cpu.cjs'].flatMap((f) => [
  '-r',
  path.join(repo, f),
]);
const baseline = path.join(repo, 'bench/runtime/baseline.mjs');
const n = Number(arg('n', '100000'));
const rounds = Number(arg('rounds', '7'));
/** Leaves 50 to a folder: the threads' case, not the listing's (no bare floor for that layout). */
const spread = process.argv.includes('--spread');
const dags = path.join(repo, spread ? 'bench/runtime/spread-dags.ts' : 'bench/runtime/dags.ts');
const clis = arg('clis', '')
  .split(',')
  .filter(Boolean)
  .map((c) => path.resolve(c));
const outRoot = path.resolve(
  arg('out', path.join(os.tmpdir(), `plumb-bench-rerun-${spread ? 'spread-' : ''}${n}`)),
);
const dir = path.join(outRoot, 'out');

interface Timing {
  seconds: number;
  cpu: number;
  main: number;
  peakMb: number;
}

function timed(args: string[]): Timing {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [...preloads, ...args], {
    encoding: 'utf8',
    cwd: outRoot,
    env: { ...process.env, NO_COLOR: '1', PLUMB_BENCH_OUT: dir },
    maxBuffer: 1 << 28,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}:\n${r.stderr.slice(-2000)}`);
  const figure = (name: string) => Number(new RegExp(`@@${name} (\\d+)`).exec(r.stderr)?.[1] ?? NaN);
  return {
    seconds,
    cpu: figure('cpu-us') / 1e6,
    main: figure('main-cpu-ms') / 1e3,
    peakMb: figure('peak-rss-kb') / 1024,
  };
}

const plumbRun = (cli: string) => () =>
  timed([cli, 'run', dags, 'FanOut', '--n', String(n), '--workers', '1', '--quiet']);
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
mkdirSync(outRoot, { recursive: true });
if (!existsSync(dir)) {
  // The outputs, once: the first CLI's fresh run (a rerun of a layout the floor does not write).
  console.log(`writing ${n} outputs into ${dir}`);
  if (spread) plumbRun(clis[0]!)();
  else timed([baseline, 'fresh', dir, 'leaf', String(n)]);
}
const loadBefore = load();
const jobs: [string, () => Timing][] = [['node -e 0', () => timed(['-e', '0'])]];
if (!spread) jobs.push(['existsSync floor', () => timed([baseline, 'rerun', dir, 'leaf', String(n)])]);
for (const cli of clis) jobs.push([path.relative(repo, cli), plumbRun(cli)]);
for (const [, job] of jobs) job(); // warm-up: page cache, code cache
const runs: Timing[][] = jobs.map(() => []);
for (let round = 0; round < rounds; round++)
  for (let k = 0; k < jobs.length; k++) {
    const j = (k + round) % jobs.length;
    runs[j]!.push(jobs[j]![1]());
  }

const min = (xs: number[]) => Math.min(...xs);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const node = runs[0]!.map((t) => t.seconds);
console.log(
  `${n.toLocaleString('en')} tasks${spread ? ', 50 a folder' : ''}, ${rounds} rounds, load ${loadBefore} → ${load()}`,
);
console.log(
  '| run | wall min / median | − node start, min / median | CPU min / median | main thread CPU min / median | peak |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
jobs.forEach(([name], j) => {
  const w = runs[j]!.map((t) => t.seconds);
  const ms = (s: number) => `${(s * 1000).toFixed(0)} ms`;
  const s = (x: number) => `${x.toFixed(2)} s`;
  console.log(
    `| ${name} | ${s(min(w))} / ${s(median(w))} | ${j === 0 ? '' : `${ms(min(w) - min(node))} / ${ms(median(w) - median(node))}`} | ${s(min(runs[j]!.map((t) => t.cpu)))} / ${s(median(runs[j]!.map((t) => t.cpu)))} | ${s(min(runs[j]!.map((t) => t.main)))} / ${s(median(runs[j]!.map((t) => t.main)))} | ${Math.max(...runs[j]!.map((t) => t.peakMb)).toFixed(0)} MB |`,
  );
});
