// The crash-safety benchmark (issue 10): hundreds of kill-and-rerun iterations of the harness in
// test/runtime/support/crash-harness.ts on the realistic pipeline of test/runtime/fixtures/crash-pipeline,
// each SIGKILLing the real CLI (its process group or its main process) at a seeded random moment.
// Prints every failure as it happens (with the plan that replays it) and, at the end, a Markdown
// table for BENCHMARKS.md: iterations, where the kills landed, failures by kind, time per iteration.
// It builds its own copy of the CLI (the shipped bundle's settings) unless --cli names one.
// Usage: node --import tsx bench/crash-safety.ts [--iterations 300] [--minutes M] [--seed N]
//        [--workers 1,2,4] [--modes group,main] [--cli file] [--replay '<plan JSON printed with a failure>']
// --minutes stops starting iterations after M minutes (the figures cover those that ran).
import { rmSync } from 'node:fs';
import path from 'node:path';
import { buildRuntimeCli } from '../scripts/build.mjs';
import {
  crashIteration,
  describePlan,
  failureReport,
  iterationSeed,
  planFor,
  referenceRun,
  type CrashPlan,
  type FailureKind,
  type IterationResult,
  type KillMode,
} from '../test/runtime/support/crash-harness';
import { arg } from './support/arg';

const repo = path.resolve(__dirname, '..');

function buildCli(): string {
  const outdir = path.join(repo, 'bench/out', `crash-cli-${process.pid}`);
  process.on('exit', () => rmSync(outdir, { recursive: true, force: true }));
  return buildRuntimeCli(outdir);
}

const replay = arg('replay', '');
const replayed = replay ? (JSON.parse(replay) as CrashPlan) : undefined;
const iterations = replayed ? 1 : Number(arg('iterations', '300'));
const seed = Number(arg('seed', String(Math.floor(Math.random() * 2 ** 32))));
const workers = replayed ? [replayed.workers] : arg('workers', '1,2,4').split(',').map(Number);
const modes = arg('modes', 'group,main').split(',') as KillMode[];
const cliArg = arg('cli', '');
const minutes = Number(arg('minutes', 'Infinity'));

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function main(): Promise<number> {
  const cli = cliArg ? path.resolve(cliArg) : buildCli();
  const started = Date.now();
  const reference = await referenceRun(cli, workers);
  const clean = [...reference.msByWorkers]
    .map(([w, ms]) => `${w} workers ${(ms / 1000).toFixed(2)} s`)
    .join(', ');
  console.log(`seed ${seed}; clean runs: ${clean}; ${reference.lifecycleEvents} task events`);

  const results: IterationResult[] = [];
  for (let i = 0; i < iterations && Date.now() - started < minutes * 60_000; i++) {
    const plan = replayed ?? planFor(iterationSeed(seed, i), { workers, modes }, reference.lifecycleEvents);
    const r = await crashIteration(cli, reference, plan);
    results.push(r);
    const mark = r.failures.length > 0 ? 'FAIL' : r.finishedFirst ? 'done before kill' : 'ok';
    process.stderr.write(
      `${i + 1}/${iterations} ${describePlan(plan)}: ${r.killAtMs} ms, ${r.completeAtKill}/${r.tasks} complete, ${r.ms} ms: ${mark}\n`,
    );
    if (r.failures.length > 0)
      console.log(`${failureReport(r)}\n  replay: --replay '${JSON.stringify(plan)}'`);
  }
  printFigures(results, (Date.now() - started) / 1000);
  return results.some((r) => r.failures.length > 0) ? 1 : 0;
}

function printFigures(results: IterationResult[], seconds: number): void {
  const kinds = new Map<FailureKind, number>();
  for (const r of results) for (const f of r.failures) kinds.set(f.kind, (kinds.get(f.kind) ?? 0) + 1);
  const failed = results.filter((r) => r.failures.length > 0).length;
  const killed = results.filter((r) => !r.finishedFirst);
  const killMs = killed.map((r) => r.killAtMs).sort((a, b) => a - b);
  const buckets = [0, 0, 0, 0, 0];
  for (const r of killed) {
    const share = r.completeAtKill / r.tasks;
    buckets[share === 0 ? 0 : share < 0.5 ? 1 : share < 0.9 ? 2 : share < 1 ? 3 : 4]!++;
  }
  const byMode = modes.map((m) => `${results.filter((r) => r.plan.mode === m).length} ${m}`).join(', ');
  const byWorkers = workers
    .map((w) => `${results.filter((r) => r.plan.workers === w).length}×${w}`)
    .join(', ');
  const mean = results.reduce((sum, r) => sum + r.ms, 0) / Math.max(1, results.length) / 1000;
  console.log(`
| | |
|---|---|
| iterations | ${results.length} (${byMode}; workers ${byWorkers}), seed ${seed} |
| killed mid-run | ${killed.length} (${results.length - killed.length} runs ended before their kill was due) |
| kill time after start | p10 ${percentile(killMs, 10)} ms, median ${percentile(killMs, 50)} ms, p90 ${percentile(killMs, 90)} ms, max ${killMs.at(-1) ?? NaN} ms |
| tasks complete at the kill | none ${buckets[0]}, under half ${buckets[1]}, half to 90% ${buckets[2]}, over 90% ${buckets[3]}, all ${buckets[4]} |
| a write in flight at the kill (temp file on disk) | ${results.filter((r) => r.tempsAtKill > 0).length} |
| failed iterations | ${failed}${kinds.size > 0 ? ` (${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')})` : ''} |
| mean time per iteration (kill + checks + rerun) | ${mean.toFixed(2)} s |
| total | ${seconds.toFixed(0)} s |
`);
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(2);
  },
);
