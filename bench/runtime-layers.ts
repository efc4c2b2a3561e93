// Where a fan-out's time above the file-system floor goes, layer by layer, side by side in one run:
//   node      `node -e 0`: the process alone
//   floor     bench/runtime/baseline.mjs: existsSync + temp write + rename per task, bare Node
//   core      the library's Task and LocalTarget, no scheduler (bench/runtime/layer.mjs core)
//   library   runTasks(): discovery, graph, scheduler, event objects, summary (… library)
//   lines     the same with every event's JSON text built (… lines)
//   cli       `plumb run dags.ts FanOut --n N --workers 1 --quiet`: start-up, transpile cache, lock,
//             run log, reporter: what bench/runtime.ts times
// Rounds interleave the layers (their order rotating), each run in a fresh output folder; the table
// gives the best and median wall time, the least CPU time, and what each layer adds to the one below.
// Usage: node --import tsx bench/runtime-layers.ts [--n 3000] [--repeat 9] [--dist runtime/dist]
//   [--compare <another dist>]: the library and CLI layers of a second build in the same rounds.
//   [--node-flags "<flags>"]: one more row, the first build's CLI run by `node <flags>` (a Node or V8
//   setting a user can give through NODE_OPTIONS).
// `--dist` is a runtime build (entry.cjs, index.js, cli.js): copied first, so a build meanwhile
// cannot change what is measured. Set TMPDIR=/dev/shm to take the disk's state out of the figures.
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { timedNode, type Timing } from './support/timed-node';
import { loadAverage, moveToTrash } from './support/trash';
import os from 'node:os';
import path from 'node:path';
import { arg } from './support/arg';

const repo = path.resolve(__dirname, '..');
const n = Number(arg('n', '3000'));
const repeat = Number(arg('repeat', '9'));
const baseline = path.join(repo, 'bench/runtime/baseline.mjs');
const layerScript = path.join(repo, 'bench/runtime/layer.mjs');
const dags = path.join(repo, 'bench/runtime/dags.ts');

/** A copy of a runtime build inside the repository (so the CLI finds its external esbuild). */
function copyOf(dist: string, name: string): string {
  const from = path.resolve(dist);
  if (!existsSync(path.join(from, 'entry.cjs')) || !existsSync(path.join(from, 'cli.js')))
    throw new Error(`${from} is not a runtime build (no entry.cjs or cli.js): run \`npm run build\` first`);
  const to = path.join(repo, 'bench/out', `layers-${process.pid}-${name}`);
  cpSync(from, to, { recursive: true });
  process.on('exit', () => rmSync(to, { recursive: true, force: true }));
  return to;
}
const builds = [{ name: 'dist', dir: copyOf(arg('dist', 'runtime/dist'), 'dist') }];
const compareArg = arg('compare', '');
if (compareArg) builds.push({ name: 'compare', dir: copyOf(compareArg, 'compare') });

const nodeFlags = arg('node-flags', '').split(' ').filter(Boolean);

const outRoot = path.join(os.tmpdir(), `plumb-bench-layers-${Date.now()}`);
mkdirSync(outRoot, { recursive: true });

function timed(args: string[], env: Record<string, string> = {}, cwd = outRoot): Timing {
  return timedNode(args, cwd, env);
}

interface Layer {
  label: string;
  run: (dir: string) => Timing;
}
const layers: Layer[] = [
  { label: 'node', run: () => timed(['-e', '0']) },
  { label: 'floor', run: (dir) => timed([baseline, 'fresh', dir, 'leaf', String(n)]) },
];
for (const build of builds) {
  const suffix = builds.length > 1 ? ` (${build.name})` : '';
  // Each build's CLI runs in its own project root: run logs and transpile cache entries stay apart.
  const root = path.join(outRoot, `root-${build.name}`);
  mkdirSync(root, { recursive: true });
  for (const layer of ['core', 'library', 'lines'])
    layers.push({
      label: `${layer}${suffix}`,
      run: (dir) => timed([layerScript, build.dir, layer, dir, String(n)]),
    });
  const cliRun = (flags: string[]) => (dir: string) =>
    timed(
      [
        ...flags,
        path.join(build.dir, 'cli.js'),
        'run',
        dags,
        'FanOut',
        '--n',
        String(n),
        '--workers',
        '1',
        '--quiet',
      ],
      { PLUMB_BENCH_OUT: dir },
      root,
    );
  layers.push({ label: `cli${suffix}`, run: cliRun([]) });
  if (nodeFlags.length > 0 && build === builds[0])
    layers.push({ label: `cli${suffix}, node ${nodeFlags.join(' ')}`, run: cliRun(nodeFlags) });
}

// One untimed pass first: the CLI's transpile cache and code cache exist, as on any run but the first.
layers.forEach((layer, i) => layer.run(path.join(outRoot, `warm-${i}`)));
const runs = layers.map(() => [] as Timing[]);
const loads: string[] = [loadAverage()];
for (let round = 0; round < repeat; round++) {
  for (let k = 0; k < layers.length; k++) {
    const i = (k + round) % layers.length;
    runs[i]!.push(layers[i]!.run(path.join(outRoot, `r${round}-${i}`)));
  }
  loads.push(loadAverage());
}

const ms = (s: number) => `${(s * 1000).toFixed(0)} ms`;
const signed = (s: number) => `${s < 0 ? '−' : '+'}${ms(Math.abs(s))}`;
const least = (xs: number[]) => Math.min(...xs);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const wall = runs.map((r) => r.map((t) => t.seconds));
const cpu = runs.map((r) => r.map((t) => t.cpuSeconds));
const floor = { best: least(wall[1]!), median: median(wall[1]!) };
const rows = layers.map((layer, i) => {
  // Each build's core is measured against the floor; its next layers against the one below them.
  const below = i <= 1 ? undefined : layer.label.startsWith('core') ? 1 : i - 1;
  const added = (f: (xs: number[]) => number) =>
    below === undefined ? '' : signed(f(wall[i]!) - f(wall[below]!));
  const ratio =
    i === 0
      ? ''
      : `${(least(wall[i]!) / floor.best).toFixed(2)}× / ${(median(wall[i]!) / floor.median).toFixed(2)}×`;
  return `| ${layer.label} | ${ms(least(wall[i]!))} | ${ms(median(wall[i]!))} | ${ms(least(cpu[i]!))} | ${added(least)} / ${added(median)} | ${ratio} |`;
});
console.log(
  [
    `${n.toLocaleString('en')}-task fan-out, ${repeat} interleaved rounds, outputs in ${os.tmpdir()}, load ${loads[0]}–${loads.at(-1)} (1-minute average, start–end)`,
    '',
    '| layer | best | median | least CPU | adds to the layer below (best / median) | ÷ floor (best / median) |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n'),
);
moveToTrash(outRoot);
