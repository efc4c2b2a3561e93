// Keystrokes with a 600-task graph open (issue 15): the graph messages typing produces, fed to the
// graph view on the real bundle in headless Chromium, timed in the page from the message to the first
// painted frame with the main thread free again. Typing inside a task moves the source ranges of the
// tasks below it (the drawing is unchanged); now and then a keystroke changes what a node shows.
// With `--before DIR` an older build runs beside this tree's in the same run.
// Usage: node --import tsx bench/webview-keystrokes.ts [--keys 40] [--before DIR]
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { PipelineGraph } from '../server/src/protocol';
import { readGraph } from '../test/client/webview/fixtureFiles';
import { type InPage, startViewBrowser } from '../test/client/webview/viewPage';
import { buildViewBundles, shapeInput, timeToLayout } from './webview-layout';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const keys = Number(arg('keys') ?? 40);
const beforeDir = arg('before') ? path.resolve(arg('before')!) : undefined;

/** The graph after `typed` keystrokes: each a new line above every task; every tenth edits a default. */
function typedGraph(n: number, typed: number): PipelineGraph {
  const template = readGraph('music-graph.json');
  const base = template.nodes[2]!;
  const input = shapeInput('layered', n);
  const edits = Math.floor(typed / 10);
  return {
    ...template,
    version: typed,
    nodes: input.nodes.map((node, i) => {
      const line = i * 20 + typed;
      const range = { start: { line, character: 6 }, end: { line, character: 12 } };
      const params = base.params.map((p, j) =>
        i === 0 && j === 0 ? { ...p, defaultText: `'v${edits}'` } : p,
      );
      return { ...base, family: node.id, id: node.id, inCycle: false, nameRange: range, range, params };
    }),
    edges: input.edges.map((e) => ({ ...template.edges[0]!, from: e.target, to: e.source, inCycle: false })),
    cycles: [],
  };
}

/** In the page: message in → two frames later with a free main thread (all its work done). */
async function timeToIdle(page: Page, message: unknown): Promise<{ total: number; view: number }> {
  return page.evaluate((json) => {
    const g = globalThis as unknown as KeyPage;
    const sentAt = g.performance.now();
    // The message arrives as a copy (postMessage clones it): its parse is the transfer, not the view's work.
    const parsed: unknown = JSON.parse(json);
    const parsedAt = g.performance.now();
    g.sendToView(parsed);
    return new Promise<{ total: number; view: number }>((resolve) =>
      g.requestAnimationFrame(() =>
        g.requestAnimationFrame(() =>
          g.setTimeout(() => {
            const end = g.performance.now();
            resolve({ total: end - sentAt, view: end - parsedAt });
          }, 0),
        ),
      ),
    );
  }, JSON.stringify(message));
}

interface KeyPage extends InPage {
  performance: { now(): number };
  requestAnimationFrame(callback: () => void): void;
  setTimeout(callback: () => void, ms: number): void;
}

interface Stats {
  p50: number;
  p90: number;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

async function typeInto(bundleDir: string, n: number): Promise<{ total: Stats; view: Stats }> {
  const browser = await startViewBrowser();
  try {
    const page = await browser.open('graph', 'manual', { width: 900, height: 700 }, bundleDir);
    page.setDefaultTimeout(120_000);
    await timeToLayout(page, { type: 'graph', graph: typedGraph(n, 0), depth: -1 }, 1);
    const times: { total: number; view: number }[] = [];
    for (let typed = 1; typed <= keys; typed++)
      times.push(await timeToIdle(page, { type: 'graph', graph: typedGraph(n, typed), depth: -1 }));
    const stats = (values: number[]) => ({ p50: percentile(values, 50), p90: percentile(values, 90) });
    return { total: stats(times.map((t) => t.total)), view: stats(times.map((t) => t.view)) };
  } finally {
    await browser.close();
  }
}

/** The same frames with nothing sent: what the page costs with the graph open but nothing to do. */
async function idleFrames(bundleDir: string): Promise<number> {
  const browser = await startViewBrowser();
  try {
    const page = await browser.open('graph', 'manual', { width: 900, height: 700 }, bundleDir);
    const times: number[] = [];
    for (let i = 0; i < keys; i++) times.push((await timeToIdle(page, { type: 'noop' })).total);
    return percentile(times, 50);
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const nowDir = await buildViewBundles();
  const n = 600;
  const fmt = (r: Stats) => `${r.p50.toFixed(0)} / ${r.p90.toFixed(0)} ms`;
  console.log(
    `| build | per keystroke, 600 tasks, message in → idle (p50 / p90) | of which the view's own work | two frames with nothing to do (p50) | load |`,
  );
  console.log('|---|---|---|---|---|');
  for (const [name, dir] of [
    ...(beforeDir ? [[path.basename(beforeDir), beforeDir]] : []),
    ['now', nowDir],
  ]) {
    const typed = await typeInto(dir!, n);
    const idle = await idleFrames(dir!);
    const load = os.loadavg()[0]!.toFixed(1);
    console.log(`| ${name} | ${fmt(typed.total)} | ${fmt(typed.view)} | ${idle.toFixed(0)} ms | ${load} |`);
  }
}

void main();
