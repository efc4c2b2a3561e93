// The plan overlay on the graph view in headless Chromium (the real bundle): each family's node
// marked with what Run would do, the legend with the counts, the focus node's Run button saying how
// many will run, a pending plan keeping the last picture, and no plan clearing it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import type { GraphPlan } from '../../../../client/webview/src/messages';
import { readGraph } from '../fixtureFiles';
import {
  browserMissing,
  type InPage,
  pageErrors,
  postedByView,
  sendToView,
  useViewBrowser,
  waitForLayouts,
} from '../viewPage';

const skip = browserMissing;
/** The page's getComputedStyle (this test project has no DOM types). */
type InPageStyle = { getComputedStyle(e: unknown, pseudo: string): { content: string } };
const graph = readGraph('music-graph.json');
const browser = useViewBrowser();

const plan: GraphPlan = {
  target: 'Top10Artists',
  status: 'ready',
  unit: false,
  families: {
    Top10Artists: { state: 'will-run', counts: { 'will-run': 1 } },
    AggregateArtists: { state: 'will-run', counts: { 'will-run': 2, complete: 5 } },
    Streams: { state: 'blocked', counts: { blocked: 1, complete: 6 } },
  },
  counts: { total: 15, complete: 11, willRun: 3, blocked: 1, skipped: 0, broken: 0 },
  text: '3 of 15 tasks will run; 1 blocked by missing external data: Streams(date=2026-11-07) (data/streams/2026-11-07.tsv); 11 already complete',
};

async function openGraph(): Promise<Page> {
  const page = await browser.open('graph', 'manual', { width: 1800, height: 1000 });
  assert.deepEqual(await postedByView(page), [{ type: 'ready' }]);
  await sendToView(page, { type: 'graph', graph, depth: -1 });
  await waitForLayouts(page, 1);
  return page;
}

const planOf = (page: Page, family: string) =>
  page.locator(`[data-family="${family}"]`).getAttribute('data-plan');

test(
  'each node shows what Run would do, the legend counts it, the Run button says how many',
  { skip },
  async () => {
    const page = await openGraph();
    assert.equal(await page.locator('.plan-legend').isHidden(), true, 'no plan, no legend');
    assert.equal(await page.locator('[data-plan]').count(), 0);

    await sendToView(page, { type: 'plan', plan });
    assert.equal(await planOf(page, 'Top10Artists'), 'will-run');
    assert.equal(await planOf(page, 'AggregateArtists'), 'will-run');
    assert.equal(await planOf(page, 'Streams'), 'blocked');
    assert.equal(await planOf(page, 'SessionStats'), 'none', 'a family the run does not touch is dimmed');
    assert.equal(
      await page.locator('[data-family="AggregateArtists"]').getAttribute('data-plan-counts'),
      '2 will run · 5 complete',
    );
    const badge = await page
      .locator('[data-family="Streams"]')
      .evaluate((e) => (globalThis as unknown as InPageStyle).getComputedStyle(e, '::after').content);
    assert.equal(badge, '"blocked"');

    const legend = page.locator('.plan-legend');
    assert.equal(await legend.isVisible(), true);
    assert.match(
      await page.locator('.plan-text').innerText(),
      /^Top10Artists: 3 of 15 tasks will run; 1 blocked by missing external data/,
    );
    assert.deepEqual(await page.locator('.plan-mode[aria-pressed="true"]').allInnerTexts(), ['Run']);
    assert.deepEqual(await page.locator('.plan-legend-count').allInnerTexts(), [
      '3 will run',
      '11 complete',
      '1 blocked',
    ]);
    assert.equal(
      await page
        .locator('[data-family="Top10Artists"] .node-actions button[aria-label^="Run ("]')
        .getAttribute('title'),
      'Run (3 of 15 will run)',
    );
    assert.equal(
      await page.locator('[data-family="SessionStats"] .node-actions button').first().getAttribute('title'),
      'Run',
    );

    // A new graph (typing) keeps the overlay on the new nodes.
    await sendToView(page, { type: 'graph', graph: { ...graph, version: graph.version + 1 }, depth: -1 });
    await page.waitForFunction(
      () =>
        (globalThis as unknown as InPage).document.querySelector('[data-family="Streams"]')?.dataset.plan ===
        'blocked',
    );

    // Being made again (after a save): the last picture stays, marked pending.
    await sendToView(page, {
      type: 'plan',
      plan: { ...plan, status: 'pending', text: 'Asking the runtime what Run would do…' },
    });
    assert.equal(await planOf(page, 'Streams'), 'blocked');
    assert.equal(await page.locator('.task-node.plan-pending').count(), graph.nodes.length);
    assert.equal(await legend.getAttribute('data-status'), 'pending');

    // Unavailable: says why, marks nothing.
    await sendToView(page, {
      type: 'plan',
      plan: {
        target: 'Top10Artists',
        status: 'unavailable',
        unit: false,
        families: {},
        text: 'Run Top10Artists once to give date_interval',
      },
    });
    assert.equal(await page.locator('[data-plan]').count(), 0);
    assert.match(await legend.innerText(), /Run Top10Artists once to give date_interval/);

    // The legend switches to the plan of Run this task only: everything else is skipped.
    await page.click('.plan-mode:not([aria-pressed="true"])');
    assert.deepEqual((await postedByView(page)).at(-1), { type: 'planMode', unit: true });
    await sendToView(page, {
      type: 'plan',
      plan: {
        target: 'Top10Artists',
        status: 'ready',
        unit: true,
        families: {
          Top10Artists: { state: 'will-run', counts: { 'will-run': 1 } },
          AggregateArtists: { state: 'skipped', counts: { skipped: 1 } },
        },
        counts: { total: 2, complete: 0, willRun: 1, blocked: 0, skipped: 1, broken: 0 },
        text: '1 of 2 tasks will run; 1 skipped (unit mode: taken from existing outputs)',
      },
    });
    assert.equal(await planOf(page, 'AggregateArtists'), 'skipped');
    assert.deepEqual(await page.locator('.plan-mode[aria-pressed="true"]').allInnerTexts(), [
      'Run this task only',
    ]);
    const top = page.locator('[data-family="Top10Artists"] .node-actions');
    assert.equal(
      await top.locator('button[aria-label^="Run this task only ("]').getAttribute('title'),
      'Run this task only (1 of 2 will run)',
    );
    assert.equal(await top.locator('button').first().getAttribute('title'), 'Run');

    await sendToView(page, { type: 'plan', plan: null });
    assert.equal(await legend.isHidden(), true);
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  },
);
