// Layout benchmark for the webviews (issue 15): elkjs alone with the options the views used before
// (model order) and with them off, our own layered layout, and the page itself (real bundle, headless
// Chromium: graph sent → final layout applied), on layered and fan-in shapes; edge crossings beside
// the time. Each elk run is a child process with a time limit (elk cannot be interrupted).
// Usage: npm run build && node --import tsx bench/webview-layout.ts [--limit 60] [--no-page]
import { execFileSync } from 'node:child_process';
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
import type { PipelineGraph } from '../server/src/protocol';
import { readGraph } from '../test/client/webview/fixtureFiles';
import { sendToView, startViewBrowser, waitForLayouts } from '../test/client/webview/viewPage';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const limitS = arg('limit', 60);

type Shape = 'layered' | 'fan-in';

/** `layered`: 20 per layer, each node requiring two of the layer before. `fan-in`: n leaves into one root. */
export function shapeInput(shape: Shape, n: number): LayoutInput {
  const size = { width: 150, height: 44 };
  if (shape === 'fan-in') {
    const nodes = [
      { id: 'root', ...size },
      ...Array.from({ length: n }, (_, i) => ({ id: `l${i}`, ...size })),
    ];
    const edges = nodes.slice(1).map((l) => ({ id: `${l.id}>root`, source: l.id, target: 'root' }));
    return { nodes, edges };
  }
  const width = 20;
  const nodes = Array.from({ length: n }, (_, i) => ({ id: `n${i}`, ...size }));
  const edges = [];
  for (let i = width; i < n; i++) {
    const layer = Math.floor(i / width);
    for (const j of new Set([(i * 7) % width, (i * 7 + 3) % width])) {
      const source = `n${(layer - 1) * width + j}`;
      edges.push({ id: `${source}>n${i}`, source, target: `n${i}` });
    }
  }
  return { nodes, edges };
}

/** Edge crossings in the drawn picture: proper intersections between segments of different edges. */
export function crossings(layout: LayoutResult): number {
  const segments: { edge: number; a: Point; b: Point }[] = [];
  Object.values(layout.edges).forEach((points, edge) => {
    for (let i = 1; i < points.length; i++) segments.push({ edge, a: points[i - 1]!, b: points[i]! });
  });
  const cross = (o: Point, p: Point, q: Point) => (p.x - o.x) * (q.y - o.y) - (p.y - o.y) * (q.x - o.x);
  let count = 0;
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    for (let j = i + 1; j < segments.length; j++) {
      const t = segments[j]!;
      if (s.edge === t.edge) continue;
      const d1 = cross(s.a, s.b, t.a);
      const d2 = cross(s.a, s.b, t.b);
      const d3 = cross(t.a, t.b, s.a);
      const d4 = cross(t.a, t.b, s.b);
      if (d1 * d2 < 0 && d3 * d4 < 0) count++;
    }
  }
  return count;
}

/** One elk layout in this process (the child's job): prints {ms, crossings}. */
async function elkHere(shape: Shape, n: number, modelOrder: boolean): Promise<void> {
  const graph = toElkGraph(shapeInput(shape, n));
  if (!modelOrder) delete graph.layoutOptions!['elk.layered.considerModelOrder.strategy'];
  const started = performance.now();
  const laidOut = await new ELK().layout(graph);
  const ms = performance.now() - started;
  console.log(JSON.stringify({ ms, crossings: crossings(fromElkGraph(laidOut)) }));
}

function elkChild(shape: Shape, n: number, modelOrder: boolean): string {
  try {
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(import.meta.url), '--elk', shape, String(n), String(modelOrder)],
      { encoding: 'utf8', timeout: limitS * 1000 },
    );
    const r = JSON.parse(out.trim().split('\n').pop()!) as { ms: number; crossings: number };
    return `${(r.ms / 1000).toFixed(2)} s (${r.crossings} ×)`;
  } catch {
    return `not done in ${limitS} s`;
  }
}

function ownLayout(shape: Shape, n: number): string {
  const input = shapeInput(shape, n);
  const started = performance.now();
  const layout = layeredLayout(input, { sweeps: 4 });
  const ms = performance.now() - started;
  return `${(ms / 1000).toFixed(3)} s (${crossings(layout)} ×)`;
}

/** The graph view on the real bundle: a graph of `n` families in the shape, sent → layout applied. */
async function inPage(shape: Shape, n: number): Promise<string> {
  const template = readGraph('music-graph.json');
  const base = template.nodes[2]!;
  const input = shapeInput(shape, n);
  const graph: PipelineGraph = {
    ...template,
    nodes: input.nodes.map((node) => ({ ...base, family: node.id, id: node.id, inCycle: false })),
    // Server edges point from the requiring task to the required one.
    edges: input.edges.map((e) => ({ ...template.edges[0]!, from: e.target, to: e.source, inCycle: false })),
    cycles: [],
  };
  const browser = await startViewBrowser();
  try {
    const page = await browser.open('graph', 'manual', { width: 1000, height: 700 });
    const started = Date.now();
    await sendToView(page, { type: 'graph', graph, depth: -1 });
    await page.setDefaultTimeout(limitS * 1000);
    await waitForLayouts(page, 1);
    return `${((Date.now() - started) / 1000).toFixed(2)} s`;
  } catch {
    return `not done in ${limitS} s`;
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const elk = process.argv.indexOf('--elk');
  if (elk >= 0) {
    const [shape, n, modelOrder] = process.argv.slice(elk + 1);
    await elkHere(shape as Shape, Number(n), modelOrder === 'true');
    return;
  }
  const page = !process.argv.includes('--no-page');
  const cases: [Shape, number][] = [
    ['layered', 300],
    ['layered', 1000],
    ['layered', 2000],
    ['fan-in', 100],
    ['fan-in', 400],
    ['fan-in', 1000],
  ];
  console.log(
    '| shape | nodes | elk, model order (before) | elk, no model order | own layered (now above 300 nodes / degree 40) | page: sent → final layout |',
  );
  console.log('|---|---|---|---|---|---|');
  for (const [shape, n] of cases) {
    const nodes = shape === 'fan-in' ? n + 1 : n;
    const big = n >= 2000 || (shape === 'fan-in' && n >= 1000);
    const before = big ? 'not run (see 400)' : elkChild(shape, n, true);
    const without = n >= 2000 ? 'not run' : elkChild(shape, n, false);
    const own = ownLayout(shape, n);
    const shown = page ? await inPage(shape, n) : '–';
    console.log(`| ${shape} | ${nodes} | ${before} | ${without} | ${own} | ${shown} |`);
  }
}

void main();
