// The task graph: families as nodes, requirement edges, strongly connected components (cycles) and
// cheap upstream/downstream queries. Transitive counts come from one pass over the component DAG
// with bitsets, computed only when first asked for.
import type { TaskEdge, TaskFamily } from './model';

/**
 * What depends only on which families exist and which requires which (not on ranges or params):
 * shared by successive graphs of the same shape, so a keystroke that leaves the edges alone reuses
 * the components and the transitive counts instead of recomputing them.
 */
interface GraphShape {
  nodeIds: string[];
  /** Edges as (from, to) node index pairs, in order. */
  edgePairs: Int32Array;
  component: number[];
  componentCount: number;
  cyclic: boolean[];
  /** Per edge: a self-edge that is a cycle (1), not another instance of the same family (0). */
  selfCycles: Uint8Array;
  counts?: { up: number[]; down: number[] };
}

/**
 * `new Link({ i: this.i - 1 })` inside Link asks for another instance of its own family: a
 * recursive chain (ended by a condition in requires()), which the runtime runs, not a cycle. A
 * self-requirement is a cycle only when every argument it passes is the task's own value
 * (`i: this.i`, a spread of its own parameters, or none): the same instance again.
 */
export function requiresAnotherInstance(edge: TaskEdge): boolean {
  if (edge.from !== edge.to) return false;
  // Graphs built for tests and benchmarks carry no reference: nothing says the arguments differ.
  const args = edge.reference?.args;
  return args !== undefined && args.keys.some((k) => !k.own);
}

export class TaskGraph {
  readonly index = new Map<TaskFamily, number>();
  /** Per node: outgoing edges (requirements, upstream) and incoming edges (requirers, downstream). */
  readonly out: TaskEdge[][];
  readonly in: TaskEdge[][];
  /** Component id per node; components listed in reverse topological order (upstream first). */
  readonly component: number[];
  readonly componentCount: number;
  readonly cyclic: boolean[];
  private readonly shape: GraphShape;

  constructor(
    readonly nodes: TaskFamily[],
    readonly edges: TaskEdge[],
    previous?: TaskGraph,
  ) {
    nodes.forEach((n, i) => this.index.set(n, i));
    this.out = nodes.map(() => []);
    this.in = nodes.map(() => []);
    for (const e of edges) {
      this.out[this.index.get(e.from)!]!.push(e);
      this.in[this.index.get(e.to)!]!.push(e);
    }
    const nodeIds = nodes.map((n) => n.id);
    const edgePairs = new Int32Array(edges.length * 2);
    edges.forEach((e, i) => {
      edgePairs[2 * i] = this.index.get(e.from)!;
      edgePairs[2 * i + 1] = this.index.get(e.to)!;
    });
    const selfCycles = Uint8Array.from(edges, (e) =>
      e.from === e.to && !requiresAnotherInstance(e) ? 1 : 0,
    );
    const old = previous?.shape;
    this.shape =
      old &&
      sameStrings(old.nodeIds, nodeIds) &&
      samePairs(old.edgePairs, edgePairs) &&
      samePairs(old.selfCycles, selfCycles)
        ? old
        : this.computeShape(nodeIds, edgePairs, selfCycles);
    this.component = this.shape.component;
    this.componentCount = this.shape.componentCount;
    this.cyclic = this.shape.cyclic;
  }

  private computeShape(nodeIds: string[], edgePairs: Int32Array, selfCycles: Uint8Array): GraphShape {
    const nodes = this.nodes;
    const { component, count } = stronglyConnected(nodes.length, (i) =>
      this.out[i]!.map((e) => this.index.get(e.to)!),
    );
    const sizes = new Array<number>(count).fill(0);
    for (const c of component) sizes[c]!++;
    const cyclic = nodes.map(
      (_, i) =>
        sizes[component[i]!]! > 1 ||
        this.out[i]!.some((e) => e.to === nodes[i] && !requiresAnotherInstance(e)),
    );
    return { nodeIds, edgePairs, component, componentCount: count, cyclic, selfCycles };
  }

  idOf(family: TaskFamily): number {
    return this.index.get(family)!;
  }

  edgeInCycle(edge: TaskEdge): boolean {
    if (requiresAnotherInstance(edge)) return false;
    const a = this.index.get(edge.from)!;
    const b = this.index.get(edge.to)!;
    return this.component[a] === this.component[b] && this.cyclic[a]!;
  }

  /** Transitive upstream and downstream family counts for every node. */
  transitiveCounts(): { up: number[]; down: number[] } {
    this.shape.counts ??= { up: this.reachCounts(true), down: this.reachCounts(false) };
    return this.shape.counts;
  }

  /** Shortest path from `from` to `to` along requirement edges, as edges; undefined if none. */
  pathBetween(from: number, to: number, withinComponent = true): TaskEdge[] | undefined {
    const previous = new Map<number, TaskEdge>();
    const queue = [from];
    const seen = new Set([from]);
    for (let head = 0; head < queue.length; head++) {
      const node = queue[head]!;
      if (node === to && (head > 0 || from === to)) break;
      for (const e of this.out[node]!) {
        const next = this.index.get(e.to)!;
        if (withinComponent && this.component[next] !== this.component[from]) continue;
        if (seen.has(next)) continue;
        seen.add(next);
        previous.set(next, e);
        queue.push(next);
      }
    }
    if (!previous.has(to)) return undefined;
    const path: TaskEdge[] = [];
    for (let at = to; at !== from || path.length === 0;) {
      const e = previous.get(at)!;
      path.unshift(e);
      at = this.index.get(e.from)!;
      if (path.length > this.nodes.length) return undefined;
    }
    return path;
  }

  /** Nodes within `depth` requirement steps up or down of `start` (-1: unlimited). */
  neighbourhood(start: number, depth: number): Set<number> {
    const result = new Set([start]);
    for (const direction of ['out', 'in'] as const) {
      let frontier = [start];
      const seen = new Set([start]);
      for (let step = 0; frontier.length > 0 && (depth < 0 || step < depth); step++) {
        const next: number[] = [];
        for (const n of frontier) {
          for (const e of this[direction][n]!) {
            const m = this.index.get(direction === 'out' ? e.to : e.from)!;
            if (!seen.has(m)) {
              seen.add(m);
              result.add(m);
              next.push(m);
            }
          }
        }
        frontier = next;
      }
    }
    return result;
  }

  /**
   * For each node, how many other nodes it reaches along `upstream` (requirement) edges or against
   * them. One bitset per component in a single buffer, filled in topological order; each successor
   * component is merged once.
   */
  private reachCounts(upstream: boolean): number[] {
    const n = this.nodes.length;
    const count = this.componentCount;
    const component = this.component;
    const words = Math.ceil(n / 32) || 1;
    const sets = new Uint32Array(count * words);
    // Members of each component and each node's neighbours, as flat index arrays.
    const memberStart = new Int32Array(count + 1);
    for (const c of component) memberStart[c + 1]!++;
    for (let c = 0; c < count; c++) memberStart[c + 1]! += memberStart[c]!;
    const members = new Int32Array(n);
    const fill = memberStart.slice(0, count);
    component.forEach((c, i) => (members[fill[c]!++] = i));
    const pairs = this.shape.edgePairs;
    const adjStart = new Int32Array(n + 1);
    const [src, dst] = upstream ? [0, 1] : [1, 0];
    for (let k = 0; k < pairs.length; k += 2) adjStart[pairs[k + src]! + 1]!++;
    for (let i = 0; i < n; i++) adjStart[i + 1]! += adjStart[i]!;
    const adj = new Int32Array(pairs.length / 2);
    const adjFill = adjStart.slice(0, n);
    for (let k = 0; k < pairs.length; k += 2) adj[adjFill[pairs[k + src]!]!++] = pairs[k + dst]!;
    // Tarjan numbers components in reverse topological order of requirement edges: component 0
    // requires nothing outside itself. Against the edges the order flips.
    const merged = new Int32Array(count).fill(-1);
    for (let step = 0; step < count; step++) {
      const c = upstream ? step : count - 1 - step;
      const base = c * words;
      for (let m = memberStart[c]!; m < memberStart[c + 1]!; m++) {
        const i = members[m]!;
        for (let a = adjStart[i]!; a < adjStart[i + 1]!; a++) {
          const j = adj[a]!;
          sets[base + (j >>> 5)]! |= 1 << (j & 31);
          const cj = component[j]!;
          if (cj === c || merged[cj] === c) continue;
          merged[cj] = c;
          const from = cj * words;
          for (let w = 0; w < words; w++) sets[base + w]! |= sets[from + w]!;
        }
      }
    }
    const sizes = new Int32Array(count);
    for (let c = 0; c < count; c++) {
      let size = 0;
      for (let w = c * words, end = w + words; w < end; w++) size += popcount(sets[w]!);
      sizes[c] = size;
    }
    return component.map((c, i) => {
      // A node in a cycle reaches itself; "upstream of X" should not count X.
      const self = (sets[c * words + (i >>> 5)]! >>> (i & 31)) & 1;
      return sizes[c]! - self;
    });
  }
}

function sameStrings(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function samePairs(a: Int32Array | Uint8Array, b: Int32Array | Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Tarjan's algorithm without recursion (chains thousands deep are normal in generated pipelines). */
export function stronglyConnected(
  n: number,
  successors: (i: number) => number[],
): { component: number[]; count: number } {
  const index = new Array<number>(n).fill(-1);
  const low = new Array<number>(n).fill(0);
  const onStack = new Array<boolean>(n).fill(false);
  const component = new Array<number>(n).fill(-1);
  const stack: number[] = [];
  let counter = 0;
  let count = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    const work: { node: number; next: number; succ: number[] }[] = [];
    const enter = (v: number): void => {
      index[v] = low[v] = counter++;
      stack.push(v);
      onStack[v] = true;
      work.push({ node: v, next: 0, succ: successors(v) });
    };
    enter(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const v = frame.node;
      if (frame.next < frame.succ.length) {
        const w = frame.succ[frame.next++]!;
        if (index[w] === -1) enter(w);
        else if (onStack[w]) low[v] = Math.min(low[v]!, index[w]!);
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low[parent.node] = Math.min(low[parent.node]!, low[v]!);
      if (low[v] === index[v]) {
        for (;;) {
          const w = stack.pop()!;
          onStack[w] = false;
          component[w] = count;
          if (w === v) break;
        }
        count++;
      }
    }
  }
  return { component, count };
}
