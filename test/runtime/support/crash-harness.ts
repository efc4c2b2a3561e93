// The crash-safety harness (issue 10): runs the real CLI on a fresh copy of a realistic pipeline,
// SIGKILLs it at a seeded random moment (its whole process group, or the main process alone), then
// reruns it to completion and checks what a crash must never break: outputs byte-identical to a
// clean run, no stray file, no rerun of a task that was complete, no process left behind.
// Used by test/runtime/crash-safety.test.ts (a few iterations) and bench/crash-safety.ts (hundreds).
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseEventLine, type GraphEdge, type GraphNode, type RunEvent } from '../../../runtime/src/events';
import { alive, processesWith } from './processes';
import {
  changedOutputs,
  completeTasks,
  diffTrees,
  knownGraph,
  readTree,
  tempEntries,
  torn,
  type KnownGraph,
  type Tree,
} from './crash-tree';

export const FIXTURE = path.join(__dirname, '..', 'fixtures', 'crash-pipeline');
export const ROOT_TASK = 'Week';

/** How the run is killed: its process group (every process of the run at once), or only the main process. */
export type KillMode = 'group' | 'main';

export type FailureKind =
  | 'torn-output' // right after the kill, an output exists with bytes other than the clean run's
  | 'leaked-process' // a process of the killed run (or of the rerun) still alive after the grace and the watch
  | 'slow-exit' // a process of the killed run outlived the grace period, then ended by itself
  | 'late-commit' // an output appeared or changed after the main process was dead
  | 'rerun-exit' // the rerun did not exit 0 (or did not end)
  | 'reran-complete' // the rerun ran a task that was complete on disk before it started
  | 'not-rerun' // the rerun left a task that was incomplete on disk without running it
  | 'outputs-differ' // after the rerun, an output differs from the clean run's or is missing
  | 'stray-files'; // after the rerun, a file or directory the clean run does not have

export interface Failure {
  kind: FailureKind;
  detail: string;
}

/**
 * Everything one iteration does follows from its seed. The kill moment is anchored to the run's
 * own progress (so it lands at the same stage of the pipeline however loaded the machine is): after
 * the killed run has announced `afterEvents` task starts and ends, plus `delayMs`.
 */
export interface CrashPlan {
  seed: number;
  workers: number;
  mode: KillMode;
  afterEvents: number;
  delayMs: number;
}

export interface IterationResult {
  plan: CrashPlan;
  /** When the kill was sent, in ms after the run was started. */
  killAtMs: number;
  /** The run ended on its own before the kill was due (nothing was killed). */
  finishedFirst: boolean;
  /** Tasks (not external data) complete on disk right after the kill, and how many there are in all. */
  completeAtKill: number;
  tasks: number;
  /** Temp entries on disk right after the kill: writes the kill caught in flight. */
  tempsAtKill: number;
  failures: Failure[];
  ms: number;
  /** The copy, kept when something failed (removed otherwise). */
  dir: string;
}

/** mulberry32: a small seeded generator, so a failing iteration can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed of iteration `i` of a series started from `seed`. */
export const iterationSeed = (seed: number, i: number): number => (seed + Math.imul(i, 0x9e3779b9)) >>> 0;

/** The longest pause after the anchoring event: longer than most writes, shorter than a run's start-up. */
const MAX_DELAY_MS = 250;

/**
 * A plan for `seed`; `lifecycleEvents` is how many task starts and ends a clean run announces. With
 * `stratum` the anchor is drawn from that slice of the run only: a few iterations still cover its
 * start, middle and end.
 */
export function planFor(
  seed: number,
  choices: { workers: number[]; modes: KillMode[] },
  lifecycleEvents: number,
  stratum: { index: number; of: number } = { index: 0, of: 1 },
): CrashPlan {
  const random = seededRandom(seed);
  const slice = lifecycleEvents / stratum.of;
  return {
    seed,
    workers: choices.workers[Math.floor(random() * choices.workers.length)]!,
    mode: choices.modes[Math.floor(random() * choices.modes.length)]!,
    afterEvents: Math.floor(stratum.index * slice + random() * slice),
    delayMs: Math.floor(random() * MAX_DELAY_MS),
  };
}

export const describePlan = (p: CrashPlan): string =>
  `seed ${p.seed} (workers ${p.workers}, kill ${p.mode}, ${p.delayMs} ms after task event ${p.afterEvents})`;

/** Task starts and ends: the events a kill is anchored to. */
const isLifecycle = (e: RunEvent) =>
  e.type === 'task-running' || e.type === 'task-done' || e.type === 'task-failed';

/** A clean run's outputs, graph and wall time per worker count: what every iteration is held to. */
export interface Reference {
  tree: Tree;
  graph: KnownGraph;
  msByWorkers: Map<number, number>;
  /** Task starts and ends in a clean run (the range of CrashPlan.afterEvents). */
  lifecycleEvents: number;
}

/** A fresh copy of the fixture in the OS temp dir (outside the repo). */
export function freshCopy(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plumb-crash-'));
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

/**
 * The runs' transpile cache (the CLI keeps it under $XDG_CACHE_HOME, one folder per project path):
 * one folder for this process's runs, removed when it exits, so hundreds of copies leave nothing
 * in the user's cache.
 */
let cacheHome: string | undefined;
function runCacheHome(): string {
  if (!cacheHome) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'plumb-crash-cache-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    cacheHome = dir;
  }
  return cacheHome;
}

interface Run {
  pid: number;
  /** Resolves when the run has announced `n` task starts and ends (never, if it does not). */
  lifecycle(n: number): Promise<void>;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; events: RunEvent[]; stderr: string }>;
}

/**
 * `plumb run <copy>/pipeline.ts Week` in its own process group (detached), as an editor or a
 * scheduler starts it; the pipeline's absolute path puts the copy in every command line of the run.
 */
function startRun(cli: string, dir: string, workers: number): Run {
  const child = spawn(
    process.execPath,
    [cli, 'run', path.join(dir, 'pipeline.ts'), ROOT_TASK, '--workers', String(workers), '--events', 'jsonl'],
    {
      cwd: dir,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: runCacheHome() },
    },
  );
  let stdout = '';
  let stderr = '';
  let seen = 0;
  let partial = '';
  const waiters: { n: number; resolve: () => void }[] = [];
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    const lines = (partial + d).split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      const e = parseEventLine(line);
      if (e && isLifecycle(e)) seen++;
    }
    for (const w of waiters) if (seen >= w.n) w.resolve();
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<Awaited<Run['done']>>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({ code, signal, stderr, events: stdout.split('\n').flatMap((l) => parseEventLine(l) ?? []) }),
    );
  });
  const lifecycle = (n: number) =>
    n <= seen ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve }));
  return { pid: child.pid!, lifecycle, done };
}

/** Clean runs on fresh copies, one per worker count; fails unless they succeed with the same bytes. */
export async function referenceRun(cli: string, workerCounts: number[]): Promise<Reference> {
  let reference: Reference | undefined;
  for (const workers of workerCounts) {
    const dir = freshCopy();
    const started = Date.now();
    const run = await startRun(cli, dir, workers).done;
    const ms = Date.now() - started;
    if (run.code !== 0) throw new Error(`the clean run failed (exit ${run.code}) in ${dir}:\n${run.stderr}`);
    const tree = readTree(dir);
    if (!reference) {
      const nodes: GraphNode[] = [];
      const edges: GraphEdge[] = [];
      for (const e of run.events) {
        if (e.type !== 'graph') continue;
        nodes.push(...e.nodes);
        edges.push(...e.edges);
      }
      reference = {
        tree,
        graph: knownGraph(nodes, edges, dir),
        msByWorkers: new Map(),
        lifecycleEvents: run.events.filter(isLifecycle).length,
      };
    } else {
      const diff = diffTrees(tree, reference.tree);
      if (diff.stray.length + diff.missing.length + diff.differing.length > 0)
        throw new Error(`clean runs disagree between worker counts: ${JSON.stringify(diff)} (${dir})`);
    }
    reference.msByWorkers.set(workers, ms);
    rmSync(dir, { recursive: true, force: true });
  }
  return reference!;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits up to `graceMs` for every process whose command line names `dir` to end; returns the survivors. */
async function survivors(dir: string, graceMs: number): Promise<number[]> {
  const until = Date.now() + graceMs;
  let left = processesWith(dir);
  while (left.length > 0 && Date.now() < until) {
    await sleep(25);
    left = left.filter(alive);
  }
  return left;
}

/** Kills what a failed iteration left running (they are this harness's own descendants). */
function killAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

export interface IterationOptions {
  /**
   * How long the killed run's processes get to disappear before they count as leaked. Default: 2 s,
   * or a quarter of the clean run's time when the machine is so loaded that this is longer (a child
   * that was still starting Node when its parent died needs that long to notice).
   */
  graceMs?: number;
  /** How much longer a survivor is watched (does it end by itself, does it commit?) before it is killed. */
  watchMs?: number;
  /** Keep the copy even when the iteration passed. */
  keep?: boolean;
}

/** One kill-and-rerun iteration on a fresh copy; every broken promise is one Failure. */
export async function crashIteration(
  cli: string,
  reference: Reference,
  plan: CrashPlan,
  options: IterationOptions = {},
): Promise<IterationResult> {
  const cleanMs = reference.msByWorkers.get(plan.workers)!;
  const { graceMs = Math.max(2000, Math.round(cleanMs / 4)), watchMs = Math.max(3000, cleanMs) } = options;
  const started = Date.now();
  const failures: Failure[] = [];
  const fail = (kind: FailureKind, detail: string) => failures.push({ kind, detail });
  const dir = freshCopy();

  const run = startRun(cli, dir, plan.workers);
  let finishedFirst = false;
  const killed = await Promise.race([
    run.done.then(() => false),
    run.lifecycle(plan.afterEvents).then(() => sleep(plan.delayMs).then(() => true)),
  ]);
  const killAtMs = Date.now() - started;
  if (killed) {
    try {
      process.kill(plan.mode === 'group' ? -run.pid : run.pid, 'SIGKILL');
    } catch {
      finishedFirst = true; // ended between the timer and the kill
    }
  } else finishedFirst = true;
  await run.done;

  // Right after the kill: what is complete, and is every output that exists whole?
  const atKill = readTree(dir);
  const tasks = [...reference.graph.nodes].filter(([, n]) => n.kind !== 'external').map(([id]) => id);
  const doneAtKill = completeTasks(reference.graph, atKill);
  const completeAtKill = tasks.filter((id) => doneAtKill.has(id)).length;
  const brokenAtKill = torn(reference.graph, atKill, reference.tree);
  if (brokenAtKill.length > 0)
    fail('torn-output', `outputs with wrong bytes after the kill: ${brokenAtKill.join(', ')}`);

  // Nothing of the killed run may outlive it, or write anything once its main process is dead.
  const left = await survivors(dir, graceMs);
  if (left.length > 0) {
    const described = describeProcesses(left);
    const graceEnded = Date.now();
    // Watch them a while longer: do they end by themselves (slowly), and do they commit meanwhile?
    const stubborn = await survivors(dir, watchMs);
    if (stubborn.length > 0)
      fail(
        'leaked-process',
        `still alive ${graceMs + watchMs} ms after the kill (killed by the harness): ${described}`,
      );
    else
      fail(
        'slow-exit',
        `alive ${graceMs} ms after the kill, ended by itself ${graceMs + Date.now() - graceEnded} ms after it: ${described}`,
      );
    killAll(stubborn);
  }
  const beforeRerun = readTree(dir);
  const late = changedOutputs(reference.graph, atKill, beforeRerun);
  if (late.length > 0) fail('late-commit', `written after the main process died: ${late.join(', ')}`);

  // The rerun: exit 0, runs exactly the tasks that were incomplete on disk.
  const complete = completeTasks(reference.graph, beforeRerun);
  const rerun = startRun(cli, dir, plan.workers);
  const ended = await Promise.race([rerun.done, sleep(60_000).then(() => undefined)]);
  if (!ended) {
    killAll(processesWith(dir));
    fail('rerun-exit', 'the rerun did not end within 60 s');
  } else {
    if (ended.code !== 0)
      fail(
        'rerun-exit',
        `exit ${ended.code ?? ended.signal}: ${ended.stderr.split('\n').slice(-15).join('\n')}`,
      );
    const ran = new Set(ended.events.flatMap((e) => (e.type === 'task-running' ? [e.taskId] : [])));
    const reran = [...ran].filter((id) => complete.has(id));
    if (reran.length > 0)
      fail('reran-complete', `complete on disk before the rerun, yet ran: ${reran.join(', ')}`);
    const skipped = tasks.filter((id) => !complete.has(id) && !ran.has(id));
    if (skipped.length > 0) fail('not-rerun', `incomplete on disk, yet not run: ${skipped.join(', ')}`);
  }
  const leftByRerun = await survivors(dir, graceMs);
  if (leftByRerun.length > 0) {
    fail('leaked-process', `alive after the rerun ended: ${describeProcesses(leftByRerun)}`);
    killAll(leftByRerun);
  }

  // The end state: the clean run's tree, byte for byte, and nothing else.
  const diff = diffTrees(readTree(dir), reference.tree);
  if (diff.missing.length + diff.differing.length > 0)
    fail(
      'outputs-differ',
      `missing: [${diff.missing.join(', ')}], differing: [${diff.differing.join(', ')}]`,
    );
  if (diff.stray.length > 0) fail('stray-files', diff.stray.join(', '));

  if (failures.length === 0 && !options.keep) rmSync(dir, { recursive: true, force: true });
  return {
    plan,
    killAtMs,
    finishedFirst,
    completeAtKill,
    tasks: tasks.length,
    tempsAtKill: tempEntries(atKill).length,
    failures,
    ms: Date.now() - started,
    dir,
  };
}

function describeProcesses(pids: number[]): string {
  return pids
    .map((pid) => {
      let cmd = '?';
      try {
        cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').slice(0, 160);
      } catch {
        /* gone meanwhile */
      }
      return `${pid} (${cmd})`;
    })
    .join('; ');
}

/** One line per failure, with the seed that replays it. */
export function failureReport(result: IterationResult): string {
  return result.failures
    .map(
      (f) =>
        `${describePlan(result.plan)}, killed at ${result.killAtMs} ms: ${f.kind}: ${f.detail} [copy: ${result.dir}]`,
    )
    .join('\n');
}
