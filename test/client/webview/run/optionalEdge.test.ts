// Optional requirements in the Run view (headless Chromium, the real bundle): an edge the run's
// graph event marks optional is drawn dotted, like in the graph view.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunEvent } from '../../../../runtime/src/events';
import { readRunEvents } from '../fixtureFiles';
import { browserMissing, pageErrors, sendToView, useViewBrowser, waitForLayouts } from '../viewPage';

const skip = browserMissing;
const browser = useViewBrowser();

test('an optional edge of the run graph is drawn dotted', { skip }, async () => {
  const events = readRunEvents('run-failed-after-retry.jsonl').map((e): RunEvent => {
    if (e.type !== 'graph') return e;
    const [first, ...rest] = e.edges;
    return { ...e, edges: [{ ...first!, optional: true }, ...rest] };
  });
  const runId = events[0]!.runId;
  const page = await browser.open('run', 'manual', { width: 1800, height: 1000 });
  await sendToView(page, { type: 'run-reset', runId, live: false }, { type: 'run-events', runId, events });
  await waitForLayouts(page, 1);
  assert.equal(await page.locator('.dag-edge.optional').count(), 1);
  const dash = await page
    .locator('.dag-edge.optional')
    .evaluate(
      (el) =>
        (
          globalThis as unknown as { getComputedStyle(e: unknown): { strokeDasharray: string } }
        ).getComputedStyle(el).strokeDasharray,
    );
  assert.match(dash, /^1\.5(px)?,? 4(px)?$/);
  assert.deepEqual(pageErrors(page), []);
  await page.close();
});
