// One run of one or more root tasks: discover the graph, check it, report it, schedule it,
// re-check the roots, summarise. Everything a run says goes through its event stream; the caller
// decides where the stream goes. The outcome follows the contract in events.ts (EXIT_CODES).
import { setDurableWrites, removeOpenTemps } from './atomic-write';
import { captureTaskConsole } from './console-capture';
import { installRunGuard } from './run-guard';
import { emptyConfig, type PlumbConfig } from './config';
import { EventStream, newRunId } from './event-stream';
import { graphEventJson } from './graph-event-json';
import { EXIT_CODES, type CompleteRunSummary, type GraphNode, type RunOutcome } from './events';
import { completeOf, DiscoveryCancelled, idJsonOf, TaskGraph, toGraphNode, type TaskNode } from './graph';
import path from 'node:path';
import { hasChecks, runChecks } from './operations/checks';
import { leftByRangeLimit } from './operations/range';
import { type RunOperations, type RunSlaOptions, startOperations } from './operations/run-operations';
import { testArea } from './operations/test-mode';
import { getProjectRoot } from './project-root';
import { checkIsTask } from './task-identity';
import { describeError, Scheduler, type IsolatedRunner, type TaskPolicy } from './scheduler';
import { exitCodeOf, outcomeOf, summarize, tasksText } from './summary';
import { settingsOf, type Task } from './task';

export const RUNTIME_VERSION = '0.1.0';

export interface RunOptions {
  /** The pipeline file or module, as given (for run-started). */
  module?: string;
  /** Overrides plumb.toml's [run] workers. */
  workers?: number;
  /** Unit mode: run only the root; its requirements must already be complete. */
  unit?: boolean;
  config?: PlumbConfig;
  events?: EventStream;
  runIsolated?: IsolatedRunner;
  /** See SchedulerOptions.yieldBeforeUserCode: false only when no listener buffers events. */
  yieldBeforeUserCode?: boolean;
  /** Where a family's class is declared, for graph nodes. */
  sourceOf?: (family: string) => GraphNode['source'] | undefined;
  /** Aborting it cancels the run. */
  signal?: AbortSignal;
  /** `--max-tasks N`: at most N tasks start (SchedulerOptions.maxTasks); the rest are notRun. */
  maxTasks?: number;
  /** A whole run's SLA and the scheduled start SLAs count from (operations/sla.ts). */
  sla?: RunSlaOptions;
}

export interface RunResult {
  runId: string;
  outcome: RunOutcome;
  exitCode: number;
  summary: CompleteRunSummary;
  durationMs: number;
  message?: string;
}

const GRAPH_CHUNK = 2000;

export function policyFor(task: Task, config: PlumbConfig): TaskPolicy {
  const run = config.run;
  const cls = settingsOf(task);
  const fam = config.tasks[task.taskFamily] ?? {};
  const timeoutMs = fam.timeoutMs ?? cls.timeoutMs ?? run.timeoutMs;
  return {
    retries: fam.retries ?? cls.retries ?? run.retries,
    retryDelayMs: fam.retryDelayMs ?? cls.retryDelayMs ?? run.retryDelayMs,
    retryBackoff: fam.retryBackoff ?? run.retryBackoff,
    timeoutMs,
    // A timeout isolates the task unless it says otherwise: only killing a process stops a run()
    // that blocks its thread. With `isolate = false` the timeout acts at the run()'s next await.
    isolate: fam.isolate ?? cls.isolate ?? timeoutMs > 0,
  };
}

/** policyFor, computed once per task class: the config and class settings do not change mid-run. */
function policiesByClass(config: PlumbConfig): (task: Task) => TaskPolicy {
  const byClass = new Map<unknown, TaskPolicy>();
  return (task) => {
    let policy = byClass.get(task.constructor);
    if (!policy) byClass.set(task.constructor, (policy = Object.freeze(policyFor(task, config))));
    return policy;
  };
}

export async function runTasks(roots: Task | Task[], options: RunOptions = {}): Promise<RunResult> {
  const events = options.events ?? new EventStream(newRunId());
  const ops = startOperations(options.config ?? emptyConfig(), events, getProjectRoot(), options.sla);
  const result = await runBody(roots, { ...options, events }, ops);
  // Alerts and SLAs have their last word before run-finished: nothing of the run comes after it.
  await ops.finish();
  events.emit({
    type: 'run-finished',
    outcome: result.outcome,
    exitCode: result.exitCode,
    durationMs: result.durationMs,
    summary: result.summary,
    ...(result.message !== undefined ? { message: result.message } : {}),
  });
  return result;
}

/** The run up to its end; runTasks emits its run-finished. */
async function runBody(roots: Task | Task[], options: RunOptions, ops: RunOperations): Promise<RunResult> {
  const startedAt = Date.now();
  const config = options.config ?? emptyConfig();
  const events = options.events ?? new EventStream(newRunId());
  const workers = Math.max(1, options.workers ?? config.run.workers);
  const unit = options.unit ?? false;
  const signal = options.signal;
  setDurableWrites(config.run.durable);
  const rootList = Array.isArray(roots) ? roots : [roots];
  let refused: string | undefined;
  try {
    if (rootList.length === 0) throw new TypeError('runTasks needs at least one root task');
    rootList.forEach((r, i) => checkIsTask(r, rootList.length > 1 ? `root ${i + 1}` : 'the root'));
  } catch (e) {
    refused = (e as Error).message;
  }
  const first = refused === undefined ? rootList[0]! : undefined;

  events.emit({
    type: 'run-started',
    root: first?.taskId ?? '',
    roots: refused === undefined ? rootList.map((r) => r.taskId) : [],
    family: first?.taskFamily ?? '',
    params: first?.params ?? {},
    module: options.module ?? '',
    cwd: process.cwd(),
    pid: process.pid,
    workers,
    unit,
    ...(testArea() !== undefined ? { testArea: testArea() } : {}),
    config: { file: config.file, run: config.run, tasks: config.tasks, params: config.params },
    runtimeVersion: RUNTIME_VERSION,
  });

  const graph = new TaskGraph();
  ops.track(graph);
  let scheduler: Scheduler | undefined;
  let cancelled = signal?.aborted ?? false;
  const summaryOf = (incompleteRoots: string[] = []) =>
    summarize(graph, scheduler?.succeededAfterRetry ?? [], {
      ...(scheduler ? { order: scheduler.settledOrder } : {}),
      cancelled,
      incompleteRoots,
      projectRoot: getProjectRoot(),
    });
  const finish = (outcome: RunOutcome, summary: CompleteRunSummary, message?: string): RunResult => {
    const durationMs = Date.now() - startedAt;
    const exitCode = exitCodeOf(outcome);
    return {
      runId: events.runId,
      outcome,
      exitCode,
      summary,
      durationMs,
      ...(message !== undefined ? { message } : {}),
    };
  };
  if (refused !== undefined) return finish('pipeline-error', summaryOf(), refused);

  const onAbort = () => {
    cancelled = true;
    scheduler?.cancel();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  const releaseConsole = captureTaskConsole();
  // User code cannot end or stall the runner: see run-guard.ts.
  const guard = installRunGuard();
  try {
    const found = await Promise.race([
      graph.discover(rootList, { expand: !unit, ...(signal ? { signal } : {}) }),
      guard.crashed,
    ]);
    emitGraph(events, found.nodes, found.edges, options.sourceOf);
    ops.discovered(found.nodes);
    found.edges = []; // said: not kept for the whole run (an object per edge)

    // A broken graph stops the run before anything runs: running part of it would write outputs
    // under ids or paths that stand for two different tasks, or loop.
    if (graph.conflicts.length > 0) {
      announce(events, found.nodes);
      return finish('pipeline-error', summaryOf(), graph.conflicts.map((c) => c.message).join('\n'));
    }
    const cycle = graph.findCycle();
    if (cycle) {
      const message = `dependency cycle: ${cycle.join(' → ')}`;
      for (const id of new Set(cycle)) {
        const node = graph.nodes.get(id)!;
        node.state = 'broken';
        node.schedulingError = new Error(message);
      }
      announce(events, found.nodes);
      return finish('pipeline-error', summaryOf(), message);
    }

    if (unit) {
      for (const root of rootList) {
        const node = graph.nodes.get(root.taskId)!;
        if (node.state !== 'pending') continue;
        const missing = node.deps.filter((d) => d.state !== 'complete');
        if (missing.length > 0) {
          return finish(
            'error',
            summaryOf(),
            `unit mode runs ${root.taskId} alone, but these requirements are not complete: ${missing.map((d) => d.id).join(', ')}`,
          );
        }
      }
    }

    announce(events, found.nodes);
    ops.announced();
    scheduler = new Scheduler(graph, {
      workers,
      policyFor: policiesByClass(config),
      emit: (e) => events.emit(e),
      emitTaskStep: (type, node, attempt, durationMs) =>
        events.emitTaskStep(type, node.id, idJsonOf(node), attempt, durationMs),
      onDiscovered: (nodes, edges) => {
        emitGraph(events, nodes, edges, options.sourceOf);
        ops.discovered(nodes);
        announce(events, nodes);
        ops.announced();
      },
      ...(options.runIsolated ? { runIsolated: options.runIsolated } : {}),
      checkOutputs: (node) =>
        hasChecks(node.task)
          ? runChecks(
              node.task,
              node.attempts,
              path.join(getProjectRoot(), '.plumb', 'quarantine', events.runId),
              getProjectRoot(),
              (e) => events.emit(e),
              events.runId,
            )
          : undefined,
      ...(options.yieldBeforeUserCode === false ? { yieldBeforeUserCode: false } : {}),
      ...(options.maxTasks ? { maxTasks: options.maxTasks } : {}),
    });
    guard.watch(scheduler);
    if (cancelled) scheduler.cancel();
    await Promise.race([scheduler.run(), guard.crashed]);
    if (cancelled) {
      removeOpenTemps();
      return finish('cancelled', summaryOf());
    }
    const incomplete = await Promise.race([
      incompleteRoots(rootList, graph, scheduler.attemptsEnded),
      guard.crashed,
    ]);
    const summary = summaryOf(incomplete);
    const limited = limitedWork(graph, summary, rootList);
    const outcome = outcomeOf(summary, cancelled);
    const limitMessage =
      scheduler.heldByLimit > 0 || limited > 0
        ? `${scheduler.heldByLimit > 0 ? `--max-tasks ${options.maxTasks} reached` : 'a range limit (--max) reached'}: ${tasksText(summary.notRun.length, 'was', 'were')} not run; run again to continue`
        : undefined;
    return finish(outcome, summary, outcome === 'incomplete' ? limitMessage : undefined);
  } catch (e) {
    if (e instanceof DiscoveryCancelled || cancelled) return finish('cancelled', summaryOf());
    return finish('crashed', summaryOf(), describeError(e).stack ?? describeError(e).message);
  } finally {
    guard.remove();
    signal?.removeEventListener('abort', onAbort);
    releaseConsole();
  }
}

/**
 * Ranges with a limit (`plumb backfill --max N`) required only a batch of their missing instances:
 * the rest are notRun, and a root range that left any is incomplete, so exit 0 still means every
 * requested root is complete. Returns how many were left.
 */
function limitedWork(graph: TaskGraph, summary: CompleteRunSummary, roots: Task[]): number {
  let left = 0;
  // forEach, not for…of: no iterator result object per node.
  graph.nodes.forEach((node) => {
    const ids = leftByRangeLimit(node.task);
    if (ids.length === 0) return;
    left += ids.length;
    for (const id of ids) if (!graph.nodes.has(id)) summary.notRun.push(id);
    if (roots.includes(node.task) && !summary.incompleteRoots.includes(node.id))
      summary.incompleteRoots.push(node.id);
  });
  return left;
}

/**
 * The invariant behind exit 0: every root is complete when the run ends, asked again now (not
 * taken from what the run believes) unless nothing ran since its completeness was established (it
 * finished last, or nothing ran at all): a wrapper over 100,000 tasks is not walked twice for
 * nothing. Asked through the graph's node (completeOf): its kept targets, its requirements' nodes
 * for a wrapper, rather than output() and requires() built again. A root whose complete() throws
 * is broken.
 */
async function incompleteRoots(roots: Task[], graph: TaskGraph, attemptsEnded: number): Promise<string[]> {
  const out: string[] = [];
  for (const root of roots) {
    const node = graph.nodes.get(root.taskId)!;
    if (node.state !== 'done' && node.state !== 'complete') {
      if (!out.includes(root.taskId)) out.push(root.taskId);
      continue;
    }
    if ((node.state === 'done' ? node.verifiedAfter : 0) === attemptsEnded) continue;
    try {
      if (!(await completeOf(node))) out.push(root.taskId);
    } catch (e) {
      node.state = 'broken';
      node.schedulingError = e;
      out.push(root.taskId);
    }
  }
  return out;
}

function emitGraph(
  events: EventStream,
  nodes: TaskNode[],
  edges: { from: string; to: string; dynamic?: boolean }[],
  sourceOf: RunOptions['sourceOf'],
): void {
  const count = Math.max(nodes.length, edges.length);
  for (let i = 0; i === 0 || i < count; i += GRAPH_CHUNK) {
    const chunk = nodes.slice(i, i + GRAPH_CHUNK);
    const edgeChunk = edges.slice(i, i + GRAPH_CHUNK);
    events.emitLazily(
      'graph',
      () => ({
        type: 'graph',
        nodes: chunk.map((n) => toGraphNode(n, sourceOf?.(n.task.taskFamily))),
        edges: edgeChunk,
      }),
      () => graphEventJson(chunk, edgeChunk, sourceOf),
    );
  }
}

/** Says up front what will not run and why, and what waits to run. */
function announce(events: EventStream, nodes: TaskNode[]): void {
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    if (node.state === 'complete')
      events.emit({ type: 'task-skipped', taskId: node.id, reason: 'already-complete' });
    else if (node.state === 'missing-external') {
      events.emit({ type: 'task-skipped', taskId: node.id, reason: 'missing-external' });
    } else if (node.state === 'broken') {
      events.emit({
        type: 'task-failed',
        taskId: node.id,
        attempt: 0,
        durationMs: 0,
        error: describeError(node.schedulingError),
        willRetry: false,
        schedulingError: true,
      });
    } else if (node.state === 'pending') events.emitTaskStep('task-pending', node.id, idJsonOf(node));
  }
}

export { EXIT_CODES };
