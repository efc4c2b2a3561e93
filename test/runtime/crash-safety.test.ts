// Crash safety (issue 10): the real CLI, SIGKILLed at seeded random moments of a realistic pipeline,
// then rerun: outputs byte-identical to a clean run, no stray file, no complete task run again, no
// process left behind. A few iterations here; bench/crash-safety.ts runs hundreds.
// Replay a failure with the seed it prints: PLUMB_CRASH_SEED=<seed> node scripts/run-tests.mjs test/runtime/crash-safety
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { cli } from './support/cli';
import {
  crashIteration,
  describePlan,
  failureReport,
  freshCopy,
  iterationSeed,
  planFor,
  referenceRun,
  type IterationResult,
  type KillMode,
  type Reference,
} from './support/crash-harness';
import { completeTasks, diffTrees, readTree, torn } from './support/crash-tree';

const WORKERS = 3;
const ITERATIONS = 3;
const seed = Number(process.env.PLUMB_CRASH_SEED ?? Math.floor(Math.random() * 2 ** 32));
let reference: Reference;

before(async () => {
  reference = await referenceRun(cli(), [WORKERS]);
});

/** ITERATIONS kills, one in each third of the run (start-up and early tasks, the middle, the end). */
async function iterations(
  t: { diagnostic(message: string): void },
  mode: KillMode,
  salt: number,
): Promise<IterationResult[]> {
  const results: IterationResult[] = [];
  for (let index = 0; index < ITERATIONS; index++) {
    const plan = planFor(
      iterationSeed(seed + salt, index),
      { workers: [WORKERS], modes: [mode] },
      reference.lifecycleEvents,
      { index, of: ITERATIONS },
    );
    const result = await crashIteration(cli(), reference, plan);
    t.diagnostic(
      `${describePlan(plan)}: killed at ${result.killAtMs} ms with ${result.completeAtKill}/${result.tasks} tasks complete, ${result.tempsAtKill} temp files; ${result.ms} ms`,
    );
    results.push(result);
  }
  const failures = results.filter((r) => r.failures.length > 0).map(failureReport);
  assert.deepEqual(failures, [], `PLUMB_CRASH_SEED=${seed}\n${failures.join('\n')}`);
  // Not vacuous: at least one kill landed while work was left to do.
  assert.ok(
    results.some((r) => !r.finishedFirst && r.completeAtKill < r.tasks),
    `PLUMB_CRASH_SEED=${seed}: no kill landed mid-run`,
  );
  return results;
}

test('SIGKILL of the whole process group at random moments, then a rerun: the clean run’s bytes, no stray file, no complete task rerun, no process left', async (t) => {
  await iterations(t, 'group', 0);
});

test('SIGKILL of the main process alone: its isolated children die too and commit nothing afterwards; the rerun ends as after a group kill', async (t) => {
  await iterations(t, 'main', 1);
});

test('the harness’s checks are not vacuous: a torn output, a temp file, a temp directory, a left lock and a missing output are each reported', () => {
  const referenceDir = freshCopy();
  // The clean run's tree, written back into a copy: identical, nothing to report.
  for (const [rel, bytes] of reference.tree) {
    const full = path.join(referenceDir, rel);
    if (bytes === null) mkdirSync(full, { recursive: true });
    else writeFileSync(full, bytes);
  }
  const clean = readTree(referenceDir);
  assert.deepEqual(diffTrees(clean, reference.tree), { stray: [], missing: [], differing: [] });
  assert.equal(completeTasks(reference.graph, clean).size, reference.graph.nodes.size);

  const report = 'out/report/weekly.md';
  writeFileSync(path.join(referenceDir, report), reference.tree.get(report)!.subarray(0, 100));
  writeFileSync(path.join(referenceDir, 'out/totals/.north.json.4242-1.plumb-tmp'), '{');
  mkdirSync(path.join(referenceDir, 'out/trends/.plumb-tmp-dir-4242'));
  mkdirSync(path.join(referenceDir, '.plumb/locks'), { recursive: true });
  writeFileSync(path.join(referenceDir, '.plumb/locks/0123456789abcdef0123.lock'), '{}');
  rmSync(path.join(referenceDir, 'out/trends/sizes.txt'));
  const broken = readTree(referenceDir);
  assert.deepEqual(diffTrees(broken, reference.tree), {
    stray: [
      '.plumb/locks',
      '.plumb/locks/0123456789abcdef0123.lock',
      'out/totals/.north.json.4242-1.plumb-tmp',
      'out/trends/.plumb-tmp-dir-4242',
    ].filter((rel) => !reference.tree.has(rel)),
    missing: ['out/trends/sizes.txt'],
    differing: [report],
  });
  assert.deepEqual(torn(reference.graph, broken, reference.tree), [report]);
  const complete = completeTasks(reference.graph, broken);
  assert.ok(!complete.has('ProductTrends()'), 'a task missing one of its outputs is not complete');
  rmSync(referenceDir, { recursive: true, force: true });
});
