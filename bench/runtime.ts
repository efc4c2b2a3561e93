// The runtime benchmark: generated DAGs (fan-out, chain, layered) of N tasks that each write one
// tiny file, run by the real CLI, first run and all-complete rerun, beside a bare-fs baseline of
// the same N in the same run. Prints a Markdown table of wall time, peak memory and ratios.
// Usage: npm run build && node --import tsx bench/runtime.ts [--sizes 1000,3000,10000,100000] [--shapes FanOut,Chain,Layered]
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const repo = path.resolve(__dirname, '..');
const cli = path.join(repo, 'dist/runtime/cli.js');
const dags = path.join(repo, 'bench/runtime/dags.ts');
const preload = path.join(repo, 'bench/runtime/peak-rss.cjs');
const baseline = path.join(repo, 'bench/runtime/baseline.mjs');

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const sizes = arg('sizes', '1000,3000,10000,100000').split(',').map(Number);
const shapes = arg('shapes', 'FanOut,Chain,Layered').split(',');
const PREFIX: Record<string, string> = { FanOut: 'leaf', Chain: 'link', Layered: 'layer' };

const outRoot = path.join(repo, 'bench/out', `runtime-${Date.now()}`);

interface Timing {
  seconds: number;
  peakMb: number;
}

function timed(args: string[], env: Record<string, string> = {}): Timing {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-r', preload, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
    maxBuffer: 1 << 28,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}:\n${r.stderr.slice(-2000)}`);
  const kb = Number(/@@peak-rss-kb (\d+)/.exec(r.stderr)?.[1] ?? NaN);
  return { seconds, peakMb: kb / 1024 };
}

const fmt = (t: Timing) => `${t.seconds.toFixed(2)} s`;
const rows: string[] = [];
const nodeStart = timed(['-e', '0']);
console.log(`node start-up: ${fmt(nodeStart)}`);

for (const n of sizes) {
  for (const shape of shapes) {
    const dir = (kind: string) => path.join(outRoot, `${shape}-${n}-${kind}`);
    const base = timed([baseline, 'fresh', dir('baseline'), PREFIX[shape]!, String(n)]);
    const plumbArgs = [cli, 'run', dags, shape, '--n', String(n), '--workers', '1', '--quiet'];
    const first = timed(plumbArgs, { PLUMB_BENCH_OUT: dir('plumb') });
    const baseRerun = timed([baseline, 'rerun', dir('baseline'), PREFIX[shape]!, String(n)]);
    const rerun = timed(plumbArgs, { PLUMB_BENCH_OUT: dir('plumb') });
    const row = [
      shape,
      n.toLocaleString('en'),
      fmt(base),
      fmt(first),
      `${(first.seconds / base.seconds).toFixed(2)}×`,
      `${first.peakMb.toFixed(0)} MB`,
      fmt(baseRerun),
      fmt(rerun),
      `${((rerun.seconds - nodeStart.seconds) * 1000).toFixed(0)} ms`,
      `${rerun.peakMb.toFixed(0)} MB`,
    ];
    rows.push(`| ${row.join(' | ')} |`);
    console.log(rows.at(-1));
  }
}

const table = [
  `node start-up ${fmt(nodeStart)}; baseline = bare fs (existsSync + temp write + rename, sync), same N, same run.`,
  '',
  '| shape | tasks | baseline fresh | plumb fresh | ratio | peak | baseline rerun | plumb rerun | rerun − node start | peak |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows,
].join('\n');
mkdirSync(path.join(repo, 'bench/out'), { recursive: true });
writeFileSync(path.join(repo, 'bench/out/runtime-results.md'), `${table}\n`);
console.log(`\n${table}`);
// Outputs are deleted only now, after every timed run (fresh directories avoid the inode trap).
rmSync(outRoot, { recursive: true, force: true });
