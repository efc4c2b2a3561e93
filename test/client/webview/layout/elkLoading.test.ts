// A layout worker that loads slowly, as a webview's does in a real VS Code (its 1.5 MB bundle comes
// through VS Code's resource loading and is then parsed: 15 s at load 12), in headless Chromium on the
// real bundle: by default a graph of up to 200 tasks gets its final layout at once, and no "Laying
// out…" stays after a run; with the setting plumb.graph.layout "elk", elk's layout once its worker loads.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import type { PipelineGraph } from '../../../../server/src/protocol';
import { readGraph, readRunEvents } from '../fixtureFiles';
import {
  browserMissing,
  sendToView,
  useViewBrowser,
  waitForCount,
  waitForLayouts,
  waitForReady,
} from '../viewPage';

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

/** `layers` layers of 10 tasks, each requiring two of the layer before: a mid-sized pipeline's shape. */
function pipeline(layers: number): PipelineGraph {
  const template = readGraph('music-graph.json');
  const id = (layer: number, i: number) => `t${layer}.${i}`;
  const nodes = [];
  const edges = [];
  for (let layer = 0; layer < layers; layer++)
    for (let i = 0; i < 10; i++) {
      nodes.push({ ...template.nodes[2]!, id: id(layer, i), family: `T${layer}_${i}`, inCycle: false });
      // Server edges point from the requiring task to the required one.
      if (layer > 0)
        for (const j of new Set([(i * 7) % 10, (i * 7 + 3) % 10]))
          edges.push({ ...template.edges[0]!, from: id(layer, i), to: id(layer - 1, j), inCycle: false });
    }
  return { ...template, nodes, edges, cycles: [] };
}

test(
  'a 150-task graph whose layout worker is still loading: its final layout at once, no pending badge, no elk bundle fetched',
  { skip },
  async () => {
    const page = await openWithWorkerLoading('graph');
    const fetched: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('layout-worker.js')) fetched.push(request.url());
    });
    await sendToView(page, { type: 'graph', graph: pipeline(15), depth: -1 });
    assert.deepEqual(await settled(page), { layouts: 1, pending: false });
    assert.equal(await page.locator('.task-node:not(.measuring)').count(), 150);
    // Up to 200 nodes elk lays out nothing, so its 1.5 MB is never fetched.
    assert.deepEqual(fetched, []);
    await page.close();
  },
);

test(
  'with the elk setting a 70-task graph is shown at once, “Laying out…”, and gets elk’s layout once its worker loads; back to ours when the setting changes',
  { skip },
  async () => {
    // A panel where our picture fits larger than elk's: the setting is honoured all the same.
    const page = await browser.open('graph', 'manual', { width: 1000, height: 700 });
    let release = () => {};
    const loaded = new Promise<void>((resolve) => (release = resolve));
    // The worker's bundle arrives only when the test lets it, as after seconds in a busy VS Code.
    await page.route('**/layout-worker.js', async (route) => {
      await loaded;
      await route.continue().catch(() => undefined);
    });
    try {
      await page.reload();
      await waitForReady(page);
      await sendToView(
        page,
        { type: 'layout', engine: 'elk' },
        { type: 'graph', graph: pipeline(7), depth: -1 },
      );
      // Meanwhile our own quick layout shows every task, and the badge says elk's is on its way.
      await page.locator('#layout-pending').waitFor({ state: 'visible', timeout: 30_000 });
      await waitForCount(page, '.task-node:not(.measuring)', 70);
      assert.equal(await page.locator('.dag-surface').getAttribute('data-layouts'), null);
      release();
      await waitForLayouts(page, 1);
      assert.equal(await page.locator('.dag-surface').getAttribute('data-engine'), 'elk');
      await page.locator('#layout-pending').waitFor({ state: 'hidden' });
      // The setting changed back in an open view: the same graph is laid out again, ours.
      await sendToView(page, { type: 'layout', engine: 'plumb' });
      await waitForLayouts(page, 2);
      assert.equal(await page.locator('.dag-surface').getAttribute('data-engine'), 'own');
    } finally {
      release();
      await page.close();
    }
  },
);

test(
  'a view that follows fits is fitted to the other engine’s picture when the setting changes',
  { skip },
  async () => {
    const page = await browser.open('graph', 'manual', { width: 1000, height: 700 });
    try {
      const surface = page.locator('.dag-surface');
      const view = () =>
        page
          .locator('.dag-world')
          .evaluate((w) => (w as unknown as { style: { transform: string } }).style.transform);
      /** The view as shown, then as Fit shows it: the same when the picture was fitted. */
      const shownAndFitted = async () => {
        const shown = await view();
        await page.click('#fit');
        await page.evaluate('new Promise((resolve) => requestAnimationFrame(resolve))');
        return [shown, await view()];
      };
      await sendToView(page, { type: 'graph', graph: pipeline(3), depth: -1 });
      await waitForLayouts(page, 1);
      assert.equal(await surface.getAttribute('data-engine'), 'own');
      await sendToView(page, { type: 'layout', engine: 'elk' });
      await waitForLayouts(page, 2);
      assert.equal(await surface.getAttribute('data-engine'), 'elk');
      assert.equal(await surface.getAttribute('data-auto-fit'), 'true');
      const [elkShown, elkFitted] = await shownAndFitted();
      assert.equal(elkShown, elkFitted, 'elk’s picture is fitted, not anchored on one node of ours');
      await sendToView(page, { type: 'layout', engine: 'plumb' });
      await waitForLayouts(page, 3);
      assert.equal(await surface.getAttribute('data-engine'), 'own');
      const [ownShown, ownFitted] = await shownAndFitted();
      assert.equal(ownShown, ownFitted, 'our picture is fitted, not anchored on one node of elk’s');
    } finally {
      await page.close();
    }
  },
);
