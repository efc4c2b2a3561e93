// Updates keep the picture (issue 15), in headless Chromium on the real bundle and worker: a task added
// to a 60-task graph (61 was where elk took over from our own layout, until session 10) moves none of
// the other 60, and a growing graph keeps its flow direction and cards; Fit and a strong resize turn it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import type { PipelineGraph } from '../../../../server/src/protocol';
import { readGraph } from '../fixtureFiles';
import {
  browserMissing,
  holdFontLoading,
  type InPage,
  sendToView,
  useViewBrowser,
  waitForLayouts,
} from '../viewPage';

const skip = browserMissing;
const browser = useViewBrowser();

/**
 * `layers` layers of `width` tasks, each requiring two of the layer before (one when 3 wide); `extra`
 * requires t0 (joins layer 2).
 */
function pipeline(extra: boolean, layers = 10, width = 6): PipelineGraph {
  const template = readGraph('music-graph.json');
  const count = layers * width;
  const ids = Array.from({ length: count }, (_, i) => `t${i}`);
  if (extra) ids.push('extra');
  const requires: [string, string][] = [];
  for (let i = width; i < count; i++) {
    const layer = Math.floor(i / width);
    for (const j of new Set([(i * 7) % width, (i * 7 + 3) % width]))
      requires.push([`t${i}`, `t${(layer - 1) * width + j}`]);
  }
  if (extra) requires.push(['extra', 't0']);
  return {
    ...template,
    version: extra ? 2 : 1,
    nodes: ids.map((id) => ({ ...template.nodes[2]!, id, family: id, inCycle: false })),
    // Server edges point from the requiring task to the required one.
    edges: requires.map(([from, to]) => ({ ...template.edges[0]!, from, to, inCycle: false })),
    cycles: [],
  };
}

async function screenCentres(page: Page, ids: string[]): Promise<Map<string, { x: number; y: number }>> {
  // One read in the page for all of them (a boundingBox call each cost seconds for 60 tasks).
  const boxes = await page.evaluate((list) => {
    type Rect = { x: number; y: number; width: number; height: number };
    const doc = (
      globalThis as unknown as {
        document: { querySelector(s: string): { getBoundingClientRect(): Rect } | null };
      }
    ).document;
    return list.map((id) => doc.querySelector(`[data-task-id="${id}"]`)?.getBoundingClientRect() ?? null);
  }, ids);
  const centres = new Map<string, { x: number; y: number }>();
  ids.forEach((id, i) => {
    const box = boxes[i];
    assert.ok(box, `${id} is on the page`);
    centres.set(id, { x: box.x + box.width / 2, y: box.y + box.height / 2 });
  });
  return centres;
}

test('a task added to a 60-task graph moves none of the other 60 (≤ 3 px on screen)', { skip }, async () => {
  // Room around the fitted graph: the new task shows without the view panning to it (main.ts reveals
  // it). It joins layer 2 at its left and the picture grows 313 px that way: 1,800 px left no room.
  const page = await browser.open('graph', 'manual', { width: 2600, height: 1800 });
  await sendToView(page, { type: 'graph', graph: pipeline(false), depth: -1 });
  await waitForLayouts(page, 1);
  const ids = Array.from({ length: 60 }, (_, i) => `t${i}`);
  const before = await screenCentres(page, ids);
  await sendToView(page, { type: 'graph', graph: pipeline(true), depth: -1 });
  await waitForLayouts(page, 2);
  await page.locator('[data-task-id="extra"]:not(.measuring)').waitFor();
  const after = await screenCentres(page, ids);
  const moved = ids
    .map((id) => ({
      id,
      px: Math.hypot(after.get(id)!.x - before.get(id)!.x, after.get(id)!.y - before.get(id)!.y),
    }))
    .filter((m) => m.px > 3)
    .map((m) => `${m.id} ${m.px.toFixed(1)} px`);
  assert.deepEqual(moved, []);
  assert.equal(await page.locator('#layout-pending').isVisible(), false);
  await page.close();
});

/** Whether the graph flows top-down: t0 and t1 (both sources, layer 0) are side by side, not one above the other. */
async function flowsDown(page: Page): Promise<boolean> {
  const [t0, t1] = [...(await screenCentres(page, ['t0', 't1'])).values()];
  return Math.abs(t1!.x - t0!.x) > Math.abs(t1!.y - t0!.y);
}

/** The canvas's data attribute `name` (zoom, autoFit, layouts…). */
async function surfaceData(page: Page, name: string): Promise<string | undefined> {
  return page.evaluate(
    (key) => (globalThis as unknown as InPage).document.querySelector('.dag-surface')?.dataset[key],
    name,
  );
}

test(
  'a growing graph the view follows keeps its flow direction and cards; Fit turns it',
  { skip },
  async () => {
    // 3 layers of 3 fit this panel best top-down; with a 4th task in layer 2, left to right.
    const page = await browser.open('graph', 'manual', { width: 1000, height: 700 });
    await sendToView(page, { type: 'graph', graph: pipeline(false, 3, 3), depth: -1 });
    await waitForLayouts(page, 1);
    assert.equal(await flowsDown(page), true, 'a new graph: the direction that shows it best');
    assert.equal(await page.locator('#root').getAttribute('data-compact'), 'false', 'full cards fit');
    const ids = Array.from({ length: 9 }, (_, i) => `t${i}`);
    const before = await screenCentres(page, ids);
    await sendToView(page, { type: 'graph', graph: pipeline(true, 3, 3), depth: -1 });
    await waitForLayouts(page, 2);
    await page.locator('[data-task-id="extra"]:not(.measuring)').waitFor();
    assert.equal(await page.locator('.dag-surface').getAttribute('data-auto-fit'), 'true');
    assert.equal(await flowsDown(page), true, 'an update keeps the direction');
    // …and its cards, though 10 full cards would no longer fit readably (smaller cards move every node).
    assert.equal(
      await page.locator('#root').getAttribute('data-compact'),
      'false',
      'an update keeps the cards',
    );
    // The 9 keep their places relative to each other (the view may pan to show the new task).
    const after = await screenCentres(page, ids);
    const shift = (id: string) => ({
      x: after.get(id)!.x - before.get(id)!.x,
      y: after.get(id)!.y - before.get(id)!.y,
    });
    const moved = ids
      .filter((id) => Math.hypot(shift(id).x - shift('t0').x, shift(id).y - shift('t0').y) > 3)
      .map((id) => `${id} ${JSON.stringify(shift(id))}`);
    assert.deepEqual(moved, []);
    // Fit: the person asks for the best view of the graph as it is now. Until the turned layout lands
    // (here: a font still loading) the picture on screen is fitted, and the view says so.
    await page.click('#zoom-out');
    const zoomedOut = await surfaceData(page, 'zoom');
    const releaseFont = await holdFontLoading(page);
    await page.click('#fit');
    await page
      .waitForFunction(
        (zoom) => {
          const data = (globalThis as unknown as InPage).document.querySelector('.dag-surface')?.dataset;
          return data?.autoFit === 'true' && data.zoom !== zoom;
        },
        zoomedOut,
        { timeout: 5_000 },
      )
      .catch(() => undefined);
    assert.deepEqual(
      { autoFit: await surfaceData(page, 'autoFit'), layouts: await surfaceData(page, 'layouts') },
      { autoFit: 'true', layouts: '2' },
      `Fit fits the picture on screen at once (zoom ${await surfaceData(page, 'zoom')}, zoomed out ${zoomedOut})`,
    );
    assert.notEqual(await surfaceData(page, 'zoom'), zoomedOut);
    await releaseFont();
    await waitForLayouts(page, 3);
    assert.equal(await flowsDown(page), false, 'Fit lays it out in the direction that now shows it best');
    await page.close();
  },
);

test('a resize turns the graph only when the other direction shows it 1.25x larger', { skip }, async () => {
  // 2 layers of 4 tasks flow left to right in 1400×800. A log panel opening below (800 → 560 px)
  // makes top-down show it 1.12× larger: the picture stays. A 400 px high panel, 1.7×: it turns.
  const page = await browser.open('graph', 'manual', { width: 1400, height: 800 });
  await sendToView(page, { type: 'graph', graph: pipeline(false, 2, 4), depth: -1 });
  await waitForLayouts(page, 1);
  assert.equal(await flowsDown(page), false, 'left to right in a panel with room');
  const zoom = await surfaceData(page, 'zoom');
  await page.setViewportSize({ width: 1400, height: 560 });
  // The resize is handled once the view is fitted to it, or laid out again (our own layout lands at once).
  await page.waitForFunction((before) => {
    const data = (globalThis as unknown as InPage).document.querySelector('.dag-surface')?.dataset;
    return data?.zoom !== before || data?.layouts !== '1';
  }, zoom);
  assert.equal(await surfaceData(page, 'layouts'), '1', 'a log panel opening lays nothing out again');
  assert.equal(await flowsDown(page), false, 'a log panel opening keeps the direction');
  await page.setViewportSize({ width: 1400, height: 400 });
  await waitForLayouts(page, 2);
  assert.equal(await flowsDown(page), true, 'a panel turned wide turns the picture');
  await page.close();
});
