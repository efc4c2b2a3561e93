// A layout worker that loads slowly, as a webview's does in a real VS Code (its 1.5 MB bundle comes
// through VS Code's resource loading and is then parsed: 15 s at load 12), in headless Chromium on the
// real bundle: a small graph gets its final layout at once, and no "Laying out…" stays after a run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { readGraph, readRunEvents } from '../fixtureFiles';
import { browserMissing, sendToView, useViewBrowser, waitForLayouts, waitForReady } from '../viewPage';

const skip = browserMissing;
const browser = useViewBrowser();

/** Opens `view` in a 500 px side panel, then loads it again with the worker's bundle never arriving. */
async function openWithWorkerLoading(view: 'graph' | 'run'): Promise<Page> {
  const page = await browser.open(view, 'manual', { width: 500, height: 800 });
  // Held, never answered: the worker's bundle is on its way for as long as the test looks.
  await page.route('**/layout-worker.js', () => undefined);
  await page.reload();
  await waitForReady(page);
  return page;
}

/** The canvas's layout count and whether a layout is pending, once it applied one (or after 30 s: the
 * worker never arrives here, so a longer wait proves the same and holds under load). */
async function settled(page: Page): Promise<{ layouts: number; pending: boolean }> {
  const surface = page.locator('.dag-surface');
  await page
    .waitForFunction(
      () =>
        Number(
          (
            globalThis as unknown as {
              document: { querySelector(s: string): { dataset: Record<string, string> } | null };
            }
          ).document.querySelector('.dag-surface')?.dataset.layouts ?? 0,
        ) > 0,
      undefined,
      { timeout: 30_000 },
    )
    .catch(() => undefined);
  return {
    layouts: Number((await surface.getAttribute('data-layouts')) ?? 0),
    pending: await page.locator('#layout-pending').isVisible(),
  };
}

test(
  'a 12-task run whose layout worker is still loading: laid out at once, no “Laying out…” after it',
  { skip },
  async () => {
    const events = readRunEvents('run-failed-after-retry.jsonl');
    const runId = events[0]!.runId;
    const page = await openWithWorkerLoading('run');
    await sendToView(page, { type: 'run-reset', runId, live: true }, { type: 'run-events', runId, events });
    assert.deepEqual(await settled(page), { layouts: 1, pending: false });
    await page.close();
  },
);

test('a 9-task graph whose layout worker is still loading: laid out at once', { skip }, async () => {
  const page = await openWithWorkerLoading('graph');
  await sendToView(page, { type: 'graph', graph: readGraph('music-graph.json'), depth: -1 });
  assert.deepEqual(await settled(page), { layouts: 1, pending: false });
  await page.close();
});

test(
  'the worker’s bundle is fetched for the first graph elk lays out, not when the page starts',
  { skip },
  async () => {
    const page = await browser.open('graph', 'manual', { width: 1000, height: 700 });
    const fetched: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('layout-worker.js')) fetched.push(request.url());
    });
    await page.reload();
    await waitForReady(page);
    const small = readGraph('music-graph.json');
    await sendToView(page, { type: 'graph', graph: small, depth: -1 });
    await waitForLayouts(page, 1);
    assert.deepEqual(fetched, [], 'a 9-task graph (our own layout) loads no worker');
    // 70 tasks, none of them the 9 shown: a new graph, elk's.
    const big = {
      ...small,
      version: small.version + 1,
      nodes: Array.from({ length: 70 }, (_, i) => ({ ...small.nodes[0]!, id: `n${i}`, family: `N${i}` })),
      edges: [],
    };
    await sendToView(page, { type: 'graph', graph: big, depth: -1 });
    await waitForLayouts(page, 2);
    assert.equal(fetched.length, 1, 'elk’s first graph fetched the bundle once');
    await page.close();
  },
);
