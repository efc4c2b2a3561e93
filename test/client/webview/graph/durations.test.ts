// Durations and a rerun's blast radius on the graph view in headless Chromium (the real bundle):
// client/webview/src/graph/durations.ts and blastRadius.ts, driven by host messages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  durationTooltip,
  formatDuration,
  formatShare,
} from '../../../../client/webview/src/graph/durationText';
import type { BlastRadius, NodeDuration } from '../../../../client/webview/src/messages';
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
/** The page's getComputedStyle, typed without the DOM lib (this project has Node's types only). */
interface ComputedStyle {
  getComputedStyle(element: unknown): { fontSize: string };
}
const graph = readGraph('music-graph.json');
const browser = useViewBrowser();

async function openGraph(size = { width: 1800, height: 1000 }): Promise<Page> {
  const page = await browser.open('graph', 'manual', size);
  assert.deepEqual(await postedByView(page), [{ type: 'ready' }]);
  await sendToView(page, { type: 'graph', graph, depth: -1 });
  await waitForLayouts(page, 1);
  return page;
}

const durations: Record<string, NodeDuration> = {
  Top10Artists: { medianMs: 2400, share: 0.62, lastMs: 7000, slow: true, trend: [2000, 2400, 2600, 7000] },
  AggregateArtists: { medianMs: 850, share: 0.21, lastMs: 800, slow: false, trend: [900, 850, 800] },
};

test('formats durations and shares for a badge', () => {
  assert.deepEqual([850, 2400, 12_400, 185_000, 7_440_000].map(formatDuration), [
    '850 ms',
    '2.40 s',
    '12.4 s',
    '3 min 5 s',
    '2 h 4 min',
  ]);
  assert.deepEqual([0.62, 0.001, 0].map(formatShare), ['62%', '<1%', '0%']);
  assert.match(
    durationTooltip('Top10Artists', durations.Top10Artists!),
    /median of 4 runs.*\n.*slow.*\n.*2\.00 s, 2\.40 s, 2\.60 s, 7\.00 s/,
  );
});

test(
  'each node with history shows its typical duration and share, slow ones marked, the trend as bars; the layout stays',
  { skip },
  async () => {
    const page = await openGraph();
    const top = page.locator('[data-family="Top10Artists"]');
    const before = await top.boundingBox();
    await sendToView(page, { type: 'durations', durations });
    await page.waitForSelector('[data-family="Top10Artists"] .duration-badge');
    assert.equal(await top.locator('.duration-text').innerText(), '2.40 s · 62%');
    assert.equal(await top.locator('.duration-slow-mark').innerText(), 'slow');
    assert.equal(await top.locator('.duration-trend rect').count(), 4);
    assert.equal(await top.locator('.duration-trend rect.slow').count(), 1);
    assert.match((await top.locator('.duration-badge').getAttribute('title')) ?? '', /typically 2\.40 s/);
    const agg = page.locator('[data-family="AggregateArtists"]');
    assert.equal(await agg.locator('.duration-text').innerText(), '850 ms · 21%');
    assert.equal(await agg.locator('.duration-slow-mark').count(), 0);
    // No history, no badge; and the badges never move a node.
    assert.equal(await page.locator('.duration-badge').count(), 2);
    assert.deepEqual(await top.boundingBox(), before);
    // Legible: the badge text is at least 11 px and inside the page.
    const size = await top
      .locator('.duration-text')
      .evaluate((e) => parseFloat((globalThis as unknown as ComputedStyle).getComputedStyle(e).fontSize));
    assert.ok(size >= 11, `badge text ${size}px`);
    // A newer history replaces the badges (one per node, never stacked).
    await sendToView(page, {
      type: 'durations',
      durations: { Top10Artists: { ...durations.Top10Artists!, slow: false } },
    });
    await page.waitForFunction(
      () => (globalThis as unknown as InPage).document.querySelectorAll('.duration-badge').length === 1,
    );
    assert.equal(await top.locator('.duration-slow-mark').count(), 0);
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  },
);

test(
  'a blast radius highlights the families a rerun would run again with their counts, dims the rest, and clears',
  { skip },
  async () => {
    const page = await openGraph();
    const radius: BlastRadius = {
      mode: 'downstream',
      seeds: ['AggregateArtists'],
      families: { AggregateArtists: { tasks: 7, outputs: 7 }, Top10Artists: { tasks: 1, outputs: 1 } },
      text: 'Rerun downstream of AggregateArtists: 8 tasks, 8 outputs replaced',
    };
    await sendToView(page, { type: 'blastRadius', radius });
    await page.waitForSelector('[data-blast="seed"]');
    assert.equal(await page.locator('[data-family="AggregateArtists"]').getAttribute('data-blast'), 'seed');
    assert.equal(await page.locator('[data-family="Top10Artists"]').getAttribute('data-blast'), 'affected');
    assert.equal(
      await page.locator('[data-family="Top10Artists"]').getAttribute('data-blast-label'),
      'rerun 1 task · 1 output',
    );
    assert.equal(await page.locator('[data-blast="none"]').count(), graph.nodes.length - 2);
    assert.equal(await page.locator('.blast-banner').innerText(), radius.text);
    assert.ok(await page.locator('.blast-banner').isVisible());
    // Every task node carries the data VS Code's context menu gives the Rerun commands.
    const context = JSON.parse(
      (await page.locator('[data-family="Top10Artists"]').getAttribute('data-vscode-context'))!,
    );
    assert.equal(context.webviewSection, 'task');
    assert.equal(context.family, 'Top10Artists');
    await sendToView(page, { type: 'blastRadius', radius: null });
    await page.waitForFunction(
      () => (globalThis as unknown as InPage).document.querySelectorAll('[data-blast]').length === 0,
    );
    assert.equal(await page.locator('.blast-banner').isVisible(), false);
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  },
);
