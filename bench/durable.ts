// The durable-mode benchmark (issue 16): `plumb run --durable` on a fan-out of N tiny outputs with
// 1, 8 and 64 workers, beside the durable floor (bare Node fs with the same guarantee: write, fsync
// of the data, rename, fsync of the directory; synchronous, and with 64 in flight through
// fs/promises, each output syncing the directory itself or sharing directory syncs as plumb does:
// the same files in the same directory, as many in flight as plumb lets commit at once) and plumb
// without --durable, all in the same rounds (order rotated each round, each run in a fresh
// directory, best and median of --repeat). `--before <commit>` also times a CLI built from that
// commit's runtime/src (an A/B in the same rounds). The load average is recorded beside each row.
// Usage: node --import tsx bench/durable.ts [--n 1000] [--repeat 3] [--before <commit>]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildRuntimeCli, buildRuntimeCliFrom } from '../scripts/build.mjs';
import { loadAverage, moveToTrash } from './support/trash';
import { arg } from './support/arg';

const repo = path.resolve(__dirname, '..');
const dags = path.join(repo, 'bench/runtime/dags.ts');
const floor = path.join(repo, 'bench/durable/floor.mjs');
const n = Number(arg('n', '1000'));
const rounds = Number(arg('repeat', '3'));
const before = arg('before', '');

const outRoot = path.join(os.tmpdir(), `plumb-bench-durable-${Date.now()}`);
mkdirSync(outRoot, { recursive: true });
const outdir = path.join(repo, 'bench/out', `durable-cli-${process.pid}`);
process.on('exit', () => {
  rmSync(outdir, { recursive: true, force: true });
  moveToTrash(outRoot);
});
const cli = buildRuntimeCli(outdir);

/** The CLI as built from `commit`'s runtime/src (inside the repo, so its packages resolve). */
function buildBefore(commit: string): string {
  const src = path.join(outdir, 'before');
  mkdirSync(src, { recursive: true });
  execFileSync('sh', ['-c', `git archive ${commit} runtime/src | tar -x -C ${JSON.stringify(src)}`], {
    cwd: repo,
  });
  return buildRuntimeCliFrom(src, path.join(src, 'dist'));
}
const beforeCli = before ? buildBefore(before) : undefined;

let runNo = 0;
function timed(args: string[]): number {
  const out = path.join(outRoot, `run-${runNo++}`);
  const started = process.hrtime.bigint();
  const r = spawnSync(
    process.execPath,
    args.map((a) => (a === '$OUT' ? out : a)),
    {
      encoding: 'utf8',
      cwd: outRoot,
      env: { ...process.env, NO_COLOR: '1', PLUMB_BENCH_OUT: out },
    },
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}:\n${r.stderr.slice(-2000)}`);
  return seconds;
}

const plumb = (build: string, workers: number, durable = true) => [
  build,
  'run',
  dags,
  'FanOut',
  '--n',
  String(n),
  '--workers',
  String(workers),
  '--quiet',
  ...(durable ? ['--durable'] : []),
];
const sides: [string, string[]][] = [
  ['floor, sync fsyncs', [floor, 'sync', '$OUT', String(n)]],
  ['floor, fs/promises, 64 in flight', [floor, 'concurrent', '$OUT', String(n), '64']],
  ['floor, 64 in flight, directory syncs shared', [floor, 'batched', '$OUT', String(n), '64']],
  ['plumb --durable --workers 1', plumb(cli, 1)],
  ['plumb --durable --workers 8', plumb(cli, 8)],
  ['plumb --durable --workers 64', plumb(cli, 64)],
  ['plumb (not durable) --workers 1', plumb(cli, 1, false)],
  ...(beforeCli
    ? ([
        [`before (${before.slice(0, 7)}) --durable --workers 8`, plumb(beforeCli, 8)],
        [`before (${before.slice(0, 7)}) --durable --workers 1`, plumb(beforeCli, 1)],
      ] as [string, string[]][])
    : []),
];
const times = new Map<string, number[]>(sides.map(([name]) => [name, []]));
const loads: string[] = [];
for (let round = 0; round < rounds; round++) {
  for (let k = 0; k < sides.length; k++) {
    const [name, args] = sides[(k + round) % sides.length]!;
    times.get(name)!.push(timed(args));
  }
  loads.push(loadAverage());
  console.log(`round ${round + 1}: load ${loads.at(-1)}`);
}
const best = (name: string) => Math.min(...times.get(name)!);
/** On a loaded machine the best run is luck as much as cost: the median is printed beside it. */
const median = (name: string) => {
  const sorted = [...times.get(name)!].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const floorC = best('floor, fs/promises, 64 in flight');
const floorS = best('floor, sync fsyncs');
const floorShared = 'floor, 64 in flight, directory syncs shared';
const floorB = best(floorShared);
const lines = [
  `node --import tsx bench/durable.ts --n ${n} --repeat ${rounds}${before ? ` --before ${before}` : ''}; best of ${rounds} rotated rounds; load ${loads.join(', ')}`,
  '',
  '| side | best | ÷ concurrent floor | ÷ floor, syncs shared | ÷ sync floor | median | median ÷ median of floor, syncs shared |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...sides.map(
    ([name]) =>
      `| ${name} | ${best(name).toFixed(2)} s | ${(best(name) / floorC).toFixed(2)}× | ${(best(name) / floorB).toFixed(2)}× | ${(best(name) / floorS).toFixed(2)}× | ${median(name).toFixed(2)} s | ${(median(name) / median(floorShared)).toFixed(2)}× |`,
  ),
];
console.log(`\n${lines.join('\n')}`);
