// The run's task graph: one node per task id (so diamonds exist once), discovered breadth-first
// with completeness checks, identity checks (one id = one class and one set of outputs; one output
// path = one task), and cycle detection that names the whole cycle. Linear in tasks + edges.
import { type GraphEdge, type GraphNode, type TaskStatus } from './events';
import { identityConflict, outputPathsOf, type IdentityConflict } from './task-identity';
import { LocalTarget } from './local-target';
import { type Attempt } from './scheduler';
import { type Target } from './target';
import { holdYoungGeneration } from './young-generation';
import {
  allComplete,
  isOptionalRequirement,
  outputsOf,
  requirementsOf,
  targetsExist,
  Task,
  taskKind,
  WrapperTask,
} from './task';

/**
 * A node's state: a TaskStatus, or waiting (for dynamic requirements), retrying, or broken: a
 * scheduling error (requires()/complete() threw, a requirement is not a task, a cycle, an identity
 * conflict), shown as 'failed' in graph events and counted apart in the summary.
 */
export type NodeState = TaskStatus | 'waiting' | 'retrying' | 'broken';

export interface TaskNode {
  readonly id: string;
  /** The canonical instance for this id within the run. */
  readonly task: Task;
  readonly kind: 'task' | 'external' | 'wrapper';
  state: NodeState;
  /** Required nodes (upstream) and requiring nodes (downstream); only link() adds to them. */
  deps: TaskNode[];
  dependents: TaskNode[];
  /** Deps required through `optional(…)`: their failure lets this node run without them. */
  optionalDeps?: Set<TaskNode>;
  /** Optional deps already counted as settled (failed, broken, missing or blocked) for `remaining`. */
  releasedDeps?: Set<TaskNode>;
  /** Upstream nodes not yet complete; the node is ready at 0. */
  remaining: number;
  attempts: number;
  /** For blocked nodes: every root cause (failed, broken or missing node ids), each once. */
  blockedBy?: string[];
  /** For broken nodes: what is wrong (requires()/complete() threw, a cycle, an identity conflict). */
  schedulingError?: unknown;
  /** Output paths or URIs, computed once (undefined until asked for; [] when output() threw). */
  outputPaths?: string[];
  /** Its output() as first asked for by completeOf, kept for the run when every target is a local file. */
  outputs?: Target[];
  /** Position at which the node reached its final state in this run (summary order). */
  settledAt?: number;
  /** Reset to pending once in this run because its outputs vanished before a dependent started. */
  rerun?: boolean;
  /** The scheduler's turn in which complete() last said true (see Scheduler.turn). */
  verifiedTurn?: number;
  /** How many attempts of the run had ended when complete() last said true after its run(). */
  verifiedAfter?: number;
  /** findCycle's colour for this node, valid only when it carries that search's pass number. */
  cycleMark: number;
  /** The scheduler's blocking pass that last visited the node (a pass visits a node once). */
  blockPass?: number;
  /** JSON.stringify(id), made once: the graph event and each of the task's events write it. */
  idJson?: string;
  /** Its attempt from start to end, the scheduler's (scheduler.ts); kept when it ended cancelled or broken. */
  attempt?: Attempt;
}

export interface DiscoveryOptions {
  /** Follow requirements of incomplete tasks (false in unit mode: only the starting tasks). */
  expand: boolean;
  /** Also follow requirements of complete tasks (`plumb graph`: the whole DAG, not just what runs). */
  expandComplete?: boolean;
  /** How many asynchronous completeness checks may be in flight at once. */
  concurrency?: number;
  /** Aborting it stops discovery between checks (a DiscoveryCancelled rejection). */
  signal?: AbortSignal;
}

/** Discovery stopped because the run was cancelled. */
export class DiscoveryCancelled extends Error {
  constructor() {
    super('cancelled during discovery');
    this.name = 'DiscoveryCancelled';
  }
}

/** What a discovery pass added, for the graph event. */
export interface DiscoveryResult {
  nodes: TaskNode[];
  edges: GraphEdge[];
}

export class CycleError extends Error {
  constructor(readonly cycle: string[]) {
    super(`dependency cycle: ${cycle.join(' → ')}`);
    this.name = 'CycleError';
  }
}

/**
 * Longest synchronous stretch of user code (complete(), requires()) before a signal may get in.
 * Timed with Date.now(): performance.now() would load perf_hooks (~2 ms of a CLI's start) for it.
 */
const SLICE_MS = 25;

function breathe(signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
    if (signal?.aborted) throw new DiscoveryCancelled();
  });
}

/**
 * The error of a scheduling error, saying which method of which task threw (a constructor that
 * throws inside requires() reads as requires() throwing); the original stack frames are kept, so
 * the location still points at the pipeline's line. Errors that already name the task stay as they are.
 */
export function threw(node: TaskNode, method: string, e: unknown): Error {
  const inner = e instanceof Error ? e : new Error(String(e));
  if (inner.message.startsWith(`${node.id}: `)) return inner;
  const error = new Error(`${method} threw: ${inner.message}`);
  error.name = inner.name;
  const frames = (inner.stack ?? '').split('\n').filter((l) => /^\s+at\s/.test(l));
  error.stack = [`${error.name}: ${error.message}`, ...frames].join('\n');
  return error;
}

/** A node's output paths: from its kept targets (not kept twice), else computed once. */
export function outputPathsFor(node: TaskNode): string[] {
  if (node.outputs) return node.outputs.map(String);
  return (node.outputPaths ??= outputPathsOf(node.task));
}

const baseComplete = Task.prototype.complete;
const baseWrapperComplete = WrapperTask.prototype.complete;

/**
 * node.task.complete(), asking output() only once per run for a task that keeps Task's own
 * complete() and writes local files: discovery's targets serve the check after run() and before a
 * dependent starts (a LocalTarget asks the disk on every exists(); other targets may keep state,
 * so they are made afresh each time, as before). Per node, not per task object: a task object
 * reused by another run (another project root, test mode) computes its outputs again.
 */
export function completeOf(node: TaskNode): boolean | Promise<boolean> {
  const task = node.task;
  if (task.complete === baseWrapperComplete && node.deps.length > 0) return depsComplete(node.deps);
  if (task.complete !== baseComplete) return task.complete();
  let outputs = node.outputs;
  if (!outputs) {
    outputs = outputsOf(task);
    if (outputs.length > 0 && outputs.every(isLocalFile)) node.outputs = outputs;
  }
  return targetsExist(outputs);
}

const isLocalFile = (t: Target) => t instanceof LocalTarget;

/**
 * WrapperTask's complete() for a wrapper the run has expanded (its deps are its requirements, each
 * once): asked of the graph's nodes, whose targets are kept, instead of building every requirement
 * and its outputs again. The check after a fan-out wrapper's turn touched each leaf twice more.
 */
function depsComplete(deps: TaskNode[]): boolean | Promise<boolean> {
  let pending: Promise<boolean>[] | undefined;
  for (let i = 0; i < deps.length; i++) {
    const r = completeOf(deps[i]!);
    if (r === false) {
      // As WrapperTask's: checks already started may still reject, and nobody waits for them.
      if (pending) for (const p of pending) p.catch(() => undefined);
      return false;
    }
    if (r !== true) (pending ??= []).push(Promise.resolve(r));
  }
  return pending ? Promise.all(pending).then((all) => all.every(Boolean)) : true;
}

export class TaskGraph {
  readonly nodes = new Map<string, TaskNode>();
  /** Identity conflicts found so far (two classes or two outputs for one id, one path for two ids). */
  readonly conflicts: IdentityConflict[] = [];
  /** Which node declared each output path: a second claimant is a conflict. */
  private readonly outputOwners = new Map<string, TaskNode>();
  private cyclePass = 0;
  /**
   * Whether discovery ever linked a node to one already in the graph (a diamond, or a cycle). Until
   * it does, every edge leads to a new node: the graph is a forest and findCycle() has nothing to
   * find (a fan-out of 100,000 is not walked for it).
   */
  private joined = false;

  /** A new node for a task whose id the graph does not hold yet (state 'pending', unchecked). */
  private add(task: Task): TaskNode {
    const node: TaskNode = {
      id: task.taskId,
      task,
      kind: taskKind(task),
      state: 'pending',
      deps: NONE,
      dependents: NONE,
      remaining: 0,
      attempts: 0,
      cycleMark: 0,
      // Set for most nodes during the run: declared up front, they live inside the node (one
      // shape for all) instead of in a property array allocated, then grown, as each is set.
      outputs: undefined,
      settledAt: undefined,
      verifiedTurn: undefined,
      verifiedAfter: undefined,
      idJson: undefined,
      attempt: undefined,
    };
    this.nodes.set(node.id, node);
    return node;
  }

  /**
   * Checks completeness of `starts` and, for incomplete ones, their requirements, level by level.
   * Complete tasks are not expanded (their inputs are not needed), as in Luigi.
   */
  async discover(
    starts: Task[],
    options: DiscoveryOptions,
    dynamicFrom?: TaskNode,
    /** False when `dynamicFrom` is a task whose static requirements are discovered late. */
    dynamic = true,
  ): Promise<DiscoveryResult> {
    // A run's first discovery builds objects that live on: young-generation.ts.
    const release = dynamicFrom === undefined ? holdYoungGeneration() : undefined;
    try {
      return await this.discoverHeld(starts, options, dynamicFrom, dynamic);
    } finally {
      release?.();
    }
  }

  private async discoverHeld(
    starts: Task[],
    options: DiscoveryOptions,
    dynamicFrom: TaskNode | undefined,
    dynamic: boolean,
  ): Promise<DiscoveryResult> {
    const added: TaskNode[] = [];
    const edges: GraphEdge[] = [];
    let frontier: TaskNode[] = [];
    for (const t of starts) {
      let node = this.nodes.get(t.taskId);
      const known = node !== undefined;
      if (!node) {
        node = this.add(t);
        added.push(node);
        frontier.push(node);
      } else if (node.task !== t) this.checkSameTask(node, t, dynamicFrom);
      if (dynamicFrom && !dynamicFrom.deps.includes(node)) {
        if (known) this.joined = true;
        link(dynamicFrom, node);
        edges.push(
          dynamic
            ? { from: dynamicFrom.id, to: node.id, dynamic: true }
            : { from: dynamicFrom.id, to: node.id },
        );
      }
    }
    let expand = true;
    const signal = options.signal;
    // A wrapper's requirements as its completeness check built them, for its expansion just after.
    const built = new Map<TaskNode, Task[]>();
    while (frontier.length > 0) {
      await checkCompleteness(frontier, options.concurrency ?? 64, signal, built);
      const next: TaskNode[] = [];
      if (expand) {
        let sliceStart = Date.now();
        for (let f = 0; f < frontier.length; f++) {
          const node = frontier[f]!;
          const known = built.get(node);
          if (known) built.delete(node); // a complete wrapper, not expanded, keeps none of them
          if (node.state !== 'pending' && !(options.expandComplete && node.state !== 'broken')) continue;
          let reqs: Task[];
          try {
            reqs = known ?? requirementsOf(node.task);
          } catch (e) {
            node.state = 'broken';
            node.schedulingError = threw(node, 'requires()', e);
            continue;
          }
          for (let j = 0; j < reqs.length; j++) {
            const r = reqs[j]!;
            let dep = this.nodes.get(r.taskId);
            if (!dep) {
              dep = this.add(r);
              added.push(dep);
              next.push(dep);
            } else {
              if (dep.task !== r) this.checkSameTask(dep, r, node);
              // Each requirement once, even when requires() lists it twice. The node has no deps
              // but those this loop links, and nothing else links meanwhile: a requirement already
              // taken has the node as its last dependent (no Set of a fan-out's leaves).
              if (dep.dependents.at(-1) === node) continue;
              this.joined = true;
            }
            link(node, dep);
            if (isOptionalRequirement(r)) {
              (node.optionalDeps ??= new Set()).add(dep);
              edges.push({ from: node.id, to: dep.id, optional: true });
            } else edges.push({ from: node.id, to: dep.id });
          }
          // requires() is user code: let a signal (Ctrl-C) through during a long level.
          if (Date.now() - sliceStart > SLICE_MS) {
            await breathe(signal);
            sliceStart = Date.now();
          }
        }
      }
      if (!options.expand) expand = false;
      built.clear();
      frontier = next;
      if (signal?.aborted) throw new DiscoveryCancelled();
    }
    for (let i = 0; i < added.length; i++) this.claimOutputs(added[i]!);
    return { nodes: added, edges };
  }

  /**
   * `other` has the id of `node` but is another instance: fine when it is the same task (same
   * class, same outputs); otherwise the one who asked for it (`by`) is broken, since running one
   * of them would silently stand for the other.
   */
  private checkSameTask(node: TaskNode, other: Task, by: TaskNode | undefined): void {
    const conflict = identityConflict(node.task, other);
    if (!conflict) return;
    this.conflicts.push(conflict);
    if (by && by.state !== 'broken') {
      by.state = 'broken';
      by.schedulingError = new Error(conflict.message);
    }
  }

  /** Records the node's output paths; a path another task already declared is a conflict. */
  private claimOutputs(node: TaskNode): void {
    // Its kept targets as they are (String() of one is its path): no list of paths per node.
    const paths = node.outputs ?? outputPathsFor(node);
    for (let i = 0; i < paths.length; i++) {
      const p = String(paths[i]);
      const owner = this.outputOwners.get(p);
      if (owner === undefined) this.outputOwners.set(p, node);
      else if (owner !== node) {
        const conflict: IdentityConflict = {
          kind: 'same-output',
          tasks: [owner.id, node.id],
          message: `${owner.id} and ${node.id} both declare the output ${p}: one would overwrite the other, and either one's output makes the other look complete`,
        };
        this.conflicts.push(conflict);
        node.state = 'broken';
        node.schedulingError = new Error(conflict.message);
      }
    }
  }

  /** The first cycle among incomplete nodes, as ids from a node back to itself; undefined if none. */
  findCycle(from?: Iterable<TaskNode>): string[] | undefined {
    if (!this.joined) return undefined;
    // Colours live on the nodes (no Map of 100,000 entries); each search has its own pair of
    // numbers, so older marks read as unvisited: on the stack = onStack, finished = onStack + 1.
    this.cyclePass += 2;
    const onStack = this.cyclePass;
    const finished = onStack + 1;
    for (const start of from ?? this.nodes.values()) {
      if (start.cycleMark >= onStack) continue;
      const stack: { node: TaskNode; next: number }[] = [{ node: start, next: 0 }];
      start.cycleMark = onStack;
      while (stack.length > 0) {
        const top = stack[stack.length - 1]!;
        const dep = top.node.deps[top.next++];
        if (dep === undefined) {
          top.node.cycleMark = finished;
          stack.pop();
          continue;
        }
        if (dep.cycleMark === onStack) {
          const at = stack.findIndex((f) => f.node === dep);
          return [...stack.slice(at).map((f) => f.node.id), dep.id];
        }
        if (dep.cycleMark < onStack) {
          dep.cycleMark = onStack;
          stack.push({ node: dep, next: 0 });
        }
      }
    }
    return undefined;
  }
}

/**
 * A node's deps or dependents before its first link, shared (frozen: only link() adds, and it
 * replaces it). A leaf of a fan-out then holds one array of one dependent, not an empty array and
 * one grown to 16 slots by its first push: ~150 bytes a task at 100,000 tasks.
 */
const NONE: TaskNode[] = Object.freeze([]) as unknown as TaskNode[];

function link(from: TaskNode, to: TaskNode): void {
  if (from.deps === NONE) from.deps = [to];
  else from.deps.push(to);
  if (to.dependents === NONE) to.dependents = [from];
  else to.dependents.push(from);
}

/**
 * Sets each unchecked node's state from complete(): synchronous answers at once; asynchronous ones
 * (a remote store, say) with at most `concurrency` in flight, the next check starting as one ends.
 */
async function checkCompleteness(
  nodes: TaskNode[],
  concurrency: number,
  signal: AbortSignal | undefined,
  built: Map<TaskNode, Task[]>,
): Promise<void> {
  const broken = (node: TaskNode, e: unknown) => {
    node.state = 'broken';
    node.schedulingError = threw(node, 'complete()', e);
  };
  const inFlight = new Set<Promise<void>>();
  let sliceStart = Date.now();
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    let result: boolean | Promise<boolean>;
    try {
      result = firstCheckOf(node, built);
    } catch (e) {
      broken(node, e);
      continue;
    }
    if (typeof result === 'boolean') {
      settle(node, result);
    } else {
      const check: Promise<void> = Promise.resolve(result)
        .then(
          (ok) => settle(node, ok),
          (e: unknown) => broken(node, e),
        )
        .finally(() => inFlight.delete(check));
      inFlight.add(check);
      if (inFlight.size >= concurrency) await Promise.race(inFlight);
    }
    if (signal?.aborted) break;
    if (Date.now() - sliceStart > SLICE_MS) {
      await breathe(undefined);
      sliceStart = Date.now();
    }
  }
  await Promise.all(inFlight);
  if (signal?.aborted) throw new DiscoveryCancelled();
}

/**
 * completeOf() at discovery. A wrapper keeping WrapperTask's complete() is asked as it asks itself,
 * allComplete(requirementsOf(task)), with the requirements kept in `built`: expanding it then takes
 * them instead of calling requires() and building every task again (a fan-out's N leaves, twice).
 */
function firstCheckOf(node: TaskNode, built: Map<TaskNode, Task[]>): boolean | Promise<boolean> {
  const task = node.task;
  if (task.complete !== baseWrapperComplete || node.deps.length > 0) return completeOf(node);
  const reqs = requirementsOf(task);
  built.set(node, reqs);
  return allComplete(reqs);
}

function settle(node: TaskNode, complete: boolean): void {
  node.state = complete ? 'complete' : node.kind === 'external' ? 'missing-external' : 'pending';
}

/** Output paths that do not exist (as far as a synchronous check tells): what a missing task lacks. */
export function missingOutputs(node: TaskNode): string[] {
  try {
    return outputsOf(node.task)
      .filter((t) => t.exists() === false)
      .map(String);
  } catch {
    return [];
  }
}

/** A node's state as graph events show it. */
export function graphStatus(state: NodeState): TaskStatus {
  return state === 'waiting'
    ? 'running'
    : state === 'retrying'
      ? 'pending'
      : state === 'broken'
        ? 'failed'
        : state;
}

/** The node's id as JSON, serialised once for the run's events. */
export function idJsonOf(node: TaskNode): string {
  return (node.idJson ??= JSON.stringify(node.id));
}

/** A node as the graph event shows it. */
export function toGraphNode(node: TaskNode, source?: GraphNode['source']): GraphNode {
  const outputs = outputPathsFor(node);
  const out: GraphNode = {
    id: node.id,
    family: node.task.taskFamily,
    kind: node.kind,
    params: node.task.params,
    status: graphStatus(node.state),
    outputs,
  };
  if (source) out.source = source;
  return out;
}
