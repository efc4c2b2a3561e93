// The graph's components and transitive counts against a brute-force search on random graphs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TaskEdge, TaskFamily } from '../../../server/src/analysis/model';
import { TaskGraph, stronglyConnected } from '../../../server/src/analysis/taskGraph';

function random(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
}

function reachable(n: number, adj: number[][], from: number): Set<number> {
  const seen = new Set<number>();
  const stack = [...adj[from]!];
  while (stack.length) {
    const v = stack.pop()!;
    if (seen.has(v)) continue;
    seen.add(v);
    stack.push(...adj[v]!);
  }
  return seen;
}

function randomGraph(seed: number, n = 40, edgeCount = 70) {
  const rnd = random(seed);
  const pairs: [number, number][] = [];
  for (let k = 0; k < edgeCount; k++) pairs.push([Math.floor(rnd() * n), Math.floor(rnd() * n)]);
  return { n, pairs };
}

/** Fresh family and edge objects (as each analysis makes) for the same ids. */
function build(n: number, pairs: [number, number][], previous?: TaskGraph) {
  const nodes = Array.from(
    { length: n },
    (_, i) => ({ family: `T${i}`, id: `T${i}` }) as unknown as TaskFamily,
  );
  const edges = pairs.map(([a, b]) => ({ from: nodes[a]!, to: nodes[b]!, dynamic: false }) as TaskEdge);
  return new TaskGraph(nodes, edges, previous);
}

function assertMatchesBruteForce(graph: TaskGraph, n: number, pairs: [number, number][]): void {
  const adj: number[][] = Array.from({ length: n }, () => []);
  for (const [a, b] of pairs) adj[a]!.push(b);
  const reach = adj.map((_, i) => reachable(n, adj, i));
  const { up, down } = graph.transitiveCounts();
  for (let i = 0; i < n; i++) {
    const ups = new Set(reach[i]);
    ups.delete(i);
    assert.equal(up[i], ups.size, `upstream of T${i}`);
    const downs = adj.map((_, j) => j).filter((j) => j !== i && reach[j]!.has(i));
    assert.equal(down[i], downs.length, `downstream of T${i}`);
    assert.equal(graph.cyclic[i], reach[i]!.has(i), `T${i} in a cycle`);
    for (let j = 0; j < n; j++) {
      const same = graph.component[i] === graph.component[j];
      assert.equal(same, i === j || (reach[i]!.has(j) && reach[j]!.has(i)));
    }
  }
}

describe('task graph', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`matches brute force on random graph #${seed}`, () => {
      const { n, pairs } = randomGraph(seed);
      assertMatchesBruteForce(build(n, pairs), n, pairs);
    });
  }

  it('reuses the previous graph only while its edges are the same', () => {
    const { n, pairs } = randomGraph(6, 30, 25);
    const first = build(n, pairs);
    first.transitiveCounts();
    const same = build(n, pairs, first);
    assert.equal(same.component, first.component, 'same edges: components shared');
    assertMatchesBruteForce(same, n, pairs);
    // One more edge closing a loop, and one edge retargeted: both must be recomputed.
    const [a, b] = pairs[0]!;
    const closed: [number, number][] = [...pairs, [b, a]];
    assertMatchesBruteForce(build(n, closed, same), n, closed);
    const retargeted: [number, number][] = pairs.map(([x, y], i) => (i === 3 ? [x, (y + 1) % n] : [x, y]));
    assertMatchesBruteForce(build(n, retargeted, same), n, retargeted);
  });

  it('handles a chain of 100,000 without recursion', () => {
    const n = 100_000;
    const { count } = stronglyConnected(n, (i) => (i + 1 < n ? [i + 1] : []));
    assert.equal(count, n);
  });
});
