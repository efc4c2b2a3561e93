// The runtime benchmark: generated DAGs (fan-out, chain, layered) of N tasks that each write one
// tiny file, run by the real CLI, first run and all-complete rerun, beside a bare-fs baseline of
// the same N in the same run; also the fresh run with its event stream read live on stdout (as the
// editor does). Prints a Markdown table of wall time, peak memory (and peak RSS per task) and ratios.
// Each figure is the best of --repeat rounds (default 3 up to 10,000 tasks, 2 above), the rounds
// interleaving baseline and plumb, each in a fresh directory: on a shared machine the minimum is
// the figure least disturbed by others.
// It builds its own copy of the CLI (the shipped bundle's settings), so a build running meanwhile
// cannot change what it measures. `--cli <file>` measures another build instead; `--compare <file>`
// also times that build's fresh run in every round (a 'before' build: an A/B in the same run).
// Usage: node --import tsx bench/runtime.ts [--sizes 1000,3000,10000,100000] [--shapes FanOut,Chain,Layered] [--repeat N] [--cli file] [--compare file]
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { buildRuntimeCli } from '../scripts/build.mjs';
import { timedNode, type Timing } from './support/timed-node';
import { loadAverage, moveToTrash } from './support/trash';
import os from 'node:os';
import path from 'node:path';
import { arg } from './support/arg';

const repo = path.resolve(__dirname, '..');
const dags = path.join(repo, 'bench/runtime/dags.ts');
const baseline = path.join(repo, 'bench/runtime/baseline.mjs');

const sizes = arg('sizes', '1000,3000,10000,100000').split(',').map(Number);
const shapes = arg('shapes', 'FanOut,Chain,Layered').split(',');
const PREFIX: Record<string, string> = { FanOut: 'leaf', Chain: 'link', Layered: 'layer' };

// Task outputs go outside the checkout: 100,000 files there would slow everyone's tree walks. The
// runs' working directory (project root: run logs, transpile cache) is there too.
const outRoot = path.join(os.tmpdir(), `plumb-bench-runtime-${Date.now()}`);
mkdirSync(outRoot, { recursive: true });
// Each build runs in its own project root: run logs (which retention reads at every start) and
// transpile cache entries of one are not the other's.
const plumbRoot = path.join(outRoot, 'plumb-root');
const compareRoot = path.join(outRoot, 'compare-root');
for (const root of [plumbRoot, compareRoot]) mkdirSync(root, { recursive: true });

/** The CLI as shipped, built into bench/out (inside the repo, so it finds its external esbuild). */
function buildCli(): string {
  const outdir = path.join(repo, 'bench/out', `runtime-cli-${process.pid}`);
  process.on('exit', () => rmSync(outdir, { recursive: true, force: true }));
  return buildRuntimeCli(outdir);
}
const cliArg = arg('cli', '');
const cli = cliArg ? path.resolve(cliArg) : buildCli();
const compareArg = arg('compare', '');
const compare = compareArg ? path.resolve(compareArg) : undefined;

function timed(args: string[], env: Record<string, string> = {}, cwd = outRoot): Timing {
  return timedNode(args, cwd, env);
}

const best = (runs: Timing[]): Timing => runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
/** The least CPU time of the rounds (others' load inflates wall time far more than CPU time). */
const leastCpu = (runs: Timing[]): number => Math.min(...runs.map((r) => r.cpuSeconds));
const cpu = (seconds: number) => `CPU ${seconds.toFixed(2)} s`;
const repeatArg = arg('repeat', '');

const fmt = (t: Timing) => `${t.seconds.toFixed(2)} s`;
const rows: string[] = [];
const nodeStart = best([1, 2, 3, 4, 5].map(() => timed(['-e', '0'])));
console.log(`node start-up: ${fmt(nodeStart)}`);
// The CLI's own start (`--version`: load and compile, no run), least CPU of 7 interleaved rounds:
// what a code cache or a lighter bundle changes, below the noise of a whole run.
const startCpu: Record<'node' | 'cli' | 'compare', number[]> = { node: [], cli: [], compare: [] };
for (let round = 0; round < 7; round++) {
  startCpu.node.push(timed(['-e', '0']).cpuSeconds);
  startCpu.cli.push(timed([cli, '--version']).cpuSeconds);
  if (compare) startCpu.compare.push(timed([compare, '--version']).cpuSeconds);
}
const ms = (runs: number[]) => `${(Math.min(...runs) * 1000).toFixed(0)} ms`;
const startLine = `start-up CPU (least of 7): node -e 0 ${ms(startCpu.node)}, cli --version ${ms(startCpu.cli)}${compare ? `, --compare --version ${ms(startCpu.compare)}` : ''} (load ${loadAverage()})`;
console.log(startLine);

for (const n of sizes) {
  for (const shape of shapes) {
    const rounds = Number(repeatArg || (n > 10_000 ? 2 : 3));
    const all: Record<'base' | 'first' | 'other' | 'live' | 'baseRerun' | 'rerun' | 'otherRerun', Timing[]> =
      {
        base: [],
        other: [],
        first: [],
        live: [],
        baseRerun: [],
        rerun: [],
        otherRerun: [],
      };
    for (let round = 0; round < rounds; round++) {
      const dir = (kind: string) => path.join(outRoot, `${shape}-${n}-${round}-${kind}`);
      const plumbArgs = [cli, 'run', dags, shape, '--n', String(n), '--workers', '1', '--quiet'];
      all.base.push(timed([baseline, 'fresh', dir('baseline'), PREFIX[shape]!, String(n)]));
      const other = () => {
        if (compare)
          all.other.push(
            timed([compare, ...plumbArgs.slice(1)], { PLUMB_BENCH_OUT: dir('compare') }, compareRoot),
          );
      };
      // The A/B pair swaps order every round, so neither build always runs second.
      if (round % 2 === 1) other();
      all.first.push(timed(plumbArgs, { PLUMB_BENCH_OUT: dir('plumb') }, plumbRoot));
      if (round % 2 === 0) other();
      all.live.push(
        timed([...plumbArgs, '--events', 'jsonl'], { PLUMB_BENCH_OUT: dir('plumb-events') }, plumbRoot),
      );
      all.baseRerun.push(timed([baseline, 'rerun', dir('baseline'), PREFIX[shape]!, String(n)]));
      // --compare's all-complete rerun too, beside plumb's, the pair's order swapped every round.
      const otherRerun = () => {
        if (compare)
          all.otherRerun.push(
            timed([compare, ...plumbArgs.slice(1)], { PLUMB_BENCH_OUT: dir('compare') }, compareRoot),
          );
      };
      if (round % 2 === 1) otherRerun();
      all.rerun.push(timed(plumbArgs, { PLUMB_BENCH_OUT: dir('plumb') }, plumbRoot));
      if (round % 2 === 0) otherRerun();
    }
    const [base, first, live, baseRerun, rerun] = [
      best(all.base),
      best(all.first),
      best(all.live),
      best(all.baseRerun),
      best(all.rerun),
    ];
    const row = [
      shape,
      n.toLocaleString('en'),
      `${fmt(base)} (${cpu(leastCpu(all.base))})`,
      `${fmt(first)} (${cpu(leastCpu(all.first))})`,
      `${(first.seconds / base.seconds).toFixed(2)}× (CPU ${(leastCpu(all.first) / leastCpu(all.base)).toFixed(2)}×)`,
      `${(first.seconds - base.seconds).toFixed(2)} s`,
      `${(((first.seconds - nodeStart.seconds) * 1e6) / n).toFixed(0)} µs`,
      `${first.peakMb.toFixed(0)} MB`,
      `${((first.peakMb * 1024) / n).toFixed(2)} KB`,
      `${fmt(live)} (${(live.seconds / base.seconds).toFixed(2)}×)`,
      fmt(baseRerun),
      fmt(rerun),
      `${((rerun.seconds - nodeStart.seconds) * 1000).toFixed(0)} ms (CPU ${rerun.cpuSeconds.toFixed(2)} s)`,
      `${rerun.peakMb.toFixed(0)} MB`,
      loadAverage(),
    ];
    if (compare) {
      const other = best(all.other);
      row.push(
        `${fmt(other)} (${(other.seconds / base.seconds).toFixed(2)}×, ${cpu(leastCpu(all.other))} = ${(leastCpu(all.other) / leastCpu(all.base)).toFixed(2)}× the baseline's, overhead ${(other.seconds - base.seconds).toFixed(2)} s, peak ${other.peakMb.toFixed(0)} MB)`,
        `${(first.seconds / other.seconds).toFixed(2)}× (CPU ${(leastCpu(all.first) / leastCpu(all.other)).toFixed(2)}×)`,
      );
      const otherRerun = best(all.otherRerun);
      row.push(
        `${((otherRerun.seconds - nodeStart.seconds) * 1000).toFixed(0)} ms (CPU ${otherRerun.cpuSeconds.toFixed(2)} s)`,
      );
    }
    rows.push(`| ${row.join(' | ')} |`);
    console.log(rows.at(-1));
  }
}

const table = [
  startLine,
  '',
  `${compare ? `--compare ${path.relative(repo, compare)}; ` : ''}node start-up ${fmt(nodeStart)}; best of ${repeatArg || '3 (2 above 10,000 tasks)'} rounds; baseline = bare fs (existsSync + temp write + rename, sync), same N, same run.`,
  '',
  'overhead = plumb fresh − baseline fresh (start-up, discovery, scheduling, events); cost/task = (plumb fresh − node start-up) / N; CPU = the least CPU time (all threads) of the rounds.',
  '',
  `| shape | tasks | baseline fresh | plumb fresh | ratio | overhead | cost/task | peak | peak RSS/task | plumb fresh, events on stdout | baseline rerun | plumb rerun | rerun − node start | peak | load |${compare ? ' --compare fresh | plumb ÷ --compare | --compare rerun − node start |' : ''}`,
  `| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |${compare ? ' ---: | ---: | ---: |' : ''}`,
  ...rows,
].join('\n');
mkdirSync(path.join(repo, 'bench/out'), { recursive: true });
writeFileSync(path.join(repo, 'bench/out/runtime-results.md'), `${table}\n`);
console.log(`\n${table}`);
// Outputs leave only now, after every timed run (fresh directories avoid the inode trap), and
// through the trash: deleting ~1.8 million files in one burst would slow the next benchmark 2.5–3×.
moveToTrash(outRoot);
