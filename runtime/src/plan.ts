// What a run would do, without running anything: the run's own discovery and completeness checks
// (graph.ts), its identity, cycle and unit-mode checks (as run.ts makes them, in the same order)
// and the scheduler's own blocking (scheduler.ts), stopped before the first task could start.
import { type PlannedTask, type PlanEvent, type PlanTaskState, type RunEventPayload } from './events';
import { missingOutputs, outputPathsFor, TaskGraph, type TaskNode } from './graph';
import { testArea } from './operations/test-mode';
import { getProjectRoot } from './project-root';
import { Scheduler, type TaskPolicy } from './scheduler';
import { describeError } from './task-error';
import { checkIsTask } from './task-identity';
import { type Task } from './task';
import { planText } from './plan-text';

export type Plan = Omit<PlanEvent, 'v' | 'runId' | 'seq' | 'time'>;

export interface PlanOptions {
  /** Unit mode: only the roots would run; everything else is taken from existing outputs. */
  unit?: boolean;
  /** Aborting it stops discovery (DiscoveryCancelled). */
  signal?: AbortSignal;
}

/** Never asked: a scheduler with no workers starts no attempt, so it never needs a policy. */
const NO_POLICY: TaskPolicy = { retries: 0, retryDelayMs: 0, retryBackoff: 1, timeoutMs: 0, isolate: false };

export async function planTasks(roots: Task[], options: PlanOptions = {}): Promise<Plan> {
  if (roots.length === 0) throw new TypeError('a plan needs at least one root task');
  roots.forEach((r, i) => checkIsTask(r, roots.length > 1 ? `root ${i + 1}` : 'the root'));
  const unit = options.unit ?? false;
  const graph = new TaskGraph();
  await graph.discover(roots, { expand: !unit, ...(options.signal ? { signal: options.signal } : {}) });
  const rootIds = new Set(roots.map((r) => r.taskId));

  // The checks run.ts makes before scheduling: any of them stops the run before anything runs.
  let stop: string | undefined;
  const unitBlocks = new Map<string, string[]>();
  if (graph.conflicts.length > 0) stop = graph.conflicts.map((c) => c.message).join('\n');
  const cycle = stop === undefined ? graph.findCycle() : undefined;
  if (cycle) {
    stop = `dependency cycle: ${cycle.join(' → ')}`;
    for (const id of new Set(cycle)) {
      const node = graph.nodes.get(id)!;
      node.state = 'broken';
      node.schedulingError = new Error(stop);
    }
  }
  if (stop === undefined && unit) {
    for (const root of roots) {
      const node = graph.nodes.get(root.taskId)!;
      if (node.state !== 'pending') continue;
      const missing = node.deps.filter((d) => d.state !== 'complete').map((d) => d.id);
      if (missing.length === 0) continue;
      unitBlocks.set(node.id, missing);
      stop ??= `unit mode runs ${root.taskId} alone, but these requirements are not complete: ${missing.join(', ')}`;
    }
  }
  if (stop === undefined) {
    // The scheduler's first step blocks what depends on missing or broken tasks (through
    // optional(…) edges it does not): with no workers it stops there, and no attempt starts.
    const ignore = (_event: RunEventPayload) => undefined;
    void new Scheduler(graph, { workers: 0, policyFor: () => NO_POLICY, emit: ignore }).run();
  }

  const broken = [...graph.nodes.values()].filter((n) => n.state === 'broken').map((n) => n.id);
  const tasks: PlannedTask[] = [];
  for (const node of graph.nodes.values()) {
    const state: PlanTaskState =
      node.state === 'broken'
        ? 'broken'
        : unit && !rootIds.has(node.id)
          ? 'skipped'
          : node.state === 'complete'
            ? 'complete'
            : node.state === 'pending' && stop === undefined
              ? 'will-run'
              : 'blocked';
    tasks.push(
      plannedTask(node, state, unitBlocks.get(node.id) ?? (stop !== undefined ? broken : undefined)),
    );
  }
  const counts = { total: tasks.length, complete: 0, willRun: 0, blocked: 0, skipped: 0, broken: 0 };
  for (const t of tasks) counts[t.state === 'will-run' ? 'willRun' : t.state]++;
  const plan: Plan = {
    type: 'plan',
    roots: roots.map((r) => r.taskId),
    unit,
    ...(testArea() !== undefined ? { testArea: testArea() } : {}),
    tasks,
    counts,
    ...(stop !== undefined ? { stop } : {}),
    text: '',
  };
  plan.text = planText(plan, getProjectRoot());
  return plan;
}

function plannedTask(node: TaskNode, state: PlanTaskState, stopCauses: string[] | undefined): PlannedTask {
  const out: PlannedTask = { id: node.id, family: node.task.taskFamily, kind: node.kind, state };
  if (node.state === 'missing-external') {
    const missing = missingOutputs(node);
    out.missingPaths = missing.length > 0 ? missing : outputPathsFor(node);
  }
  if (state === 'blocked') {
    const causes =
      node.state === 'blocked' ? node.blockedBy : node.state === 'pending' ? stopCauses : undefined;
    if (causes?.length) out.blockedBy = [...new Set(causes)];
  }
  if (node.state === 'broken') out.error = describeError(node.schedulingError).message;
  return out;
}
