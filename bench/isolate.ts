// The isolated-task benchmark (issue 16): per-attempt overhead of an isolated task, CPU-bound tasks
// spread over the cores, and isolated async sleepers, each beside its baseline in the same round:
// the same tasks in process, the same work as bare processes (the CPU floor) or, for sleepers, bare
// processes and bare worker threads (the floors of a process pool and of a thread pool), and a fresh
// process per attempt (PLUMB_ISOLATE_RECYCLE_AFTER=1, what isolation cost before the pool); sleepers
// also sharing members (`static isolateShare = 8`, `--shared`).
// The machine's load average is recorded beside each figure: on a shared machine, read the ratios.
// `--before <commit>` also runs each pooled row with the CLI built from this tree with the runtime
// files changed since <commit> put back as they were there (the change alone, side by side);
// `--paths` narrows those files to git pathspecs (comma-separated; others' changes stay in both).
// Usage: node --import tsx bench/isolate.ts [--n 200] [--ms 50] [--sleepers-workers 8] [--repeat 1]
//        [--skip-fresh] [--before <commit> [--paths runtime/src/cli-isolate*,…]]
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildRuntimeCli, buildRuntimeCliFrom } from '../scripts/build.mjs';
import { moveToTrash } from './support/trash';
import { parseEventLine, type RunEvent } from '../runtime/src/events';
import { arg } from './support/arg';

const repo = path.resolve(__dirname, '..');
const pipeline = path.join(repo, 'bench/isolate/pipeline.ts');
const floorScript = path.join(repo, 'bench/isolate/floor.mjs');
const n = Number(arg('n', '200'));
const ms = Number(arg('ms', '50'));
const sleepersWorkers = Number(arg('sleepers-workers', '8'));
const rounds = Number(arg('repeat', '1'));
const skipFresh = process.argv.includes('--skip-fresh');
const before = arg('before', '');
const beforePaths = arg('paths', 'runtime/src').split(',');
const cores = os.availableParallelism();

const outRoot = path.join(os.tmpdir(), `plumb-bench-isolate-${Date.now()}`);
mkdirSync(outRoot, { recursive: true });
const outdir = path.join(repo, 'bench/out', `isolate-cli-${process.pid}`);
process.on('exit', () => {
  rmSync(outdir, { recursive: true, force: true });
  moveToTrash(outRoot);
});
const cli = buildRuntimeCli(outdir);

/**
 * This tree's runtime with the files changed since `commit` as they were there (inside the repo, so
 * its packages resolve); built as shipped (cli.js, and cli-member.js where those sources have it).
 */
function buildBefore(commit: string): { cli: string; files: string[] } {
  const src = path.join(outdir, 'before');
  cpSync(path.join(repo, 'runtime/src'), path.join(src, 'runtime/src'), { recursive: true });
  // Quiet: a file added since `commit` makes `git show` fail, which only means it was absent then.
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const files = git('diff', '--name-only', commit, 'HEAD', '--', ...beforePaths)
    .split('\n')
    .filter(Boolean);
  for (const file of files) {
    const at = path.join(src, file);
    let old: string | undefined;
    try {
      old = git('show', `${commit}:${file}`);
    } catch {
      /* added since: absent before */
    }
    if (old === undefined) rmSync(at, { force: true });
    else writeFileSync(at, old);
  }
  return { cli: buildRuntimeCliFrom(src, path.join(src, 'dist')), files };
}
const beforeBuild = before ? buildBefore(before) : undefined;
if (beforeBuild) console.log(`--before ${before}: put back ${beforeBuild.files.join(', ') || 'nothing'}`);

interface Timing {
  seconds: number;
  load: number;
  events: RunEvent[];
}

let runNo = 0;
function timed(args: string[], env: Record<string, string> = {}): Timing {
  const load = os.loadavg()[0]!;
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    cwd: outRoot,
    env: { ...process.env, NO_COLOR: '1', PLUMB_BENCH_OUT: path.join(outRoot, `run-${runNo++}`), ...env },
    maxBuffer: 1 << 28,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}:\n${r.stderr.slice(-2000)}`);
  const events = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => parseEventLine(l) as RunEvent);
  return { seconds, load, events };
}

const plumb = (
  kind: string,
  isolated: boolean,
  workers: number,
  env: Record<string, string> = {},
  build = cli,
  extra: string[] = [],
) =>
  timed(
    [
      build,
      'run',
      pipeline,
      'Batch',
      '--kind',
      kind,
      '--n',
      String(n),
      '--ms',
      String(ms),
      `--isolated=${isolated}`,
      '--workers',
      String(workers),
      ...extra,
      '--events',
      'jsonl',
    ],
    env,
  );

/** Median wall time of one attempt, task-running to task-done (the run's own clock, ms). */
function medianAttemptMs(events: RunEvent[]): number {
  const start = new Map<string, number>();
  const d: number[] = [];
  for (const e of events) {
    if (e.type === 'task-running') start.set(e.taskId, e.time);
    else if (e.type === 'task-done' && start.has(e.taskId)) d.push(e.time - start.get(e.taskId)!);
  }
  d.sort((a, b) => a - b);
  return d[Math.floor(d.length / 2)] ?? NaN;
}

const s = (t: Timing) => `${t.seconds.toFixed(2)} s (load ${t.load.toFixed(1)})`;
const lines: string[] = [];
const say = (line: string) => {
  lines.push(line);
  console.log(line);
};

for (let round = 0; round < rounds; round++) {
  say(`### round ${round + 1}: n = ${n}, ${ms} ms per task, ${cores} cores, node ${process.version}`);
  // 1. Per-attempt overhead: trivial tasks, one at a time.
  const inNoop = plumb('noop', false, 1);
  const isoNoop = plumb('noop', true, 1);
  const freshNoop = skipFresh ? undefined : plumb('noop', true, 1, { PLUMB_ISOLATE_RECYCLE_AFTER: '1' });
  const beforeNoop = beforeBuild && plumb('noop', true, 1, {}, beforeBuild.cli);
  const mIn = medianAttemptMs(inNoop.events);
  const mIso = medianAttemptMs(isoNoop.events);
  const perTask = (t: Timing) => ((t.seconds - inNoop.seconds) * 1000) / n;
  say(
    `| per-attempt overhead, ${n} trivial tasks, --workers 1 | in process ${s(inNoop)}, median attempt ${mIn} ms | pooled ${s(isoNoop)}, median attempt ${mIso} ms → overhead ${(mIso - mIn).toFixed(1)} ms median, ${perTask(isoNoop).toFixed(1)} ms/task whole-run | ${beforeNoop ? `before: pooled ${s(beforeNoop)}, median attempt ${medianAttemptMs(beforeNoop.events)} ms, ${perTask(beforeNoop).toFixed(1)} ms/task whole-run` : '–'} | ${freshNoop ? `fresh process per attempt ${s(freshNoop)}, median attempt ${medianAttemptMs(freshNoop.events)} ms` : '–'} |`,
  );
  // 2. CPU-bound tasks on the cores.
  const floor = timed([floorScript, String(n), String(ms), String(cores)]);
  const isoCpu = plumb('cpu', true, cores);
  const inCpu = plumb('cpu', false, cores);
  const beforeCpu = beforeBuild && plumb('cpu', true, cores, {}, beforeBuild.cli);
  // The same without recycling within the run: what replacing a member after 100 attempts costs.
  const keptCpu = plumb('cpu', true, cores, { PLUMB_ISOLATE_RECYCLE_AFTER: String(n + 1) });
  const ideal = (n * ms) / 1000 / cores;
  say(
    `| ${n} × ${ms} ms CPU, --workers ${cores} | ideal ${ideal.toFixed(2)} s; bare-process floor ${s(floor)} | pooled ${s(isoCpu)} = ${(isoCpu.seconds / ideal).toFixed(2)}× ideal, ${(isoCpu.seconds / floor.seconds).toFixed(2)}× floor | ${beforeCpu ? `before: pooled ${s(beforeCpu)} = ${(beforeCpu.seconds / ideal).toFixed(2)}× ideal, ${(beforeCpu.seconds / floor.seconds).toFixed(2)}× floor` : '–'} | in process ${s(inCpu)} = ${(inCpu.seconds / ideal).toFixed(2)}× ideal | pooled, never recycled ${s(keptCpu)} = ${(keptCpu.seconds / ideal).toFixed(2)}× ideal |`,
  );
  // 3. Async sleepers: isolated vs in process, and the floor of one bare process per worker.
  const inSleep = plumb('sleep', false, sleepersWorkers);
  const sleepFloor = timed([floorScript, String(n), String(ms), String(sleepersWorkers), 'sleep']);
  // The same in worker threads: what a pool of threads (the issue's other way) could not beat.
  const threadFloor = timed([floorScript, String(n), String(ms), String(sleepersWorkers), 'sleep-threads']);
  const isoSleep = plumb('sleep', true, sleepersWorkers);
  // The same sharing members (`static isolateShare = 8`: tasks that only wait).
  const sharedSleep = plumb('sleep', true, sleepersWorkers, {}, cli, ['--shared']);
  const beforeSleep = beforeBuild && plumb('sleep', true, sleepersWorkers, {}, beforeBuild.cli);
  const vsIn = (t: Timing) => `${(t.seconds / inSleep.seconds).toFixed(2)}× in process`;
  const sleepIdeal = (n * ms) / 1000 / sleepersWorkers;
  const poolFloor = (t: Timing) => ((t.seconds + inSleep.seconds - sleepIdeal) / inSleep.seconds).toFixed(2);
  say(
    `| ${n} async sleepers of ${ms} ms, --workers ${sleepersWorkers} | in process ${s(inSleep)}; bare-process floor (${sleepersWorkers} plain Node processes sleeping in turn) ${s(sleepFloor)}, ideal ${((n * ms) / 1000 / sleepersWorkers).toFixed(2)} s | pooled ${s(isoSleep)} = ${vsIn(isoSleep)}; shared members (isolateShare 8) ${s(sharedSleep)} = ${vsIn(sharedSleep)} | ${beforeSleep ? `before: pooled ${s(beforeSleep)} = ${vsIn(beforeSleep)}` : '–'} | a pool's floor (in process + the bare processes' start-ups): ${poolFloor(sleepFloor)}× in process; a thread pool's (${sleepersWorkers} bare worker threads, ${s(threadFloor)}): ${poolFloor(threadFloor)}× |`,
  );
}
console.log('\n' + lines.join('\n'));
