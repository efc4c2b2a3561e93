// Decides what runs when: a ready queue fed by dependency counters (linear in tasks + edges),
// at most `workers` attempts at once, retries with backoff, keep-going (a failure or a scheduling
// error blocks only what depends on it, naming every root cause), dynamic requirements, a re-check
// of requirements when a task becomes ready, and cancellation. Running an attempt is the worker's job.
// User code always starts on a later macrotask than the events announcing it, so buffered event
// writers (flushed on setImmediate) have written task-running before a run() can block the thread.
import { committedBy } from './atomic-write';
import { type TaskStepType } from './event-stream';
import { type RunEventPayload } from './events';
import { completeOf, missingOutputs, toGraphNode, type TaskGraph, type TaskNode } from './graph';
import { type LogLevel, type TaskRunHooks } from './task-context';
import { LocalTarget } from './local-target';
import { isTask, notATask, requirementsOf, Task, type Requirements, type TaskMethods } from './task';
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
  /** Called once the child process exists, with its pid (before it can log anything), and on a
   * cluster the worker that runs it, and the attempt's number when it is not `attempt` (a cluster
   * run resumed by another scheduler follows the attempt already going: the count goes on from it). */
  spawned: (pid: number | undefined, worker?: string, attempt?: number) => void,
) => Promise<AttemptOutcome>;

export interface SchedulerOptions {
  workers: number;
  policyFor(task: Task): TaskPolicy;
  emit(event: RunEventPayload): void;
  /**
   * task-pending, task-running (in this process) and task-done, which every task sends: emitted
   * without a payload object when given (EventStream.emitTaskStep), else through emit().
   */
  emitTaskStep?(type: TaskStepType, node: TaskNode, attempt?: number, durationMs?: number): void;
  /** Called with nodes discovered while running (dynamic requirements), to emit them. */
  onDiscovered?(nodes: TaskNode[], edges: { from: string; to: string; dynamic?: boolean }[]): void;
  runIsolated?: IsolatedRunner;
  /**
   * After run() left the task complete: its data checks (operations/checks.ts). Resolves with the
   * error that fails the attempt, or undefined when the task stands. Absent: no checks run.
   */
  checkOutputs?(node: TaskNode): Promise<Error | undefined> | undefined;
  /** How long a cancelled run waits for running attempts to stop before giving up on them. */
  cancelGraceMs?: number;
  /**
   * Start user code a macrotask after the events announcing it (default true), so listeners that
   * buffer and flush on setImmediate have written them before a run() can block the thread.
   * Without such listeners, false runs a burst of small synchronous tasks in one turn.
   */
  yieldBeforeUserCode?: boolean;
  /**
   * `--max-tasks N`: at most N tasks with a run() start in this run (retries and wrappers do not
   * count); the rest stay pending, which the summary lists as notRun. 0 or absent: no limit.
   */
  maxTasks?: number;
}

/** A requirement failed or is missing, so the task waiting for it cannot continue. */
export class BlockedError extends Error {
  constructor(readonly blockedBy: string[]) {
    super(`blocked by ${blockedBy.join(', ')}`);
    this.name = 'BlockedError';
  }
}

type YieldOutcome = Extract<AttemptOutcome, { kind: 'yield' }>;

/** A suspended attempt to continue, in the ready queue beside the nodes to start. */
class Wake {
  constructor(
    readonly node: TaskNode,
    readonly wake: () => void,
  ) {}
}
/** A node to start (as itself: no object per task in a queue of 100,000) or an attempt to wake. */
type ReadyItem = TaskNode | Wake;
/** A waiting node's wake-up when it has one, else the node (started anew). */
const readyItem = (node: TaskNode, wake: (() => void) | undefined): ReadyItem =>
  node.state === 'waiting' && wake ? new Wake(node, wake) : node;

/** Longest synchronous stretch before the event loop breathes (Date.now(): see graph.ts). */
const SLICE_MS = 25;
/** States in which a node will not become complete in this run: an optional edge stops waiting. */
const SETTLED_UNUSABLE = new Set<string>(['failed', 'missing-external', 'broken', 'blocked']);

export class Scheduler {
  private readonly ready: ReadyItem[] = [];
  private head = 0;
  private running = 0;
  /** Retry timers and dynamic discoveries in flight: the run is not over while any is. */
  private inFlight = 0;
  private cancelled = false;
  private readonly retryTimers = new Map<TaskNode, ReturnType<typeof setTimeout>>();
  /** Ends run(); a no-op until run() starts (cancel() may come first, during discovery). */
  private finish: () => void = () => undefined;
  /** Nodes in the order they reached a final state (the summary lists tasks in that order). */
  readonly settledOrder: TaskNode[] = [];
  /** Numbers each blocking pass, so a pass visits a node once. */
  private blockPass = 0;
  /** True while admit() blocks dependents, before it counts what each node still waits for. */
  private admitting = false;
  private pumping = false;
  /** User code (attempts to start, suspended attempts to wake) waiting for the next macrotask. */
  private launches: (() => void)[] = [];
  private launchScheduled = false;
  /**
   * Changes whenever user code may have run (a new microtask, or run() called from here), so a
   * requirement found complete in this turn need not be asked again before a dependent starts.
   */
  private turn = 0;
  private turnEnds = false;
  readonly succeededAfterRetry = new Set<string>();
  /** Attempts that have ended, however: a task verified complete after the last one needs no re-check. */
  attemptsEnded = 0;
  /** Tasks started (first attempts of tasks with a run()), against maxTasks. */
  private started = 0;
  /** Tasks that were ready to start when maxTasks was reached (they stay pending: notRun). */
  heldByLimit = 0;
  /** Numbers attempts as they start (a retry keeps its first attempt's): failRunning's order. */
  private startSeq = 0;
  /** What every attempt's hooks reach of this scheduler. */
  private readonly host: AttemptHost;

  constructor(
    private readonly graph: TaskGraph,
    private readonly options: SchedulerOptions,
  ) {
    this.host = { emit: options.emit, dependOn: this.dependOn, commitOutsideSlot: this.commitOutsideSlot };
  }

  /** Runs every pending node of the graph; resolves when nothing more can run. */
  run(): Promise<void> {
    const done = new Promise<void>((resolve) => (this.finish = resolve));
    // forEach, not for…of: no iterator result object per node.
    this.graph.nodes.forEach((node) => {
      if (node.state !== 'pending' && node.state !== 'waiting') this.settled(node);
    });
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
      if (node.state === 'running' && node.attempt) node.attempt.abort(new TaskCancelledError(node.id));
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
    const running: Attempt[] = [];
    for (const node of this.graph.nodes.values())
      if (node.state === 'running' && node.attempt) running.push(node.attempt);
    running.sort((a, b) => a.seq - b.seq); // in the order they started
    for (const attempt of running) if (!attempt.stopped) attempt.abort(errorFor(attempt.taskId));
    return running.map((attempt) => attempt.taskId);
  }

  /** Blocks what depends on failed/missing nodes, then queues pending nodes whose inputs are complete. */
  private admit(nodes: TaskNode[]): void {
    this.admitting = true;
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      if (node.state === 'failed' || node.state === 'missing-external' || node.state === 'broken')
        this.blockDependents(node);
    }
    this.admitting = false;
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      if (node.state !== 'pending') continue;
      let remaining = 0;
      const deps = node.deps;
      for (let j = 0; j < deps.length; j++) {
        const dep = deps[j]!;
        if (dep.state === 'complete' || dep.state === 'done') continue;
        if (node.optionalDeps?.has(dep) && SETTLED_UNUSABLE.has(dep.state)) {
          (node.releasedDeps ??= new Set()).add(dep);
          continue;
        }
        remaining++;
      }
      node.remaining = remaining;
      if (remaining === 0) this.ready.push(node);
    }
  }

  /**
   * `dep`, required optionally by `d`, failed (or is broken, missing or blocked): `d` no longer
   * waits for it. Once per edge, whichever of the dep's causes comes first.
   */
  private releaseOptional(d: TaskNode, dep: TaskNode): void {
    if (d.releasedDeps?.has(dep)) return;
    (d.releasedDeps ??= new Set()).add(dep);
    // While admitting, remaining is counted afterwards (skipping released deps).
    if (this.admitting) return;
    if ((d.state === 'pending' || d.state === 'waiting') && --d.remaining === 0) {
      this.ready.push(readyItem(d, d.attempt?.onUnblocked));
    }
  }

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    const sliceStart = Date.now();
    try {
      while (!this.cancelled && this.running < this.options.workers && this.head < this.ready.length) {
        const item = this.ready[this.head++]!;
        if (item instanceof Wake) {
          if (item.node.state !== 'waiting') continue; // its attempt ended meanwhile (a timeout)
          this.running++;
          item.node.state = 'running';
          this.launch(item.wake);
        } else if (item.state === 'pending' || item.state === 'retrying') {
          this.start(item);
        }
        // Keep the event loop breathing (signals, async tasks, output) during long synchronous stretches.
        if (Date.now() - sliceStart > SLICE_MS) {
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
      this.turn++;
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
      for (const run of batch) {
        this.turn++;
        run();
      }
      this.pump();
    });
  }

  private start(node: TaskNode, depsChecked = false): void {
    // A task without run() reads no inputs: verify() (its complete()) checks its requirements.
    if (
      !depsChecked &&
      node.deps.length > 0 &&
      typeof (node.task as TaskMethods).run === 'function' &&
      !this.depsStillComplete(node)
    )
      return;
    const limit = this.options.maxTasks ?? 0;
    if (limit > 0 && node.attempts === 0 && typeof (node.task as TaskMethods).run === 'function') {
      if (this.started >= limit) {
        this.heldByLimit++;
        return; // stays pending: notRun, as everything that waits for it
      }
      this.started++;
    }
    const policy = this.options.policyFor(node.task);
    node.attempts++;
    node.state = 'running';
    this.running++;
    const attempt = new Attempt(node, node.attempt?.seq ?? ++this.startSeq, this.host);
    node.attempt = attempt;
    if (policy.timeoutMs > 0) attempt.timeOutAfter(policy.timeoutMs);
    if (policy.isolate && this.options.runIsolated && typeof (node.task as TaskMethods).run === 'function') {
      this.startIsolated(node, attempt, this.options.runIsolated);
    } else {
      this.step('task-running', node, node.attempts);
      if (this.options.yieldBeforeUserCode === false) this.runNow(node, attempt);
      else this.runLater(node, attempt);
    }
  }

  // Closures live in their own small methods (startIsolated, runLater, handleLater, verifyLater and others):
  // V8 allocates a function's context when it is entered if any closure in it captures a local, so
  // the synchronous path of a small task (runNow, settle, verify, conclude) allocates none.

  /** Another process runs the user code: this thread never blocks on it. */
  private startIsolated(node: TaskNode, attempt: Attempt, runIsolated: IsolatedRunner): void {
    const outcome = runIsolated(node, attempt, node.attempts, (pid, worker, number) => {
      if (number !== undefined) node.attempts = number;
      this.options.emit({
        type: 'task-running',
        taskId: node.id,
        attempt: node.attempts,
        ...(pid !== undefined ? { pid } : {}),
        ...(worker !== undefined ? { worker } : {}),
      });
    });
    this.handle(node, outcome);
  }

  /** The attempt's code, in this process, in this turn (yieldBeforeUserCode false). */
  private runNow(node: TaskNode, attempt: Attempt): void {
    this.turn++;
    this.handle(node, runAttempt(node.task, attempt));
  }

  /** The attempt's code, in this process, once the events announcing it are written (launch). */
  private runLater(node: TaskNode, attempt: Attempt): void {
    this.launch(() => this.handle(node, runAttempt(node.task, attempt)));
  }

  private handle(node: TaskNode, outcome: AttemptOutcome | Promise<AttemptOutcome>): void {
    if (outcome instanceof Promise) this.handleLater(node, outcome);
    else this.settle(node, outcome);
  }

  private handleLater(node: TaskNode, outcome: Promise<AttemptOutcome>): void {
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
  }

  private settle(node: TaskNode, outcome: AttemptOutcome): void {
    const attempt = node.attempt!;
    // An attempt stopped (timeout) while it waited in dependOn() gave its slot back when it began to wait.
    if (node.state !== 'waiting') this.running--;
    if (outcome.kind !== 'yield') this.attemptsEnded++;
    if (node.state === 'blocked' || node.state === 'cancelled' || node.state === 'broken') {
      attempt.clearTimer();
      return; // already reported: a dynamic requirement failed or is broken, or the run was cancelled
    }
    if (outcome.kind === 'yield') {
      this.suspendGenerator(node, attempt, outcome);
      return;
    }
    if (outcome.kind === 'done') {
      this.verify(node, attempt);
      return;
    }
    attempt.clearTimer();
    if (outcome.cancelled || this.cancelled) {
      this.markCancelled(node);
      return;
    }
    this.fail(node, attempt.startedAt, outcome.error, outcome.timedOut === true);
  }

  /** A generator run() yielded dynamic requirements: it resumes with their outputs once they are complete. */
  private suspendGenerator(node: TaskNode, attempt: Attempt, outcome: YieldOutcome): void {
    this.suspend(
      node,
      attempt,
      outcome.tasks,
      (outputs) => this.handle(node, outcome.resume(outputs)),
      () => undefined, // the generator stays suspended: nothing of it runs again
    );
  }

  /**
   * A finished run() counts only when the task is now complete (its outputs really exist). Outputs
   * its own code just renamed into place are known to exist without asking the disk; such a task
   * is not remembered as verified, so a dependent about to start and the roots' check at the end
   * still ask (an output removed after its write is caught there).
   */
  private verify(node: TaskNode, attempt: Attempt): void {
    let result: boolean | Promise<boolean>;
    const written = wroteItsOutputs(node, attempt);
    try {
      result = written || completeOf(node);
    } catch (error) {
      attempt.clearTimer();
      this.fail(node, attempt.startedAt, error, false);
      return;
    }
    if (typeof result === 'boolean') this.conclude(node, attempt, result, written);
    else this.verifyLater(node, attempt, result, written);
  }

  /** verify() of a task whose complete() answers asynchronously: it holds its worker slot meanwhile. */
  private verifyLater(node: TaskNode, attempt: Attempt, result: Promise<boolean>, written: boolean): void {
    this.running++;
    result.then(
      (ok) => {
        this.running--;
        this.conclude(node, attempt, ok, written);
        this.pump();
      },
      (error: unknown) => {
        this.running--;
        attempt.clearTimer();
        this.fail(node, attempt.startedAt, error, false);
        this.pump();
      },
    );
  }

  /** What verify() found: the task is done (once its data checks pass), runs again, or failed. */
  private conclude(node: TaskNode, attempt: Attempt, ok: boolean, written: boolean): void {
    attempt.clearTimer();
    if (!ok) {
      if (!this.rerunVanished(node)) this.fail(node, attempt.startedAt, missingOutputsError(node), false);
      return;
    }
    const checked = this.options.checkOutputs?.(node);
    if (checked) this.acceptAfterChecks(node, attempt, checked, written);
    else this.accept(node, attempt, !written);
  }

  private acceptAfterChecks(
    node: TaskNode,
    attempt: Attempt,
    checked: Promise<Error | undefined>,
    written: boolean,
  ): void {
    this.running++;
    void checked
      .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))
      .then((error) => {
        this.running--;
        if (error) this.fail(node, attempt.startedAt, error, false);
        else this.accept(node, attempt, !written);
        this.pump();
      });
  }

  /** The task is complete after its run(): remembered as verified now when the disk said so, then done. */
  private accept(node: TaskNode, attempt: Attempt, checked: boolean): void {
    node.verifiedTurn = checked ? this.currentTurn() : undefined;
    node.verifiedAfter = checked ? this.attemptsEnded : undefined;
    this.markDone(node, attempt);
  }

  private markDone(node: TaskNode, attempt: Attempt): void {
    node.state = 'done';
    this.settled(node);
    if (node.attempts > 1) this.succeededAfterRetry.add(node.id);
    this.step('task-done', node, node.attempts, Date.now() - attempt.startedAt);
    node.attempt = undefined;
    const dependents = node.dependents;
    for (let i = 0; i < dependents.length; i++) {
      const d = dependents[i]!;
      if ((d.state === 'pending' || d.state === 'waiting') && --d.remaining === 0)
        this.ready.push(readyItem(d, d.attempt?.onUnblocked));
    }
  }

  /** A task-pending, task-running or task-done event (see SchedulerOptions.emitTaskStep). */
  private step(type: TaskStepType, node: TaskNode, attempt?: number, durationMs?: number): void {
    if (this.options.emitTaskStep) this.options.emitTaskStep(type, node, attempt, durationMs);
    else if (type === 'task-pending') this.options.emit({ type, taskId: node.id });
    else if (type === 'task-running') this.options.emit({ type, taskId: node.id, attempt: attempt! });
    else this.options.emit({ type, taskId: node.id, attempt: attempt!, durationMs: durationMs! });
  }

  private fail(node: TaskNode, startedAt: number, error: unknown, timedOut: boolean, mayRetry = true): void {
    if (error instanceof BlockedError) {
      this.markBlocked(node, error.blockedBy);
      return;
    }
    const policy = this.options.policyFor(node.task);
    const willRetry = mayRetry && !this.cancelled && node.attempts <= policy.retries;
    this.options.emit({
      type: 'task-failed',
      taskId: node.id,
      attempt: node.attempts,
      durationMs: Date.now() - startedAt,
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
        this.ready.push(node);
        this.pump();
      }, delayMs);
      this.retryTimers.set(node, timer);
      return;
    }
    node.state = 'failed';
    this.settled(node);
    node.attempt = undefined;
    this.blockDependents(node);
  }

  private settled(node: TaskNode): void {
    node.settledAt = this.settledOrder.length;
    this.settledOrder.push(node);
  }

  /**
   * Adds `cause` (a failed, broken or missing node) to the causes of everything downstream of it,
   * blocking what was still to run. Each pass visits a node once, and goes through nodes already
   * blocked by something else, so every blocked task ends up with every root cause: linear in the
   * nodes and edges downstream, per cause.
   */
  private blockDependents(cause: TaskNode, via: TaskNode = cause): void {
    const pass = ++this.blockPass;
    // Each step remembers the node it came from: a dependent that requires that node through
    // optional(…) is released (it runs without it) instead of blocked, and nothing beyond it is.
    const stack: [TaskNode, TaskNode][] = via.dependents.map((d) => [via, d]);
    while (stack.length > 0) {
      const [up, d] = stack.pop()!;
      if (d.optionalDeps?.has(up)) {
        this.releaseOptional(d, up);
        continue;
      }
      if (d.blockPass === pass) continue;
      d.blockPass = pass;
      if (d.state === 'blocked') {
        if (d.blockedBy!.at(-1) !== cause.id && !d.blockedBy!.includes(cause.id)) d.blockedBy!.push(cause.id);
      } else if (d.state === 'pending' || d.state === 'waiting') {
        this.markBlocked(d, [cause.id], false);
      } else continue;
      for (const x of d.dependents) stack.push([d, x]);
    }
  }

  /** Blocks `node` for `causes` (root causes), then everything downstream of it for each of them. */
  private markBlocked(node: TaskNode, causes: string[], propagate = true): void {
    const wasWaiting = node.state === 'waiting';
    node.state = 'blocked';
    this.settled(node);
    node.blockedBy = [...new Set(causes)];
    this.options.emit({
      type: 'task-skipped',
      taskId: node.id,
      reason: 'blocked',
      blockedBy: node.blockedBy,
    });
    if (wasWaiting) node.attempt?.onAbandoned?.(node.blockedBy);
    if (!propagate) return;
    for (const id of node.blockedBy) {
      const cause = this.graph.nodes.get(id);
      if (cause) this.blockDependents(cause, node);
    }
  }

  /** The root causes a node stands for when something waits on it. */
  private rootCauses(node: TaskNode): string[] {
    return node.state === 'blocked' && node.blockedBy?.length ? node.blockedBy : [node.id];
  }

  /**
   * A scheduling error found while running (a dynamic requirement that is not a task, a cycle
   * through dynamic requirements, a requirement whose complete() throws when re-checked): the node
   * is broken, not failed; what depends on it is blocked.
   */
  private markBroken(node: TaskNode, error: unknown): void {
    const attempt = node.attempt;
    const wasWaiting = node.state === 'waiting';
    node.state = 'broken';
    node.schedulingError = error;
    this.settled(node);
    this.options.emit({
      type: 'task-failed',
      taskId: node.id,
      attempt: node.attempts,
      durationMs: attempt ? Date.now() - attempt.startedAt : 0,
      error: describeError(error),
      willRetry: false,
      schedulingError: true,
    });
    if (wasWaiting) attempt?.onAbandoned?.([]);
    this.blockDependents(node);
  }

  private markCancelled(node: TaskNode): void {
    const wasWaiting = node.state === 'waiting';
    node.state = 'cancelled';
    this.settled(node);
    this.options.emit({ type: 'task-skipped', taskId: node.id, reason: 'cancelled' });
    if (wasWaiting) node.attempt?.onAbandoned?.([]);
  }

  /**
   * Before a task starts, its requirements must still be complete: an output that vanished since
   * (deleted by hand, by another process) would otherwise surface as a bare ENOENT inside run().
   * A vanished requirement runs again (once per run) and the task waits for it; a second time, the
   * task fails naming it. Returns true when the task may start now; otherwise the task is waiting,
   * failed or blocked, or the check continues asynchronously (holding a worker slot).
   */
  private depsStillComplete(node: TaskNode): boolean {
    const vanished: TaskNode[] = [];
    const deps = node.deps;
    const turn = this.currentTurn();
    for (let i = 0; i < deps.length; i++) {
      const dep = deps[i]!;
      if (dep.state !== 'complete' && dep.state !== 'done') continue;
      if (dep.verifiedTurn === turn) continue; // found complete since user code last ran
      let r: boolean | Promise<boolean>;
      try {
        r = completeOf(dep);
      } catch (error) {
        this.markBroken(dep, error);
        return false;
      }
      if (r === true) {
        dep.verifiedTurn = turn;
        continue;
      }
      if (r === false) {
        vanished.push(dep);
        continue;
      }
      // Asynchronous checks (a remote store): the rest goes on off this path, holding a worker slot.
      this.running++;
      void this.recheckRest(deps, i, r, vanished).then(() => {
        this.running--;
        if (this.afterRecheck(node, vanished)) this.start(node, true);
        this.pump();
      });
      return false;
    }
    return this.afterRecheck(node, vanished);
  }

  /** depsStillComplete from deps[from] on, once a check answered with a promise: at most 64 in flight. */
  private async recheckRest(
    deps: TaskNode[],
    from: number,
    first: Promise<boolean>,
    vanished: TaskNode[],
  ): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    const track = (dep: TaskNode, r: Promise<boolean>) => {
      const p: Promise<void> = Promise.resolve(r)
        .then(
          (ok) => void (ok || vanished.push(dep)),
          (error: unknown) => this.markBroken(dep, error),
        )
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    };
    track(deps[from]!, first);
    for (let i = from + 1; i < deps.length; i++) {
      const dep = deps[i]!;
      if (dep.state !== 'complete' && dep.state !== 'done') continue;
      let r: boolean | Promise<boolean>;
      try {
        r = dep.task.complete();
      } catch (error) {
        this.markBroken(dep, error);
        continue;
      }
      if (r === false) vanished.push(dep);
      else if (r !== true) {
        track(dep, r);
        if (inFlight.size >= 64) await Promise.race(inFlight);
      }
    }
    await Promise.all(inFlight);
  }

  /** This turn's number; the turn ends with the current synchronous stretch (at the next microtask). */
  private currentTurn(): number {
    if (!this.turnEnds) {
      this.turnEnds = true;
      queueMicrotask(() => {
        this.turn++;
        this.turnEnds = false;
      });
    }
    return this.turn;
  }

  /**
   * A task without run() that is not complete after "running": when requirements it found complete
   * have vanished since, they run again (once) and it waits for them, as depsStillComplete does
   * for tasks with run(). False when that does not explain it.
   */
  private rerunVanished(node: TaskNode): boolean {
    if (typeof (node.task as TaskMethods).run === 'function') return false;
    const vanished = node.deps.filter(
      (d) => (d.state === 'complete' || d.state === 'done') && safeComplete(d) === false,
    );
    if (vanished.length === 0) return false;
    node.state = 'pending';
    node.attempt = undefined;
    if (!this.afterRecheck(node, vanished)) return true;
    return false;
  }

  private afterRecheck(node: TaskNode, vanished: TaskNode[]): boolean {
    // Otherwise a requirement turned out broken (the node is blocked), or the run was cancelled.
    if (node.state !== 'pending' && node.state !== 'retrying') return false;
    if (vanished.length === 0) return true;
    const again = vanished.filter((dep) => dep.rerun);
    if (again.length > 0) {
      node.attempts++;
      this.fail(
        node,
        Date.now(),
        new Error(
          `${node.id} cannot start: its requirement${again.length > 1 ? 's' : ''} ${again.map((d) => `${d.id} (missing: ${missingOutputs(d).join(', ') || 'outputs'})`).join(', ')} ${again.length > 1 ? 'are' : 'is'} no longer complete, though ${again.length > 1 ? 'they' : 'it'} already ran again in this run`,
        ),
        false,
        false,
      );
      return false;
    }
    node.state = 'pending'; // a retry waits like a first attempt: markDone of the requirement wakes it
    for (const dep of vanished) this.runAgain(dep, node);
    return false;
  }

  /** A requirement whose outputs vanished goes back to pending; `waiting` starts once it is done again. */
  private runAgain(dep: TaskNode, waiting: TaskNode): void {
    const expanded = dep.state === 'done'; // a task complete at discovery was not expanded
    dep.rerun = true;
    dep.state = 'pending';
    dep.settledAt = undefined;
    waiting.remaining++;
    const missing = missingOutputs(dep);
    this.options.emit({
      type: 'task-log',
      taskId: dep.id,
      level: 'warn',
      line: `its outputs vanished before ${waiting.id} started${missing.length ? ` (missing: ${missing.join(', ')})` : ''}: running it again`,
    });
    this.step('task-pending', dep);
    const queue = () => {
      if (dep.state !== 'pending') return;
      let remaining = 0;
      for (const d of dep.deps) if (d.state !== 'complete' && d.state !== 'done') remaining++;
      dep.remaining = remaining;
      if (remaining === 0) this.ready.push(dep);
    };
    if (expanded) {
      queue();
      return;
    }
    let reqs: Task[];
    try {
      reqs = requirementsOf(dep.task);
    } catch (error) {
      this.markBroken(dep, error);
      return;
    }
    this.inFlight++;
    this.graph.discover(reqs, { expand: true }, dep, false).then(
      (found) => {
        this.inFlight--;
        this.options.onDiscovered?.(found.nodes, found.edges);
        this.admit(found.nodes);
        if (dep.state === 'broken') this.markBroken(dep, dep.schedulingError);
        else queue();
        this.pump();
      },
      (error: unknown) => {
        this.inFlight--;
        this.markBroken(dep, error);
        this.pump();
      },
    );
  }

  /**
   * The attempt waits for dynamic requirements: it gives up its worker slot, the requirements are
   * discovered and scheduled, and `resume` runs (with their outputs) once all are complete.
   */
  private suspend(
    node: TaskNode,
    attempt: Attempt,
    tasks: Requirements,
    resume: (outputs: unknown) => void,
    /** Called when the node will not resume (blocked, broken, cancelled). */
    abandon: (blockedBy: string[]) => void,
  ): void {
    node.state = 'waiting';
    attempt.onUnblocked = () => {
      attempt.onUnblocked = undefined;
      resume(mapShape(tasks, isTask, (t) => (t as TaskMethods).output?.() ?? []));
    };
    attempt.onAbandoned = abandon;
    const list = flattenShape(tasks, isTask);
    const notTask = list.find((t) => !isTask(t) || typeof t.taskId !== 'string');
    if (notTask !== undefined) {
      this.markBroken(node, new TypeError(`${node.id}: run() asked for ${notATask(notTask)}`));
      return;
    }
    this.inFlight++;
    this.graph.discover(list, { expand: true }, node).then(
      (found) => {
        this.inFlight--;
        this.options.onDiscovered?.(found.nodes, found.edges);
        const cycle = node.state === 'waiting' ? this.graph.findCycle([node]) : undefined;
        if (node.state === 'broken') {
          // An identity conflict among the requirements it asked for (the graph marked it).
          node.state = 'waiting';
          this.markBroken(node, node.schedulingError);
        } else if (cycle) {
          this.markBroken(node, new Error(`dependency cycle: ${cycle.join(' → ')}`));
        } else if (node.state === 'waiting') {
          this.admit(found.nodes);
          const canonical = list.map((t) => this.graph.nodes.get(t.taskId)!);
          const bad = canonical.filter((n) =>
            ['failed', 'missing-external', 'blocked', 'cancelled', 'broken'].includes(n.state),
          );
          if (bad.length > 0)
            this.markBlocked(
              node,
              bad.flatMap((n) => this.rootCauses(n)),
            );
          else {
            node.remaining = canonical.filter((n) => n.state !== 'complete' && n.state !== 'done').length;
            if (node.remaining === 0)
              this.ready.push(attempt.onUnblocked ? new Wake(node, attempt.onUnblocked) : node);
          }
        }
        this.pump();
      },
      (error: unknown) => {
        this.inFlight--;
        this.markBroken(node, error);
        this.pump();
      },
    );
  }

  /** Durable commits (worker.ts): the slot is free meanwhile; the run is not over until they end. */
  private readonly commitOutsideSlot = <T>(commit: Promise<T>): Promise<T> => {
    this.running--;
    this.inFlight++;
    this.pump();
    return commit.finally(() => {
      this.running++; // settle() gives it back, as for any attempt
      this.inFlight--;
    });
  };

  /**
   * dependOn() from an async run(): the attempt's promise is still pending, so waiting releases the
   * slot here and waking takes it back; settle() then gives it up once, as for any attempt.
   * One function for the whole run (attempt hooks share it), not a closure per task.
   */
  private readonly dependOn = (attempt: Attempt, tasks: unknown): Promise<unknown> =>
    new Promise((resolve, reject) => {
      this.running--;
      this.suspend(attempt.node, attempt, tasks as Requirements, resolve, (blockedBy) => {
        this.running++;
        reject(new BlockedError(blockedBy));
      });
      this.pump();
    });
}

/** What every attempt reaches of its scheduler: one object per run, shared by its attempts. */
interface AttemptHost {
  emit: SchedulerOptions['emit'];
  dependOn(attempt: Attempt, tasks: unknown): Promise<unknown>;
  commitOutsideSlot<T>(commit: Promise<T>): Promise<T>;
}

/**
 * One attempt of a task: what its code can tell or ask the run (TaskRunHooks), and the scheduler's
 * state of it. One object per attempt, methods shared, kept on its node from its start to its end
 * (TaskNode.attempt) rather than in a Map of running tasks: a Map holding one entry at a time
 * reallocates its table at every delete (~150 bytes a task). atomic-write.ts notes on it the
 * outputs its code committed.
 */
export class Attempt implements TaskRunHooks {
  readonly taskId: string;
  /** The node's attempt number when it started. */
  private readonly number: number;
  readonly startedAt = Date.now();
  private lastProgressAt = 0;
  // Made on first use: most small synchronous tasks never look at it, and 100,000 controllers cost.
  private controller: AbortController | undefined = undefined;
  private timer: ReturnType<typeof setTimeout> | undefined = undefined;
  /** What to do once the dynamic requirements it waits for are complete / have failed. */
  onUnblocked: (() => void) | undefined = undefined;
  onAbandoned: ((blockedBy: string[]) => void) | undefined = undefined;

  constructor(
    readonly node: TaskNode,
    /** The order it started in (Scheduler.startSeq). */
    readonly seq: number,
    private readonly host: AttemptHost,
  ) {
    this.taskId = node.id;
    this.number = node.attempts;
  }

  get signal(): AbortSignal {
    return (this.controller ??= new AbortController()).signal;
  }

  get stopped(): boolean {
    return this.controller?.signal.aborted ?? false;
  }

  abort(reason: unknown): void {
    (this.controller ??= new AbortController()).abort(reason);
  }

  /** Aborts the attempt with a TaskTimeoutError after `ms`, unless clearTimer() comes first. */
  timeOutAfter(ms: number): void {
    this.timer = setTimeout(() => this.abort(new TaskTimeoutError(this.taskId, ms)), ms);
    this.timer.unref?.();
  }

  clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  progress(fraction: number): void {
    const now = Date.now();
    if (fraction < 1 && now - this.lastProgressAt < 100) return; // at most ten a second per task
    this.lastProgressAt = now;
    this.host.emit({ type: 'task-progress', taskId: this.taskId, fraction });
  }

  status(message: string, rows?: number): void {
    this.host.emit({
      type: 'task-status',
      taskId: this.taskId,
      message,
      ...(rows !== undefined && { rows }),
    });
  }

  log(level: LogLevel, text: string): void {
    for (const line of text.split('\n'))
      this.host.emit({ type: 'task-log', taskId: this.taskId, level, line });
  }

  dependOn(tasks: unknown): Promise<unknown> {
    return this.host.dependOn(this, tasks);
  }

  commitOutsideSlot<T>(commit: Promise<T>): Promise<T> {
    return this.host.commitOutsideSlot(commit);
  }

  /**
   * Fails this attempt with `error` (the run guard blames it for an uncaught error, a rejection
   * nobody handled, or process.exit); false when the attempt is already over.
   */
  fail(error: unknown): boolean {
    const node = this.node;
    // Not while it waits for dynamic requirements: aborting then would give back a worker slot twice.
    const live = node.state === 'running' && node.attempts === this.number;
    if (!live) return false;
    if (!this.stopped) this.abort(error);
    return true;
  }
}

const baseComplete = Task.prototype.complete;

/**
 * The attempt's code committed every output of the node itself (atomic-write.ts saw each rename
 * succeed): for Task's own complete(), whose answer is that they exist, and only for the local
 * files graph.ts keeps per node (other targets say themselves when they are complete).
 */
function wroteItsOutputs(node: TaskNode, attempt: Attempt): boolean {
  const outputs = node.outputs;
  if (outputs === undefined || outputs.length === 0 || node.task.complete !== baseComplete) return false;
  for (let i = 0; i < outputs.length; i++) {
    const target = outputs[i];
    if (!(target instanceof LocalTarget) || !committedBy(attempt, target.path)) return false;
  }
  return true;
}

/** complete() when it answers synchronously; undefined when it throws or answers later. */
function safeComplete(node: TaskNode): boolean | undefined {
  try {
    const r = node.task.complete();
    return typeof r === 'boolean' ? r : undefined;
  } catch {
    return undefined;
  }
}

function missingOutputsError(node: TaskNode): Error {
  const missing = missingOutputs(node);
  return new Error(
    `${node.id}: run() finished but the task is not complete${missing.length ? `; missing outputs: ${missing.join(', ')}` : ''}`,
  );
}

export { toGraphNode };
export { describeError } from './task-error';
