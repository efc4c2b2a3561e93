// The runtime's plan (plumb run --plan) as the editor shows it: the command line that asks for it,
// the parameters it can be asked with (never prompted for), per-family overlay states for the
// graph, and the Run lens's count. Pure: no vscode, no processes.
import type { PlanEvent, PlanTaskState, RunEvent } from '../../runtime/src/events';
import type { TaskParamInfo } from '../../server/src/protocol';
import type { GraphPlan } from '../webview/src/messages';
import { runArguments, type RunRequest } from './runCommandLine';
import { paramsWithoutValue } from './paramValidation';

/** The plan of exactly the run the Run command would start: the same command line, plus --plan. */
export function planArguments(request: RunRequest): string[] {
  return [...runArguments(request, { kind: 'stdout' }), '--plan'];
}

/** One cache entry per run the plan stands for: file, task, parameters and mode. */
export function planKey(request: RunRequest): string {
  const params = Object.entries(request.params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([request.file, request.family, params, request.unit]);
}

/**
 * The values Run would offer for the parameters nothing else provides (the last ones typed), or
 * the names still missing: a plan never prompts, so without them there is no plan yet.
 */
export function planParams(
  params: TaskParamInfo[],
  remembered: Record<string, string>,
): { params: Record<string, string> } | { missing: string[] } {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const p of paramsWithoutValue(params)) {
    const value = remembered[p.name];
    if (value === undefined || value === '') missing.push(p.name);
    else values[p.name] = value;
  }
  return missing.length > 0 ? { missing } : { params: values };
}

/** Which state a family's node shows when its tasks differ: what most needs a look comes first. */
const WEIGHT: Record<PlanTaskState, number> = {
  broken: 5,
  blocked: 4,
  'will-run': 3,
  skipped: 2,
  complete: 1,
};

export function graphPlan(target: string, plan: PlanEvent): GraphPlan {
  const families: GraphPlan['families'] = {};
  for (const task of plan.tasks) {
    const entry = (families[task.family] ??= { state: task.state, counts: {} });
    entry.counts[task.state] = (entry.counts[task.state] ?? 0) + 1;
    if (WEIGHT[task.state] > WEIGHT[entry.state]) entry.state = task.state;
  }
  return { target, status: 'ready', unit: plan.unit, families, counts: plan.counts, text: plan.text };
}

/** "▶ Run (3 of 7 will run)": the Run lens and the graph's Run say what the run would do. */
export function runTitle(title: string, counts: PlanEvent['counts'] | undefined): string {
  // A lens decorated once already (resolved again) gets its count replaced, not repeated.
  const base = title.replace(/ \((\d+ of \d+ will run|all complete)\)$/, '');
  if (!counts) return base;
  if (counts.total > 0 && counts.complete === counts.total) return `${base} (all complete)`;
  return `${base} (${counts.willRun} of ${counts.total} will run)`;
}

export type PlanResult = { kind: 'plan'; plan: PlanEvent } | { kind: 'unavailable'; reason: string };

/** Whether a Run lens would read the same with either plan (no count where there is no plan). */
export function sameRunTitle(a: PlanResult, b: PlanResult): boolean {
  const counts = (r: PlanResult) => (r.kind === 'plan' ? r.plan.counts : undefined);
  return runTitle('', counts(a)) === runTitle('', counts(b));
}

/** The plan event, or what the runtime said instead (its run-finished message, else its last words). */
export function planResultOf(
  events: RunEvent[],
  code: number | null,
  output: string,
  spawnError?: Error,
): PlanResult {
  const plan = events.find((e): e is PlanEvent => e.type === 'plan');
  if (plan) return { kind: 'plan', plan };
  if (spawnError) return { kind: 'unavailable', reason: `could not start node: ${spawnError.message}` };
  const finished = events.find((e) => e.type === 'run-finished');
  const message = finished?.type === 'run-finished' ? finished.message : undefined;
  const lastLine = output.trim().split('\n').at(-1);
  return {
    kind: 'unavailable',
    reason: message ?? (lastLine || `plumb exited with code ${code} without a plan`),
  };
}
