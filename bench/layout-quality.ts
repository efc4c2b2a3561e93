// Mid-sized graphs (31–600 nodes), elkjs against our own layered layout side by side in one run:
// time (wall and CPU) and picture quality (edge crossings, edges drawn through other nodes, bends, steps
// of different edges merged on one line), on the bench's `layered` shape and on `pipeline`, a seeded
// random DAG whose edges may skip layers as real pipelines' do, and `grid`, layers of 10 each task
// requiring two shifted tasks of the layer before (the real-VS-Code test's 123-task workspace is
// `--sizes 120`: its wide.ts, 12 layers of 10, beside 3 unconnected tasks). Decides which engine lays out which size (client/webview/src/layout/layoutPlan.ts).
// Our layout twice: `packed` (each layer packed, the placement before) and `aligned` (layeredPlacement).
// Each elk run is a child process with a time limit (elk cannot be interrupted).
// Usage: node --import tsx bench/layout-quality.ts [--sizes 31,60,100,200,600] [--limit 60] [--reps 3]
//        [--shapes layered,pipeline,grid] [--own-only]
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import ELK from 'elkjs/lib/elk.bundled.js';
import { layeredLayout } from '../client/webview/src/layout/layered';
import {
  fromElkGraph,
  type LayoutInput,
  type LayoutResult,
  type Point,
  toElkGraph,
} from '../client/webview/src/layout/layoutGraph';
import { stepOverlaps } from '../test/client/webview/layout/stepOverlaps';
import { crossings, shapeInput } from './webview-layout';
import { arg } from './support/arg';

type Shape = 'layered' | 'pipeline' | 'grid';

const limitS = Number(arg('limit', '60'));
const reps = Number(arg('reps', '3'));
/** Our layout only (sizes elk cannot lay out, e.g. 2,000 nodes). */
const ownOnly = process.argv.includes('--own-only');

/**
 * A pipeline-like DAG of `n` tasks: layers 3–12 wide, each task requiring 1–3 earlier tasks, most
 * from the layer before, one in four further back (a long edge). Seeded: the same graph every run.
 */
export function pipelineInput(n: number, seed = 7): LayoutInput {
  let state = seed;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const size = { width: 150, height: 44 };
  const layers: string[][] = [];
  let made = 0;
  while (made < n) {
    const width = Math.min(n - made, 3 + Math.floor(random() * 10));
    layers.push(Array.from({ length: width }, (_, i) => `t${made + i}`));
    made += width;
  }
  const edges: LayoutInput['edges'] = [];
  layers.forEach((layer, l) => {
    if (l === 0) return;
    for (const target of layer) {
      const wanted = 1 + Math.floor(random() * 3);
      const sources = new Set<string>();
      for (let k = 0; k < wanted; k++) {
        const from = random() < 0.25 && l > 1 ? Math.floor(random() * (l - 1)) : l - 1;
        const pool = layers[from]!;
        sources.add(pool[Math.floor(random() * pool.length)]!);
      }
      for (const source of sources) edges.push({ id: `${source}>${target}`, source, target });
    }
  });
  return { nodes: Array.from({ length: n }, (_, i) => ({ id: `t${i}`, ...size })), edges };
}

/**
 * Layers of 10, task t of a layer requiring tasks 7t and 7t + 3 (mod 10) of the layer before, as the
 * e2e's wide.ts (test/e2e/editor.test.ts, 6b): aligning each with a median requirement shifts every
 * layer against the one before, the shape that drew a staircase.
 */
export function gridInput(n: number): LayoutInput {
  const name = (l: number, t: number) => `W_L${l}_T${t}`;
  const nodes: LayoutInput['nodes'] = [];
  const edges: LayoutInput['edges'] = [];
  for (let i = 0; i < n; i++) {
    const [l, t] = [Math.floor(i / 10), i % 10];
    nodes.push({ id: name(l, t), width: 150, height: 44 });
    if (l === 0) continue;
    for (const j of new Set([(t * 7) % 10, (t * 7 + 3) % 10])) {
      const source = name(l - 1, j);
      edges.push({ id: `${source}>${name(l, t)}`, source, target: name(l, t) });
    }
  }
  return { nodes, edges };
}

function inputOf(shape: Shape, n: number): LayoutInput {
  if (shape === 'grid') return gridInput(n);
  return shape === 'pipeline' ? pipelineInput(n) : shapeInput('layered', n);
}

/** Edges drawn across a node that is neither of their ends (the reader cannot tell where they go). */
export function throughNodes(layout: LayoutResult, input: LayoutInput): number {
  const ends = new Map(input.edges.map((e) => [e.id, [e.source, e.target]]));
  const boxes = Object.entries(layout.nodes);
  let count = 0;
  for (const [id, points] of Object.entries(layout.edges)) {
    const mine = ends.get(id) ?? [];
    for (const [nodeId, box] of boxes) {
      if (mine.includes(nodeId)) continue;
      // Shrunk by 2 px: an edge running along a node's border is not through it.
      const [x0, y0, x1, y1] = [box.x + 2, box.y + 2, box.x + box.width - 2, box.y + box.height - 2];
      const hit = points.some((a, i) => {
        const b = points[i - 1];
        if (!b) return false;
        // Our routes and elk's orthogonal ones are axis-parallel segments.
        const [minX, maxX, minY, maxY] = [
          Math.min(a.x, b.x),
          Math.max(a.x, b.x),
          Math.min(a.y, b.y),
          Math.max(a.y, b.y),
        ];
        return minX < x1 && maxX > x0 && minY < y1 && maxY > y0;
      });
      if (hit) count++;
    }
  }
  return count;
}

/**
 * Crossings the drawing's order forces, however its steps are drawn: in each gap between two layers'
 * columns (flow to the right), the pairs of edges that enter it in one order and leave it in the
 * other. The drawn count (×) misses those where two edges step on one vertical line, as ours do at
 * mid-gap; this one counts both engines alike.
 */
export function orderCrossings(layout: LayoutResult): number {
  const boxes = Object.values(layout.nodes);
  const lefts = [...new Set(boxes.map((b) => Math.round(b.x)))].sort((a, b) => a - b);
  // y where a polyline crosses x on a horizontal run (undefined if it does not reach x).
  const yAt = (points: Point[], x: number) => {
    for (let i = 1; i < points.length; i++) {
      const [a, b] = [points[i - 1]!, points[i]!];
      if (a.x !== b.x && Math.min(a.x, b.x) <= x && x <= Math.max(a.x, b.x))
        return a.y + ((b.y - a.y) * (x - a.x)) / (b.x - a.x);
    }
    return undefined;
  };
  let count = 0;
  for (let c = 0; c + 1 < lefts.length; c++) {
    const from = Math.max(...boxes.filter((b) => Math.round(b.x) === lefts[c]).map((b) => b.x + b.width));
    const to = lefts[c + 1]!;
    if (to - from < 2) continue;
    const runs: [number, number][] = [];
    for (const points of Object.values(layout.edges)) {
      const [enter, leave] = [yAt(points, from + 0.5), yAt(points, to - 0.5)];
      if (enter !== undefined && leave !== undefined) runs.push([enter, leave]);
    }
    for (let i = 0; i < runs.length; i++)
      for (let j = i + 1; j < runs.length; j++)
        if ((runs[i]![0] - runs[j]![0]) * (runs[i]![1] - runs[j]![1]) < -1e-6) count++;
  }
  return count;
}

function bends(layout: LayoutResult): number {
  return Object.values(layout.edges).reduce((sum, points) => sum + Math.max(0, points.length - 2), 0);
}

interface Measure {
  ms: number;
  cpuMs: number;
  crossings: number;
  /** orderCrossings: pairs of edges whose order flips in a gap between layers. */
  forced: number;
  through: number;
  bends: number;
  /** stepOverlaps: pairs of steps across the flow of different sources on one line (merged on screen). */
  overlaps: number;
  /** The picture's size, width × height (px): a taller one shows smaller in a fitted panel. */
  size: string;
}

function quality(layout: LayoutResult, input: LayoutInput): Omit<Measure, 'ms' | 'cpuMs'> {
  return {
    crossings: crossings(layout),
    forced: orderCrossings(layout),
    through: throughNodes(layout, input),
    bends: bends(layout),
    overlaps: stepOverlaps(input, layout).length,
    size: `${Math.round(layout.width)}×${Math.round(layout.height)}`,
  };
}

/** One elk layout in this process (the child's job), with the options the views use: prints a Measure. */
async function elkHere(shape: Shape, n: number): Promise<void> {
  const input = inputOf(shape, n);
  const graph = toElkGraph(input);
  const elk = new ELK();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const laidOut = await elk.layout(graph);
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const layout = fromElkGraph(laidOut);
  console.log(JSON.stringify({ ms, cpuMs: (used.user + used.system) / 1000, ...quality(layout, input) }));
}

function elkChild(shape: Shape, n: number): Measure | undefined {
  try {
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(import.meta.url), '--elk', shape, String(n)],
      { encoding: 'utf8', timeout: limitS * 1000 },
    );
    return JSON.parse(out.trim().split('\n').pop()!) as Measure;
  } catch {
    return undefined;
  }
}

function ownHere(shape: Shape, n: number, placement: 'aligned' | 'packed'): Measure {
  const input = inputOf(shape, n);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const layout = layeredLayout(input, { sweeps: 4, placement });
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000, ...quality(layout, input) };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function text(runs: (Measure | undefined)[]): string {
  const done = runs.filter((r): r is Measure => r !== undefined);
  if (done.length === 0) return `${ownOnly ? 'not run' : `not done in ${limitS} s`}${' | –'.repeat(6)}`;
  const r = done[0]!;
  return `${median(done.map((d) => d.ms)).toFixed(1)} ms (cpu ${median(done.map((d) => d.cpuMs)).toFixed(0)}) | ${r.crossings} × | ${r.forced} | ${r.through} | ${r.bends} | ${r.overlaps} | ${r.size}`;
}

async function main(): Promise<void> {
  const elk = process.argv.indexOf('--elk');
  if (elk >= 0) {
    await elkHere(process.argv[elk + 1] as Shape, Number(process.argv[elk + 2]));
    return;
  }
  const sizes = arg('sizes', '31,60,100,200,600').split(',').map(Number);
  const columns = 'time | × | forced × | through | bends | overlaps | size';
  console.log(
    `| shape | nodes | edges | elk: ${columns} | own, packed: ${columns} | own, aligned: ${columns} | load |`,
  );
  console.log(`|${' --- |'.repeat(25)}`);
  for (const shape of arg('shapes', 'layered,pipeline,grid').split(',') as Shape[]) {
    for (const n of sizes) {
      // Alternating, so both see the same load; own layered warmed by the first round.
      const elkRuns: (Measure | undefined)[] = [];
      const packedRuns: Measure[] = [];
      const alignedRuns: Measure[] = [];
      for (let rep = 0; rep < reps; rep++) {
        if (!ownOnly) elkRuns.push(elkChild(shape, n));
        packedRuns.push(ownHere(shape, n, 'packed'));
        alignedRuns.push(ownHere(shape, n, 'aligned'));
      }
      const edges = inputOf(shape, n).edges.length;
      const load = os.loadavg()[0]!.toFixed(1);
      console.log(
        `| ${shape} | ${n} | ${edges} | ${text(elkRuns)} | ${text(packedRuns)} | ${text(alignedRuns)} | ${load} |`,
      );
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) void main();
