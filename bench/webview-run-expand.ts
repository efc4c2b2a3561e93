// The run view's biggest drawing: a real 2,000-day backfill (2,001 tasks, compact nodes) whose folded
// family is clicked open, timed in the page from the click to the first frame after the final layout;
// this tree's bundle beside an older one (`--before DIR`), alternating, median of `--reps`.
// Usage: node --import tsx bench/webview-run-expand.ts --before DIR [--reps 3] [--days 2000]
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { parseEventLine, type RunEvent } from '../runtime/src/events';
import {
  type InPage,
  sendToView,
  startViewBrowser,
  waitForDrawnSeq,
  waitForLayouts,
} from '../test/client/webview/viewPage';
import { buildViewBundles } from './webview-layout';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const beforeAt = process.argv.indexOf('--before');
const beforeDir = beforeAt >= 0 ? path.resolve(process.argv[beforeAt + 1]!) : undefined;
const reps = arg('reps', 3);
const days = arg('days', 2000);

interface ClickPage extends InPage {
  performance: { now(): number };
  requestAnimationFrame(callback: () => void): void;
  setTimeout(callback: () => void, ms: number): void;
  MutationObserver: new (callback: (records: unknown, observer: { disconnect(): void }) => void) => {
    observe(target: unknown, options: { attributes: boolean }): void;
  };
}

/** Click → first frame painted after the next layout, ms (in the page). */
async function expandTime(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const g = globalThis as unknown as ClickPage;
        const surface = g.document.querySelector('.dag-surface')!;
        const target = Number(surface.dataset.layouts ?? 0) + 1;
        const started = g.performance.now();
        new g.MutationObserver((_, observer) => {
          if (Number(surface.dataset.layouts ?? 0) < target) return;
          observer.disconnect();
          g.requestAnimationFrame(() => g.setTimeout(() => resolve(g.performance.now() - started), 0));
        }).observe(surface, { attributes: true });
        const family = g.document.querySelector('.family-node[data-family="Daily_Orders"]');
        (family as unknown as { click(): void }).click();
      }),
  );
}

async function main(): Promise<void> {
  const stop = new Date(Date.UTC(2026, 10, 4));
  const start = new Date(stop.getTime() - (days - 1) * 86_400_000);
  const day = (d: Date) => d.toISOString().slice(0, 10);
  // The CLI itself (the test helper's spawnSync keeps 1 MB of output: 2,000 tasks' events are more).
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plumb-bench-expand-'));
  cpSync(path.join(root, 'test/e2e/workspaces/regional-orders'), dir, { recursive: true });
  const window = ['--start', day(start), '--stop', day(stop), '--region', 'eu', '--workers', '4'];
  const result = spawnSync(
    process.execPath,
    [
      path.join(root, 'dist/runtime/cli.js'),
      'backfill',
      'orders.ts',
      'Daily_Orders',
      ...window,
      '--events',
      'jsonl',
    ],
    { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30 },
  );
  rmSync(dir, { recursive: true, force: true });
  const events = result.stdout
    .split('\n')
    .map(parseEventLine)
    .filter((e): e is RunEvent => e !== undefined);
  if (!events.some((e) => e.type === 'run-finished'))
    throw new Error(`the backfill did not finish: ${result.stderr}`);
  const nowDir = await buildViewBundles();
  const browser = await startViewBrowser();
  const times: Record<string, number[]> = { before: [], now: [] };
  try {
    for (let rep = 0; rep < reps; rep++) {
      for (const [name, dir] of [
        ['before', beforeDir],
        ['now', nowDir],
      ] as const) {
        if (!dir) continue;
        const page = await browser.open('run', 'manual', { width: 1000, height: 700 }, dir);
        page.setDefaultTimeout(120_000);
        const runId = events[0]!.runId;
        await sendToView(
          page,
          { type: 'run-reset', runId, live: false },
          { type: 'run-events', runId, events },
        );
        await waitForLayouts(page, 1);
        await waitForDrawnSeq(page, events.at(-1)!.seq);
        times[name]!.push(await expandTime(page));
        await page.close();
      }
    }
  } finally {
    await browser.close();
  }
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
  const load = os.loadavg()[0]!.toFixed(1);
  console.log(`| tasks | before (${beforeDir ? path.basename(beforeDir) : '–'}) | now | ratio | load |`);
  console.log('|---|---|---|---|---|');
  const b = times.before!.length ? median(times.before!) : NaN;
  const n = median(times.now!);
  console.log(
    `| ${events.filter((e) => e.type === 'task-done').length} | ${(b / 1000).toFixed(2)} s (${times.before!.map((t) => (t / 1000).toFixed(2)).join(', ')}) | ${(n / 1000).toFixed(2)} s (${times.now!.map((t) => (t / 1000).toFixed(2)).join(', ')}) | ${(n / b).toFixed(2)}× | ${load} |`,
  );
}

void main();
