// One run of a root task: discover the graph, report it, schedule it, summarise it. Everything a
// run says goes through its event stream; the caller decides where the stream goes.
import { setDurableWrites, removeOpenTemps } from './atomic-write';
import { captureTaskConsole } from './console-capture';
import { installRunGuard } from './run-guard';
import { emptyConfig, type PlumbConfig } from './config';
import { EventStream, newRunId } from './event-stream';
import { EXIT_CODES, type GraphNode, type RunOutcome, type RunSummary } from './events';
import { TaskGraph, toGraphNode, type TaskNode } from './graph';
import { describeError, Scheduler, type IsolatedRunner, type TaskPolicy } from './scheduler';
import { exitCodeOf, outcomeOf, summarize } from './summary';
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
}

export interface RunResult {
  runId: string;
  outcome: RunOutcome;
  exitCode: number;
  summary: RunSummary;
  durationMs: number;
  message?: string;
}

const GRAPH_CHUNK = 2000;

export function policyFor(task: Task, config: PlumbConfig): TaskPolicy {
  const run = config.run;
  const cls = settingsOf(task);
  const fam = config.tasks[task.taskFamily] ?? {};
  return {
    retries: fam.retries ?? cls.retries ?? run.retries,
    retryDelayMs: fam.retryDelayMs ?? cls.retryDelayMs ?? run.retryDelayMs,
    retryBackoff: fam.retryBackoff ?? run.retryBackoff,
    timeoutMs: fam.timeoutMs ?? cls.timeoutMs ?? run.timeoutMs,
    isolate: fam.isolate ?? cls.isolate ?? false,
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

export async function runTasks(root: Task, options: RunOptions = {}): Promise<RunResult> {
  const startedAt = Date.now();
  const config = options.config ?? emptyConfig();
  const events = options.events ?? new EventStream(newRunId());
  const workers = Math.max(1, options.workers ?? config.run.workers);
  const unit = options.unit ?? false;
  setDurableWrites(config.run.durable);

  events.emit({
    type: 'run-started',
    root: root.taskId,
    family: root.taskFamily,
    params: root.params,
    module: options.module ?? '',
    cwd: process.cwd(),
    pid: process.pid,
    workers,
    unit,
    config: { file: config.file, run: config.run, tasks: config.tasks, params: config.params },
    runtimeVersion: RUNTIME_VERSION,
  });

  const graph = new TaskGraph();
  const finish = (outcome: RunOutcome, summary: RunSummary, message?: string): RunResult => {
    const durationMs = Date.now() - startedAt;
    const exitCode = exitCodeOf(outcome);
    events.emit({
      type: 'run-finished',
      outcome,
      exitCode,
      durationMs,
      summary,
      ...(message !== undefined ? { message } : {}),
    });
    return {
      runId: events.runId,
      outcome,
      exitCode,
      summary,
      durationMs,
      ...(message !== undefined ? { message } : {}),
    };
  };

  const releaseConsole = captureTaskConsole();
  // User code cannot end or stall the runner: see run-guard.ts.
  const guard = installRunGuard();
  try {
    const found = await Promise.race([graph.discover([root], { expand: !unit }), guard.crashed]);
    emitGraph(events, found.nodes, found.edges, options.sourceOf);

    const cycle = graph.findCycle();
    if (cycle) return finish('error', summarize(graph, []), `dependency cycle: ${cycle.join(' → ')}`);

    if (unit && graph.nodes.get(root.taskId)!.state === 'pending') {
      const missing = graph.nodes.get(root.taskId)!.deps.filter((d) => d.state !== 'complete');
      if (missing.length > 0) {
        return finish(
          'error',
          summarize(graph, []),
          `unit mode runs ${root.taskId} alone, but these requirements are not complete: ${missing.map((d) => d.id).join(', ')}`,
        );
      }
    }

    announce(events, found.nodes);
    const scheduler = new Scheduler(graph, {
      workers,
      policyFor: policiesByClass(config),
      emit: (e) => events.emit(e),
      onDiscovered: (nodes, edges) => {
        emitGraph(events, nodes, edges, options.sourceOf);
        announce(events, nodes);
      },
      ...(options.runIsolated ? { runIsolated: options.runIsolated } : {}),
      ...(options.yieldBeforeUserCode === false ? { yieldBeforeUserCode: false } : {}),
    });
    guard.watch(scheduler);
    let cancelled = false;
    const onAbort = () => {
      cancelled = true;
      scheduler.cancel();
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    await Promise.race([scheduler.run(), guard.crashed]);
    options.signal?.removeEventListener('abort', onAbort);
    if (cancelled) removeOpenTemps();

    const summary = summarize(graph, scheduler.succeededAfterRetry);
    return finish(outcomeOf(summary, cancelled), summary);
  } catch (e) {
    return finish('error', summarize(graph, []), describeError(e).message);
  } finally {
    guard.remove();
    releaseConsole();
  }
}

function emitGraph(
  events: EventStream,
  nodes: TaskNode[],
  edges: { from: string; to: string; dynamic?: boolean }[],
  sourceOf: RunOptions['sourceOf'],
): void {
  const count = Math.max(nodes.length, edges.length);
  for (let i = 0; i === 0 || i < count; i += GRAPH_CHUNK) {
    events.emit({
      type: 'graph',
      nodes: nodes.slice(i, i + GRAPH_CHUNK).map((n) => toGraphNode(n, sourceOf?.(n.task.taskFamily))),
      edges: edges.slice(i, i + GRAPH_CHUNK),
    });
  }
}

/** Says up front what will not run and why, and what waits to run. */
function announce(events: EventStream, nodes: TaskNode[]): void {
  for (const node of nodes) {
    if (node.state === 'complete')
      events.emit({ type: 'task-skipped', taskId: node.id, reason: 'already-complete' });
    else if (node.state === 'missing-external') {
      events.emit({ type: 'task-skipped', taskId: node.id, reason: 'missing-external' });
    } else if (node.state === 'failed') {
      events.emit({
        type: 'task-failed',
        taskId: node.id,
        attempt: 0,
        durationMs: 0,
        error: describeError(node.discoveryError),
        willRetry: false,
      });
    } else if (node.state === 'pending') events.emit({ type: 'task-pending', taskId: node.id });
  }
}

export { EXIT_CODES };
