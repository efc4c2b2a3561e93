// Layout benchmark for the webviews (issue 15): elkjs alone with the options the views used before
// (model order) and with them off, our own layered layout, and the page itself (real bundle, headless
// Chromium: graph sent → final layout applied), on layered and fan-in shapes; edge crossings beside
// the time. Each elk run is a child process with a time limit (elk cannot be interrupted).
// The page runs this tree's sources, built into bench/out/webview-now, and with `--before DIR` also an
// older build (e.g. the view's bundle saved from an earlier commit) in the same run, side by side.
// Usage: node --import tsx bench/webview-layout.ts [--limit 60] [--reps 3] [--no-page] [--page-only]
//        [--case layered:1000] [--before DIR]
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
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
import type { Page } from 'playwright-core';
import { type InPage, startViewBrowser } from '../test/client/webview/viewPage';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const limitS = arg('limit', 60);
/** Page runs per case and build (median reported). */
const reps = arg('reps', 3);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const beforeAt = process.argv.indexOf('--before');
const beforeDir = beforeAt >= 0 ? path.resolve(process.argv[beforeAt + 1]!) : undefined;

/**
 * This tree's webview bundles, built into their own directory: dist/webview is rebuilt by whoever
 * runs `npm run build` meanwhile (and sometimes minified), so the bench never measures a moving target.
 */
export async function buildViewBundles(): Promise<string> {
  const outdir = path.join(root, 'bench/out/webview-now');
  const common = {
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    loader: { '.ttf': 'file' },
    assetNames: '[name]',
    absWorkingDir: root,
    outdir,
    logLevel: 'warning',
  } as const;
  await esbuild.build({
    ...common,
    entryPoints: { graph: 'client/webview/src/graph/main.ts', run: 'client/webview/src/run/main.ts' },
  });
  await esbuild.build({ ...common, entryPoints: { 'layout-worker': 'client/webview/src/layout/worker.ts' } });
  return outdir;
}

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

/**
 * In the page: from the message's arrival (a JSON string parsed there, as a webview's postMessage
 * clones it) to the first frame painted after the canvas applied its `layouts`-th layout. Timed
 * inside the page so the test driver's own transfer of a big graph is not counted.
 */
export async function timeToLayout(page: Page, message: unknown, layouts: number): Promise<number> {
  const done = page.evaluate(
    (n) =>
      new Promise<number>((resolve) => {
        const g = globalThis as unknown as BenchPage;
        const surface = g.document.querySelector('.dag-surface')!;
        // No named functions in here: tsx would wrap them in a helper the page does not have.
        new g.MutationObserver((_, observer) => {
          if (Number(surface.dataset.layouts ?? 0) < n) return;
          observer.disconnect();
          g.requestAnimationFrame(() => g.setTimeout(() => resolve(g.performance.now() - g.sentAt), 0));
        }).observe(surface, { attributes: true });
      }),
    layouts,
  );
  await page.evaluate((json) => {
    const g = globalThis as unknown as BenchPage;
    g.sentAt = g.performance.now();
    g.sendToView(JSON.parse(json));
  }, JSON.stringify(message));
  return done;
}

/** What the timing reaches in the page (this project has Node's types, not the DOM's). */
interface BenchPage extends InPage {
  sentAt: number;
  performance: { now(): number };
  requestAnimationFrame(callback: () => void): void;
  setTimeout(callback: () => void, ms: number): void;
  MutationObserver: new (callback: (records: unknown, observer: { disconnect(): void }) => void) => {
    observe(target: unknown, options: { attributes: boolean }): void;
  };
  document: InPage['document'] & {
    querySelector(selector: string): { dataset: Record<string, string | undefined> } | null;
  };
}

interface PageTime {
  ms: number;
  /** Main-thread CPU time over the same span (includes the test driver's evaluate calls). */
  cpuMs: number;
}

/** Median wall and CPU time of `reps` runs, e.g. "1.23 s (cpu 0.45 s)". */
function medianText(times: (PageTime | undefined)[]): string {
  const done = times.filter((t): t is PageTime => t !== undefined);
  if (done.length < times.length) return `not done in ${limitS} s`;
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const ms = median(done.map((t) => t.ms));
  const cpu = median(done.map((t) => t.cpuMs));
  return `${(ms / 1000).toFixed(2)} s (cpu ${(cpu / 1000).toFixed(2)} s)`;
}

/** The graph view on the real bundle: a graph of `n` families in the shape, sent → layout applied. */
async function inPage(shape: Shape, n: number, bundleDir: string): Promise<PageTime | undefined> {
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
    const page = await browser.open('graph', 'manual', { width: 1000, height: 700 }, bundleDir);
    page.setDefaultTimeout(limitS * 1000);
    // The renderer main thread's own CPU time: far steadier than wall time on a loaded machine.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const cpu = async () =>
      (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ThreadTime')!.value;
    const cpuBefore = await cpu();
    const ms = await timeToLayout(page, { type: 'graph', graph, depth: -1 }, 1);
    return { ms, cpuMs: ((await cpu()) - cpuBefore) * 1000 };
  } catch {
    return undefined;
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
  const nowDir = page ? await buildViewBundles() : '';
  const only = process.argv.indexOf('--case'); // e.g. --case layered:1000
  const cases = (
    [
      ['layered', 300],
      ['layered', 1000],
      ['layered', 2000],
      ['fan-in', 100],
      ['fan-in', 400],
      ['fan-in', 1000],
    ] as [Shape, number][]
  ).filter(([shape, n]) => only < 0 || process.argv[only + 1] === `${shape}:${n}`);
  const pageOnly = process.argv.includes('--page-only');
  const before = beforeDir ? ` page before (${path.basename(beforeDir)}) |` : '';
  console.log(
    `| shape | nodes | elk, model order (before) | elk, no model order | own layered (now above 200 nodes / degree 40) |${before} page now: sent → final layout | load |`,
  );
  console.log(`|---|---|---|---|---|${beforeDir ? '---|' : ''}---|---|`);
  for (const [shape, n] of cases) {
    const nodes = shape === 'fan-in' ? n + 1 : n;
    const big = n >= 2000 || (shape === 'fan-in' && n >= 1000);
    const modelOrder = big || pageOnly ? 'not run' : elkChild(shape, n, true);
    const without = n >= 2000 || pageOnly ? 'not run' : elkChild(shape, n, false);
    const own = ownLayout(shape, n);
    // The two builds alternate in one run, `reps` times each, so both see the same load.
    const olderTimes: (PageTime | undefined)[] = [];
    const nowTimes: (PageTime | undefined)[] = [];
    for (let rep = 0; page && rep < reps; rep++) {
      if (beforeDir) olderTimes.push(await inPage(shape, n, beforeDir));
      nowTimes.push(await inPage(shape, n, nowDir));
    }
    const older = beforeDir && page ? ` ${medianText(olderTimes)} |` : '';
    const shown = page ? medianText(nowTimes) : '–';
    const load = os.loadavg()[0]!.toFixed(1);
    console.log(`| ${shape} | ${nodes} | ${modelOrder} | ${without} | ${own} |${older} ${shown} | ${load} |`);
  }
}

// Run, not imported (bench/webview-profile.ts borrows its shapes).
if (process.argv[1] === fileURLToPath(import.meta.url)) void main();
