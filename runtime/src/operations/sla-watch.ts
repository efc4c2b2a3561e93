// Watches one run's SLAs: a timer per deadline on the run's clock; when one passes, every task with
// that deadline not done yet (and the run itself, for a run SLA) gets one sla-missed event. A run
// that starts, or finds a task, after its deadline reports it at once (announced(): right after
// run-started, and after each graph the run announces, before any task it names starts: such a
// task is reported 'pending', never first seen 'done'). A task that then finishes late gets no
// second event (one done late before a late timer fired is reported 'done'). Timers never keep the
// process alive (unref): they watch, never run.
import { type RunEventPayload, type RunEvent } from '../events';
import { type TaskGraph, type TaskNode } from '../graph';
import { deadlineOf, readSla, type Sla } from './sla';

export interface SlaWatchOptions {
  clock: () => number;
  /** The reference start: the scheduled fire time, else the run's start. */
  scheduledAt: number;
  /** A whole run's SLA (a schedule's `sla`). */
  runSla?: Sla;
  /** The schedule item that fired the run. */
  schedule?: string;
  /** plumb.toml [tasks.<Family>] sla, which wins over the class's `static sla`. */
  configSla(family: string): Sla | undefined;
  emit(event: RunEventPayload): void;
  /**
   * Called once, when the first task with an SLA is found (discovered()): the watch needs the
   * run's task-done events (onEvent) only from then on, so a run without task SLAs builds no event
   * object per task for it.
   */
  takeTaskDone?(): void;
}

/** The longest a Node timer waits; a later deadline re-arms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class SlaWatch {
  private graph?: TaskGraph;
  private readonly timers = new Map<number, NodeJS.Timeout>();
  /** Per family: its SLA and deadline, or null (none, or a broken one already reported). */
  private readonly byFamily = new Map<string, { sla: Sla; deadline: number } | null>();
  private readonly reported = new Set<string>();
  private readonly doneAt = new Map<string, number>();
  private runReported = false;
  private stopped = false;
  /** Whether takeTaskDone() was called. */
  private takingDone = false;
  /** Pending tasks a graph event named after their deadline: announced() reports them. */
  private readonly pastDue: TaskNode[] = [];
  private readonly runDeadline?: number;

  constructor(private readonly options: SlaWatchOptions) {
    if (options.runSla) {
      this.runDeadline = deadlineOf(options.runSla, options.scheduledAt);
      this.arm(this.runDeadline);
    }
  }

  /** The run's graph: nodes are looked up in it when a deadline passes. */
  track(graph: TaskGraph): void {
    this.graph = graph;
  }

  onEvent(e: RunEvent): void {
    // When each task got done on the run's clock: a timer that fires late still tells late from on time.
    // Only for tasks with an SLA (no entry per task of a run of 100,000 without any).
    if (e.type === 'task-done') {
      const node = this.graph?.nodes.get(e.taskId);
      if (node && this.slaOf(node)) this.doneAt.set(e.taskId, this.options.clock());
    }
  }

  /**
   * Tasks the run found (told beside their graph event, which builds no object for this): those
   * pending with an SLA get their deadline armed, or are due at once.
   */
  discovered(nodes: readonly TaskNode[]): void {
    if (this.stopped || !this.graph) return;
    const now = this.options.clock();
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      // Pending as the graph event shows it (graphStatus: a retrying node shows as pending).
      if (node.state !== 'pending' && node.state !== 'retrying') {
        // A complete one may still run (its output vanished): its task-done is wanted too.
        if (!this.takingDone && this.declaresSla(node)) this.takeTaskDone();
        continue;
      }
      const due = this.slaOf(node);
      if (!due) continue;
      if (!this.takingDone) this.takeTaskDone();
      if (due.deadline <= now) this.pastDue.push(node);
      else this.arm(due.deadline);
    }
  }

  /**
   * The run has announced what it found (run-started, or a graph event and its task-pending
   * events) and starts nothing before this returns: deadlines already past are reported now, so a
   * late start says so before any task runs. Not from inside a listener: a miss emitted there would
   * reach the run log before the event that announced its task.
   */
  announced(): void {
    // Only the tasks just announced: a graph found piece by piece (dynamic dependencies) is not
    // walked whole each time.
    this.check(this.pastDue.splice(0));
  }

  /** At the run's end: deadlines passed but not yet seen (a late timer) are reported, timers cleared. */
  stop(): void {
    if (this.stopped) return;
    // Every task the run found went through discovered(), which takes task-done events from the
    // first that declares an SLA: until then none has one, and the graph is not walked for them.
    this.check(this.takingDone ? undefined : []);
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private takeTaskDone(): void {
    this.takingDone = true;
    this.options.takeTaskDone?.();
  }

  /** Whether the node's family declares an SLA (read without checking it: slaOf() warns once, when used). */
  private declaresSla(node: TaskNode): boolean {
    const family = node.task.taskFamily;
    const known = this.byFamily.get(family);
    if (known !== undefined) return known !== null;
    return (
      this.options.configSla(family) !== undefined ||
      (node.task.constructor as { sla?: unknown }).sla !== undefined
    );
  }

  private arm(deadline: number): void {
    if (this.timers.has(deadline) || this.stopped) return;
    const wait = Math.max(0, deadline - this.options.clock());
    const timer = setTimeout(
      () => {
        this.timers.delete(deadline);
        if (this.options.clock() < deadline) this.arm(deadline);
        else this.check();
      },
      Math.min(wait, MAX_TIMER_MS),
    );
    timer.unref();
    this.timers.set(deadline, timer);
  }

  private slaOf(node: TaskNode): { sla: Sla; deadline: number } | null {
    const family = node.task.taskFamily;
    let known = this.byFamily.get(family);
    if (known !== undefined) return known;
    known = null;
    const declared =
      this.options.configSla(family) ?? (node.task.constructor as { sla?: unknown }).sla ?? undefined;
    if (declared !== undefined) {
      const sla = readSla(declared);
      if (typeof sla === 'string')
        this.options.emit({
          type: 'task-log',
          taskId: node.id,
          level: 'warn',
          line: `${family}.sla is not used: ${sla}`,
        });
      else known = { sla, deadline: deadlineOf(sla, this.options.scheduledAt) };
    }
    this.byFamily.set(family, known);
    return known;
  }

  /** Reports what is past due and not reported yet: the run, and `nodes` (default: the whole graph). */
  private check(nodes: Iterable<TaskNode> | undefined = this.graph?.nodes.values()): void {
    if (this.stopped) return;
    const now = this.options.clock();
    const base = { scheduledAt: this.options.scheduledAt, detectedAt: now };
    const schedule = this.options.schedule !== undefined ? { schedule: this.options.schedule } : {};
    if (this.runDeadline !== undefined && !this.runReported && this.runDeadline <= now) {
      this.runReported = true;
      this.options.emit({
        type: 'sla-missed',
        scope: 'run',
        ...schedule,
        sla: this.options.runSla!,
        deadline: this.runDeadline,
        status: 'running',
        ...base,
      });
    }
    for (const node of nodes ?? []) {
      if (node.state === 'complete' || this.reported.has(node.id)) continue;
      const due = this.slaOf(node);
      if (!due || due.deadline > now) continue;
      if (node.state === 'done' && (this.doneAt.get(node.id) ?? Infinity) <= due.deadline) continue;
      this.reported.add(node.id);
      this.options.emit({
        type: 'sla-missed',
        scope: 'task',
        taskId: node.id,
        ...schedule,
        sla: due.sla,
        deadline: due.deadline,
        status: node.state === 'broken' ? 'failed' : node.state,
        ...base,
      });
    }
  }
}
