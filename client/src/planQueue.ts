// Plans on demand, cheaply: one plan process at a time, a newer graph request superseding an older
// one (its process is stopped), and each plan cached per file + task + parameters until invalidated
// (a save, a run's end), then kept, marked stale, until its replacement arrives. No vscode.
import type { RunEvent } from '../../runtime/src/events';
import { planArguments, planKey, planResultOf, sameRunTitle, type PlanResult } from './planModel';
import type { RunRequest } from './runCommandLine';
import { RunProcess } from './runProcess';

/** A plan being made: resolves with the plan or why there is none; cancel() stops it at once. */
export interface PlanProcess {
  exited: Promise<PlanResult>;
  cancel(): void;
}

/** graph: the overlay (a newer one supersedes it); lens: background, in order. */
export type PlanPriority = 'graph' | 'lens';

/**
 * 'plan': a plan arrived that a Run lens would show differently (or the first of its run);
 * 'same-plan': a fresh plan a lens would show as it shows the stale one (nothing to redraw);
 * 'stale': what is shown may be out of date (ask again).
 */
export type PlanChange = 'plan' | 'same-plan' | 'stale';

interface Job {
  key: string;
  request: RunRequest;
  priority: PlanPriority;
  /** The invalidation count when it was asked: a plan made across a save is stale at once. */
  generation: number;
  waiters: ((result: PlanResult | undefined) => void)[];
}

/** How long a plan may take: one stuck in a slow complete() must not hold the queue. */
export const PLAN_TIMEOUT_MS = 30_000;

/** `plumb run … --plan` in a child process, the way runs are started (runProcess.ts). */
export function spawnPlan(
  options: { nodePath: string; cliPath: string; cwd: string; timeoutMs?: number },
  request: RunRequest,
): PlanProcess {
  const { timeoutMs = PLAN_TIMEOUT_MS, ...where } = options;
  const events: RunEvent[] = [];
  let output = '';
  const child = new RunProcess({
    ...where,
    args: planArguments(request),
    onEvents: (batch) => events.push(...batch),
    onOutput: (text) => (output = (output + text).slice(-4000)),
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.cancel(0, 0);
  }, timeoutMs);
  return {
    exited: child.exited.then((exit): PlanResult => {
      clearTimeout(timer);
      if (timedOut)
        return { kind: 'unavailable', reason: `no plan after ${timeoutMs / 1000} s (a slow complete()?)` };
      return planResultOf(events, exit.code, output, exit.spawnError);
    }),
    cancel: () => child.cancel(0, 0),
  };
}

export class PlanQueue {
  private readonly cache = new Map<string, { result: PlanResult; stale: boolean }>();
  private pending: Job[] = [];
  private current: { job: Job; process: PlanProcess; superseded: boolean } | undefined;
  private generation = 0;
  /** Plan processes started so far (what it cost). */
  started = 0;

  constructor(
    private readonly start: (request: RunRequest) => PlanProcess,
    private readonly onChange: (change: PlanChange) => void = () => undefined,
  ) {}

  /** The last plan for this run, fresh or stale, without asking for one. */
  peek(request: RunRequest): { result: PlanResult; stale: boolean } | undefined {
    return this.cache.get(planKey(request));
  }

  /** A fresh plan (cached, or made now); undefined when a newer graph request superseded it. */
  request(request: RunRequest, priority: PlanPriority): Promise<PlanResult | undefined> {
    const key = planKey(request);
    const cached = this.cache.get(key);
    if (cached && !cached.stale) return Promise.resolve(cached.result);
    const result = new Promise<PlanResult | undefined>((resolve) => {
      if (this.current?.job.key === key && !this.current.superseded) {
        this.current.job.waiters.push(resolve);
        return;
      }
      if (priority === 'graph') this.supersedeGraphRequests(key);
      let job = this.pending.find((j) => j.key === key);
      if (!job) job = { key, request, priority, generation: this.generation, waiters: [] };
      else this.pending = this.pending.filter((j) => j !== job);
      if (priority === 'graph') job.priority = 'graph';
      job.waiters.push(resolve);
      if (job.priority === 'graph') this.pending.unshift(job);
      else this.pending.push(job);
    });
    this.pump();
    return result;
  }

  /** Saved files and finished runs change what is complete: every plan is stale now. */
  invalidate(): void {
    this.generation++;
    for (const entry of this.cache.values()) entry.stale = true;
    this.onChange('stale');
  }

  private supersedeGraphRequests(key: string): void {
    for (const job of this.pending.filter((j) => j.priority === 'graph' && j.key !== key)) {
      this.pending = this.pending.filter((j) => j !== job);
      for (const w of job.waiters) w(undefined);
    }
    const current = this.current;
    if (current && current.job.priority === 'graph' && current.job.key !== key) {
      current.superseded = true;
      current.process.cancel();
    }
  }

  private pump(): void {
    if (this.current) return;
    const job = this.pending.shift();
    if (!job) return;
    this.started++;
    const current = { job, process: this.start(job.request), superseded: false };
    this.current = current;
    void current.process.exited.then((planned) => {
      this.current = undefined;
      const result = current.superseded ? undefined : planned;
      const before = this.cache.get(job.key)?.result;
      if (result) this.cache.set(job.key, { result, stale: job.generation !== this.generation });
      for (const w of job.waiters) w(result);
      if (result) this.onChange(before && sameRunTitle(before, result) ? 'same-plan' : 'plan');
      this.pump();
    });
  }

  dispose(): void {
    if (this.current) {
      this.current.superseded = true;
      this.current.process.cancel();
    }
    for (const job of this.pending.splice(0)) for (const w of job.waiters) w(undefined);
  }
}
