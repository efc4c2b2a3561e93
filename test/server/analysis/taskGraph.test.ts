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

describe('task graph', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`matches brute force on random graph #${seed}`, () => {
      const rnd = random(seed);
      const n = 40;
      const nodes = Array.from(
        { length: n },
        (_, i) => ({ family: `T${i}`, id: `T${i}` }) as unknown as TaskFamily,
      );
      const adj: number[][] = nodes.map(() => []);
      const edges: TaskEdge[] = [];
      for (let k = 0; k < 70; k++) {
        const a = Math.floor(rnd() * n);
        const b = Math.floor(rnd() * n);
        adj[a]!.push(b);
        edges.push({ from: nodes[a]!, to: nodes[b]!, dynamic: false } as TaskEdge);
      }
      const graph = new TaskGraph(nodes, edges);
      const reach = nodes.map((_, i) => reachable(n, adj, i));
      const { up, down } = graph.transitiveCounts();
      for (let i = 0; i < n; i++) {
        const ups = new Set(reach[i]);
        ups.delete(i);
        assert.equal(up[i], ups.size, `upstream of T${i}`);
        const downs = nodes.map((_, j) => j).filter((j) => j !== i && reach[j]!.has(i));
        assert.equal(down[i], downs.length, `downstream of T${i}`);
        assert.equal(graph.cyclic[i], reach[i]!.has(i), `T${i} in a cycle`);
        for (let j = 0; j < n; j++) {
          const same = graph.component[i] === graph.component[j];
          assert.equal(same, i === j || (reach[i]!.has(j) && reach[j]!.has(i)));
        }
      }
    });
  }

  it('handles a chain of 100,000 without recursion', () => {
    const n = 100_000;
    const { count } = stronglyConnected(n, (i) => (i + 1 < n ? [i + 1] : []));
    assert.equal(count, n);
  });
});
