// Optional requirements in the graph view (headless Chromium, the real bundle): drawn dotted and
// fainter, apart from required and dynamic edges.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readGraph } from '../fixtureFiles';
import {
  browserMissing,
  pageErrors,
  postedByView,
  sendToView,
  useViewBrowser,
  waitForLayouts,
} from '../viewPage';

const skip = browserMissing;
const browser = useViewBrowser();

test('an optional edge is drawn dotted; a required one solid', { skip }, async () => {
  const graph = readGraph('music-graph.json');
  const plain = graph.edges.findIndex((e) => !e.dynamic && !e.inCycle);
  const optional = graph.edges.findIndex((e, i) => i !== plain && !e.dynamic && !e.inCycle);
  graph.edges[optional] = { ...graph.edges[optional]!, optional: true };
  const page = await browser.open('graph', 'manual', { width: 1400, height: 900 });
  assert.deepEqual(await postedByView(page), [{ type: 'ready' }]);
  await sendToView(page, { type: 'graph', graph, depth: -1 });
  await waitForLayouts(page, 1);
  const style = (selector: string) =>
    page
      .locator(selector)
      .first()
      .evaluate((el) => {
        // (The test project has no DOM types: the page's own function, typed by hand.)
        const g = globalThis as unknown as {
          getComputedStyle(e: unknown): { strokeDasharray: string; opacity: string };
        };
        const s = g.getComputedStyle(el);
        return { dash: s.strokeDasharray, opacity: s.opacity };
      });
  assert.equal(await page.locator('.dag-edge.optional').count(), 1);
  const dotted = await style('.dag-edge.optional');
  assert.match(dotted.dash, /^1\.5(px)?,? 4(px)?$/);
  assert.equal(dotted.opacity, '0.75');
  assert.equal((await style('.dag-edge:not(.optional):not(.dynamic):not(.cycle)')).dash, 'none');
  assert.deepEqual(pageErrors(page), []);
  await page.close();
});
