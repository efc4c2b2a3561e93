// The run's task graph: one node per task id (so diamonds exist once), discovered breadth-first
// with completeness checks, and cycle detection that names the whole cycle. Linear in tasks + edges.
import { type GraphEdge, type GraphNode, type TaskStatus } from './events';
import { outputsOf, requirementsOf, taskKind, type Task } from './task';

export type NodeState = TaskStatus | 'waiting' | 'retrying';

export interface TaskNode {
  readonly id: string;
  /** The canonical instance for this id within the run. */
  readonly task: Task;
  readonly kind: 'task' | 'external' | 'wrapper';
  state: NodeState;
  /** Required nodes (upstream) and requiring nodes (downstream). */
  readonly deps: TaskNode[];
  readonly dependents: TaskNode[];
  /** Upstream nodes not yet complete; the node is ready at 0. */
  remaining: number;
  attempts: number;
  /** For blocked nodes: the failed or missing tasks that blocked them. */
  blockedBy?: string[];
  /** Set when requires()/complete() threw during discovery. */
  discoveryError?: unknown;
  /** findCycle's colour for this node, valid only when it carries that search's pass number. */
  cycleMark: number;
}

export interface DiscoveryOptions {
  /** Follow requirements of incomplete tasks (false in unit mode: only the starting tasks). */
  expand: boolean;
  /** Also follow requirements of complete tasks (`plumb graph`: the whole DAG, not just what runs). */
  expandComplete?: boolean;
  /** How many asynchronous completeness checks may be in flight at once. */
  concurrency?: number;
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

/** Up to this many requirements, duplicates are found by scanning the node's deps. */
const SMALL_FAN_IN = 8;

export class TaskGraph {
  readonly nodes = new Map<string, TaskNode>();
  private cyclePass = 0;

  /** A new node for a task whose id the graph does not hold yet (state 'pending', unchecked). */
  private add(task: Task): TaskNode {
    const node: TaskNode = {
      id: task.taskId,
      task,
      kind: taskKind(task),
      state: 'pending',
      deps: [],
      dependents: [],
      remaining: 0,
      attempts: 0,
      cycleMark: 0,
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
  ): Promise<DiscoveryResult> {
    const added: TaskNode[] = [];
    const edges: GraphEdge[] = [];
    let frontier: TaskNode[] = [];
    for (const t of starts) {
      let node = this.nodes.get(t.taskId);
      if (!node) {
        node = this.add(t);
        added.push(node);
        frontier.push(node);
      }
      if (dynamicFrom && !dynamicFrom.deps.includes(node)) {
        link(dynamicFrom, node);
        edges.push({ from: dynamicFrom.id, to: node.id, dynamic: true });
      }
    }
    let expand = true;
    while (frontier.length > 0) {
      await checkCompleteness(frontier, options.concurrency ?? 64);
      const next: TaskNode[] = [];
      if (expand) {
        for (const node of frontier) {
          if (node.state !== 'pending' && !(options.expandComplete && node.state !== 'failed')) continue;
          let reqs: Task[];
          try {
            reqs = requirementsOf(node.task);
          } catch (e) {
            node.state = 'failed';
            node.discoveryError = e;
            continue;
          }
          // Each requirement once, even when requires() lists it twice: a few are checked against
          // the node's deps so far (no allocation), many through a Set (linear).
          const seen = reqs.length > SMALL_FAN_IN ? new Set<TaskNode>() : undefined;
          for (const r of reqs) {
            let dep = this.nodes.get(r.taskId);
            if (!dep) {
              dep = this.add(r);
              added.push(dep);
              next.push(dep);
            } else if (seen ? seen.has(dep) : node.deps.includes(dep)) continue;
            seen?.add(dep);
            link(node, dep);
            edges.push({ from: node.id, to: dep.id });
          }
        }
      }
      if (!options.expand) expand = false;
      frontier = next;
    }
    return { nodes: added, edges };
  }

  /** The first cycle among incomplete nodes, as ids from a node back to itself; undefined if none. */
  findCycle(from?: Iterable<TaskNode>): string[] | undefined {
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

function link(from: TaskNode, to: TaskNode): void {
  from.deps.push(to);
  to.dependents.push(from);
}

/**
 * Sets each unchecked node's state from complete(): synchronous answers at once; asynchronous ones
 * (a remote store, say) with at most `concurrency` in flight, the next check starting as one ends.
 */
async function checkCompleteness(nodes: TaskNode[], concurrency: number): Promise<void> {
  const failed = (node: TaskNode, e: unknown) => {
    node.state = 'failed';
    node.discoveryError = e;
  };
  const inFlight = new Set<Promise<void>>();
  for (const node of nodes) {
    let result: boolean | Promise<boolean>;
    try {
      result = node.task.complete();
    } catch (e) {
      failed(node, e);
      continue;
    }
    if (typeof result === 'boolean') {
      settle(node, result);
      continue;
    }
    const check: Promise<void> = Promise.resolve(result)
      .then(
        (ok) => settle(node, ok),
        (e: unknown) => failed(node, e),
      )
      .finally(() => inFlight.delete(check));
    inFlight.add(check);
    if (inFlight.size >= concurrency) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
}

function settle(node: TaskNode, complete: boolean): void {
  node.state = complete ? 'complete' : node.kind === 'external' ? 'missing-external' : 'pending';
}

/** A node as the graph event shows it. */
export function toGraphNode(node: TaskNode, source?: GraphNode['source']): GraphNode {
  let outputs: string[] = [];
  try {
    outputs = outputsOf(node.task).map(String);
  } catch {
    /* output() threw: the run reports it when the task runs */
  }
  const status: TaskStatus =
    node.state === 'waiting' ? 'running' : node.state === 'retrying' ? 'pending' : node.state;
  const out: GraphNode = {
    id: node.id,
    family: node.task.taskFamily,
    kind: node.kind,
    params: node.task.params,
    status,
    outputs,
  };
  if (source) out.source = source;
  return out;
}
