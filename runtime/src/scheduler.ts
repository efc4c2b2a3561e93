// Decides what runs when: a ready queue fed by dependency counters (linear in tasks + edges),
// at most `workers` attempts at once, retries with backoff, keep-going (a failure blocks only
// what depends on it), dynamic requirements, and cancellation. Running an attempt is the worker's job.
// User code always starts on a later macrotask than the events announcing it, so buffered event
// writers (flushed on setImmediate) have written task-running before a run() can block the thread.
import { type RunEventPayload } from './events';
import { toGraphNode, type TaskGraph, type TaskNode } from './graph';
import { type LogLevel, type TaskRunHooks } from './task-context';
import { isTask, outputsOf, type Requirements, type Task, type TaskMethods } from './task';
import { flattenShape, mapShape } from './task-shape';
import { describeError } from './task-error';
import { runAttempt, TaskCancelledError, TaskTimeoutError, type AttemptOutcome } from './worker';

export interface TaskPolicy {
  retries: number;
  retryDelayMs: number;
  /** Delay multiplier per further attempt. */
  retryBackoff: number;
  /** 0 = no timeout. */
  timeoutMs: number;
  isolate: boolean;
}

/** Runs an attempt in another process (supplied by the CLI shell; the core has no process code). */
export type IsolatedRunner = (
  node: TaskNode,
  hooks: TaskRunHooks,
  attempt: number,
  /** Called once the child process exists, with its pid (before it can log anything). */
  spawned: (pid: number | undefined) => void,
) => Promise<AttemptOutcome>;

export interface SchedulerOptions {
  workers: number;
  policyFor(task: Task): TaskPolicy;
  emit(event: RunEventPayload): void;
  /** Called with nodes discovered while running (dynamic requirements), to emit them. */
  onDiscovered?(nodes: TaskNode[], edges: { from: string; to: string; dynamic?: boolean }[]): void;
  runIsolated?: IsolatedRunner;
  /** How long a cancelled run waits for running attempts to stop before giving up on them. */
  cancelGraceMs?: number;
  /**
   * Start user code a macrotask after the events announcing it (default true), so listeners that
   * buffer and flush on setImmediate have written them before a run() can block the thread.
   * Without such listeners, false runs a burst of small synchronous tasks in one turn.
   */
  yieldBeforeUserCode?: boolean;
}

/** A requirement failed or is missing, so the task waiting for it cannot continue. */
export class BlockedError extends Error {
  constructor(readonly blockedBy: string[]) {
    super(`blocked by ${blockedBy.join(', ')}`);
    this.name = 'BlockedError';
  }
}

interface ReadyItem {
  node: TaskNode;
  /** Continues a suspended attempt instead of starting a new one. */
  wake?: () => void;
}

interface NodeRunState {
  controller?: AbortController;
  timer?: ReturnType<typeof setTimeout>;
  startedAt: number;
  lastProgressAt: number;
  /** What to do once the dynamic requirements it waits for are complete / have failed. */
  onUnblocked?: () => void;
  onAbandoned?: (blockedBy: string[]) => void;
  succeededAfterRetry?: boolean;
}

const SLICE_MS = 25;

export class Scheduler {
  private readonly ready: ReadyItem[] = [];
  private head = 0;
  private running = 0;
  /** Retry timers and dynamic discoveries in flight: the run is not over while any is. */
  private inFlight = 0;
  private cancelled = false;
  private readonly state = new Map<TaskNode, NodeRunState>();
  private readonly retryTimers = new Map<TaskNode, ReturnType<typeof setTimeout>>();
  private finish!: () => void;
  private pumping = false;
  /** User code (attempts to start, suspended attempts to wake) waiting for the next macrotask. */
  private launches: (() => void)[] = [];
  private launchScheduled = false;
  readonly succeededAfterRetry = new Set<string>();

  constructor(
    private readonly graph: TaskGraph,
    private readonly options: SchedulerOptions,
  ) {}

  /** Runs every pending node of the graph; resolves when nothing more can run. */
  run(): Promise<void> {
    const done = new Promise<void>((resolve) => (this.finish = resolve));
    this.admit([...this.graph.nodes.values()]);
    this.pump();
    return done;
  }

  /** Stops starting tasks, aborts running ones and marks everything unfinished cancelled. */
  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    for (const [node, timer] of this.retryTimers) {
      clearTimeout(timer);
      this.inFlight--;
      this.markCancelled(node);
    }
    this.retryTimers.clear();
    for (const node of this.graph.nodes.values()) {
      if (node.state === 'pending' || node.state === 'waiting') this.markCancelled(node);
      const st = this.state.get(node);
      if (node.state === 'running' && st) controllerOf(st).abort(new TaskCancelledError(node.id));
    }
    const grace = this.options.cancelGraceMs ?? 5000;
    setTimeout(() => this.finish(), grace).unref();
    this.pump();
  }

  /**
   * Fails every attempt running in this process with errorFor(taskId) and returns their ids. The
   * run guard's (run-guard.ts): when the event loop runs empty, a pending run() can never settle.
   */
  failRunning(errorFor: (taskId: string) => Error): string[] {
    const ids: string[] = [];
    for (const [node, st] of this.state) {
      if (node.state !== 'running') continue;
      ids.push(node.id);
      const controller = controllerOf(st);
      if (!controller.signal.aborted) controller.abort(errorFor(node.id));
    }
    return ids;
  }

  /** Blocks what depends on failed/missing nodes, then queues pending nodes whose inputs are complete. */
  private admit(nodes: TaskNode[]): void {
    for (const node of nodes) {
      if (node.state === 'failed' || node.state === 'missing-external') this.blockDependents(node);
    }
    for (const node of nodes) {
      if (node.state !== 'pending') continue;
      let remaining = 0;
      for (const dep of node.deps) if (dep.state !== 'complete' && dep.state !== 'done') remaining++;
      node.remaining = remaining;
      if (remaining === 0) this.ready.push({ node });
    }
  }

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    const sliceStart = performance.now();
    try {
      while (!this.cancelled && this.running < this.options.workers && this.head < this.ready.length) {
        const item = this.ready[this.head++]!;
        if (item.wake) {
          this.running++;
          item.node.state = 'running';
          this.launch(item.wake);
        } else if (item.node.state === 'pending' || item.node.state === 'retrying') {
          this.start(item.node);
        }
        // Keep the event loop breathing (signals, async tasks, output) during long synchronous stretches.
        if (performance.now() - sliceStart > SLICE_MS) {
          setImmediate(() => this.pump());
          return;
        }
      }
      if (this.head > 4096 && this.head * 2 > this.ready.length) {
        this.ready.splice(0, this.head);
        this.head = 0;
      }
      if (this.running === 0 && this.inFlight === 0 && (this.cancelled || this.head >= this.ready.length)) {
        this.finish();
      }
    } finally {
      this.pumping = false;
    }
  }

  /**
   * Queues user code for the next macrotask. setImmediate callbacks run in order, so the event
   * writers' flushes scheduled by the events just emitted run first; all the attempts started in
   * one pump share that turn, which keeps large runs batched (one write per turn, not per event).
   */
  private launch(userCode: () => void): void {
    if (this.options.yieldBeforeUserCode === false) {
      userCode();
      return;
    }
    this.launches.push(userCode);
    if (this.launchScheduled) return;
    this.launchScheduled = true;
    setImmediate(() => {
      this.launchScheduled = false;
      const batch = this.launches;
      this.launches = [];
      for (const run of batch) run();
      this.pump();
    });
  }

  private start(node: TaskNode): void {
    const policy = this.options.policyFor(node.task);
    node.attempts++;
    node.state = 'running';
    this.running++;
    const st: NodeRunState = { startedAt: Date.now(), lastProgressAt: 0 };
    this.state.set(node, st);
    if (policy.timeoutMs > 0) {
      st.timer = setTimeout(
        () => controllerOf(st).abort(new TaskTimeoutError(node.id, policy.timeoutMs)),
        policy.timeoutMs,
      );
      st.timer.unref?.();
    }
    const hooks = this.hooksFor(node, st);
    if (policy.isolate && this.options.runIsolated && typeof (node.task as TaskMethods).run === 'function') {
      // Another process runs the user code: this thread never blocks on it.
      const outcome = this.options.runIsolated(node, hooks, node.attempts, (pid) =>
        this.options.emit({
          type: 'task-running',
          taskId: node.id,
          attempt: node.attempts,
          ...(pid !== undefined ? { pid } : {}),
        }),
      );
      this.handle(node, outcome);
    } else {
      this.options.emit({ type: 'task-running', taskId: node.id, attempt: node.attempts });
      this.launch(() => this.handle(node, runAttempt(node.task, hooks)));
    }
  }

  private handle(node: TaskNode, outcome: AttemptOutcome | Promise<AttemptOutcome>): void {
    if (outcome instanceof Promise) {
      outcome.then(
        (o) => {
          this.settle(node, o);
          this.pump();
        },
        (error: unknown) => {
          this.settle(node, { kind: 'failed', error });
          this.pump();
        },
      );
    } else {
      this.settle(node, outcome);
    }
  }

  private settle(node: TaskNode, outcome: AttemptOutcome): void {
    const st = this.state.get(node)!;
    this.running--;
    if (node.state === 'blocked' || node.state === 'cancelled') {
      this.clear(node, st);
      return; // already reported: a dynamic requirement failed, or the run was cancelled
    }
    if (outcome.kind === 'yield') {
      this.suspend(
        node,
        st,
        outcome.tasks,
        (outputs) => this.handle(node, outcome.resume(outputs)),
        (error) => this.settle(node, { kind: 'failed', error }),
      );
      return;
    }
    if (outcome.kind === 'done') {
      this.verify(node, st);
      return;
    }
    this.clear(node, st);
    if (outcome.cancelled || this.cancelled) {
      this.markCancelled(node);
      return;
    }
    this.fail(node, st, outcome.error, outcome.timedOut === true);
  }

  /** A finished run() counts only when the task is now complete (its outputs really exist). */
  private verify(node: TaskNode, st: NodeRunState): void {
    let result: boolean | Promise<boolean>;
    try {
      result = node.task.complete();
    } catch (error) {
      this.clear(node, st);
      this.fail(node, st, error, false);
      return;
    }
    const conclude = (ok: boolean) => {
      this.clear(node, st);
      if (ok) this.markDone(node, st);
      else this.fail(node, st, missingOutputsError(node), false);
    };
    if (typeof result === 'boolean') conclude(result);
    else {
      this.running++;
      result.then(
        (ok) => {
          this.running--;
          conclude(ok);
          this.pump();
        },
        (error: unknown) => {
          this.running--;
          this.clear(node, st);
          this.fail(node, st, error, false);
          this.pump();
        },
      );
    }
  }

  private clear(node: TaskNode, st: NodeRunState): void {
    if (st.timer) clearTimeout(st.timer);
    st.timer = undefined;
  }

  private markDone(node: TaskNode, st: NodeRunState): void {
    node.state = 'done';
    if (node.attempts > 1) this.succeededAfterRetry.add(node.id);
    this.options.emit({
      type: 'task-done',
      taskId: node.id,
      attempt: node.attempts,
      durationMs: Date.now() - st.startedAt,
    });
    this.state.delete(node);
    for (const d of node.dependents) {
      if ((d.state === 'pending' || d.state === 'waiting') && --d.remaining === 0) {
        const wake = this.state.get(d)?.onUnblocked;
        this.ready.push(d.state === 'waiting' && wake ? { node: d, wake } : { node: d });
      }
    }
  }

  private fail(node: TaskNode, st: NodeRunState, error: unknown, timedOut: boolean): void {
    if (error instanceof BlockedError) {
      this.markBlocked(node, error.blockedBy);
      return;
    }
    const policy = this.options.policyFor(node.task);
    const willRetry = !this.cancelled && node.attempts <= policy.retries;
    this.options.emit({
      type: 'task-failed',
      taskId: node.id,
      attempt: node.attempts,
      durationMs: Date.now() - st.startedAt,
      error: describeError(error),
      willRetry,
      ...(timedOut ? { timedOut: true } : {}),
    });
    if (willRetry) {
      const delayMs = Math.round(policy.retryDelayMs * Math.pow(policy.retryBackoff, node.attempts - 1));
      node.state = 'retrying';
      this.options.emit({ type: 'task-retrying', taskId: node.id, nextAttempt: node.attempts + 1, delayMs });
      this.inFlight++;
      const timer = setTimeout(() => {
        this.retryTimers.delete(node);
        this.inFlight--;
        this.ready.push({ node });
        this.pump();
      }, delayMs);
      this.retryTimers.set(node, timer);
      return;
    }
    node.state = 'failed';
    this.state.delete(node);
    this.blockDependents(node);
  }

  /** Marks everything downstream of `cause` blocked (each node once: linear overall). */
  private blockDependents(cause: TaskNode): void {
    const stack = [...cause.dependents];
    while (stack.length > 0) {
      const d = stack.pop()!;
      if (d.state === 'blocked') {
        if (d.blockedBy && d.blockedBy.length < 20 && !d.blockedBy.includes(cause.id))
          d.blockedBy.push(cause.id);
        continue;
      }
      if (d.state !== 'pending' && d.state !== 'waiting') continue;
      this.markBlocked(d, [cause.id]);
      for (const x of d.dependents) stack.push(x);
    }
  }

  private markBlocked(node: TaskNode, blockedBy: string[]): void {
    const wasWaiting = node.state === 'waiting';
    node.state = 'blocked';
    node.blockedBy = blockedBy;
    this.options.emit({ type: 'task-skipped', taskId: node.id, reason: 'blocked', blockedBy });
    if (wasWaiting) this.state.get(node)?.onAbandoned?.(blockedBy);
    this.blockDependents(node);
  }

  private markCancelled(node: TaskNode): void {
    const wasWaiting = node.state === 'waiting';
    node.state = 'cancelled';
    this.options.emit({ type: 'task-skipped', taskId: node.id, reason: 'cancelled' });
    if (wasWaiting) this.state.get(node)?.onAbandoned?.([]);
  }

  /**
   * The attempt waits for dynamic requirements: it gives up its worker slot, the requirements are
   * discovered and scheduled, and `resume` runs (with their outputs) once all are complete.
   */
  private suspend(
    node: TaskNode,
    st: NodeRunState,
    tasks: Requirements,
    resume: (outputs: unknown) => void,
    failWith: (error: unknown) => void,
  ): void {
    node.state = 'waiting';
    st.onUnblocked = () => {
      st.onUnblocked = undefined;
      resume(mapShape(tasks, isTask, (t) => (t as TaskMethods).output?.() ?? []));
    };
    st.onAbandoned = () => undefined;
    this.inFlight++;
    const list = flattenShape(tasks, isTask);
    this.graph.discover(list, { expand: true }, node).then(
      (found) => {
        this.inFlight--;
        this.options.onDiscovered?.(found.nodes, found.edges);
        const cycle = this.graph.findCycle([node]);
        if (cycle) {
          this.running++;
          node.state = 'running';
          failWith(new Error(`dependency cycle: ${cycle.join(' → ')}`));
        } else if (node.state === 'waiting') {
          this.admit(found.nodes);
          const canonical = list.map((t) => this.graph.nodes.get(t.taskId)!);
          const bad = canonical.filter((n) =>
            ['failed', 'missing-external', 'blocked', 'cancelled'].includes(n.state),
          );
          if (bad.length > 0)
            this.markBlocked(
              node,
              bad.map((n) => n.id),
            );
          else {
            node.remaining = canonical.filter((n) => n.state !== 'complete' && n.state !== 'done').length;
            if (node.remaining === 0) this.ready.push({ node, wake: st.onUnblocked });
          }
        }
        this.pump();
      },
      (error: unknown) => {
        this.inFlight--;
        this.running++;
        node.state = 'running';
        failWith(error);
        this.pump();
      },
    );
  }

  private hooksFor(node: TaskNode, st: NodeRunState): TaskRunHooks {
    return new AttemptHooks(node, st, this.options.emit, this.dependOn);
  }

  /**
   * dependOn() from an async run(): the attempt's promise is still pending, so waiting releases the
   * slot here and waking takes it back; settle() then gives it up once, as for any attempt.
   * One function for the whole run (attempt hooks share it), not a closure per task.
   */
  private readonly dependOn = (node: TaskNode, st: NodeRunState, tasks: unknown): Promise<unknown> =>
    new Promise((resolve, reject) => {
      this.running--;
      this.suspend(node, st, tasks as Requirements, resolve, reject);
      st.onAbandoned = (blockedBy) => {
        this.running++;
        reject(new BlockedError(blockedBy));
      };
      this.pump();
    });
}

/** What one attempt's code can tell or ask the run: one small object per attempt, methods shared. */
class AttemptHooks implements TaskRunHooks {
  readonly taskId: string;
  private readonly attempt: number;

  constructor(
    private readonly node: TaskNode,
    private readonly st: NodeRunState,
    private readonly emit: SchedulerOptions['emit'],
    private readonly waitFor: (node: TaskNode, st: NodeRunState, tasks: unknown) => Promise<unknown>,
  ) {
    this.taskId = node.id;
    this.attempt = node.attempts;
  }

  // Made on first use: most small synchronous tasks never look at it, and 100,000 controllers cost.
  get signal(): AbortSignal {
    return controllerOf(this.st).signal;
  }

  get stopped(): boolean {
    return this.st.controller?.signal.aborted ?? false;
  }

  progress(fraction: number): void {
    const now = Date.now();
    if (fraction < 1 && now - this.st.lastProgressAt < 100) return; // at most ten a second per task
    this.st.lastProgressAt = now;
    this.emit({ type: 'task-progress', taskId: this.taskId, fraction });
  }

  status(message: string): void {
    this.emit({ type: 'task-status', taskId: this.taskId, message });
  }

  log(level: LogLevel, text: string): void {
    for (const line of text.split('\n')) this.emit({ type: 'task-log', taskId: this.taskId, level, line });
  }

  dependOn(tasks: unknown): Promise<unknown> {
    return this.waitFor(this.node, this.st, tasks);
  }

  /**
   * Fails this attempt with `error` (the run guard blames it for an uncaught error, a rejection
   * nobody handled, or process.exit); false when the attempt is already over.
   */
  fail(error: unknown): boolean {
    const node = this.node;
    const live = (node.state === 'running' || node.state === 'waiting') && node.attempts === this.attempt;
    if (!live) return false;
    const controller = controllerOf(this.st);
    if (!controller.signal.aborted) controller.abort(error);
    return true;
  }
}

function controllerOf(st: NodeRunState): AbortController {
  return (st.controller ??= new AbortController());
}

function missingOutputsError(node: TaskNode): Error {
  let missing: string[] = [];
  try {
    missing = outputsOf(node.task)
      .filter((t) => t.exists() === false)
      .map(String);
  } catch {
    /* reported as is */
  }
  return new Error(
    `${node.id}: run() finished but the task is not complete${missing.length ? `; missing outputs: ${missing.join(', ')}` : ''}`,
  );
}

export { toGraphNode };
export { describeError } from './task-error';
