// A real `plumb backfill` run in the run view (headless Chromium, the real bundle) in a narrow side
// panel: its final layout arrives and "Laying out…" goes, and the range task's parameters are whole.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { RunEvent } from '../../../../runtime/src/events';
import { runBackfillIn } from '../runCli';
import {
  browserMissing,
  pageErrors,
  sendToView,
  useViewBrowser,
  waitForDrawnSeq,
  waitForLayouts,
  waitForReady,
} from '../viewPage';

const skip = browserMissing;
/** The Run panel beside an editor, as in the real-VS-Code suite's screenshots. */
const sidePanel = { width: 420, height: 800 };
const shots = path.resolve(__dirname, '../../../../test-output/webview');
const range = 'RangeDaily(of=DailyCounts, start=2026-11-01, stop=2026-11-03, ofParams={})';
const browser = useViewBrowser();
let events: RunEvent[];

before(async () => {
  if (skip) return;
  mkdirSync(shots, { recursive: true });
  // The real-VS-Code suite's daily pipeline (a range task over days with an optional input).
  events = runBackfillIn(path.resolve(__dirname, '../../../e2e/workspaces/daily-operations'), 'DailyCounts', [
    '--start',
    '2026-11-01',
    '--stop',
    '2026-11-03',
  ]);
});

/** Each run node's parameter line: its text, its hover, whether any of it is cut. */
async function paramLines(page: Page): Promise<{ id: string; text: string; title: string; cut: boolean }[]> {
  return page.locator('.run-node .run-params').evaluateAll((elements) =>
    elements.map((e) => {
      const line = e as unknown as {
        innerText: string;
        title: string;
        scrollWidth: number;
        clientWidth: number;
        scrollHeight: number;
        clientHeight: number;
        closest(s: string): { dataset: Record<string, string> };
      };
      return {
        id: line.closest('.run-node').dataset.taskId!,
        text: line.innerText.replace(/\s+/g, ' ').trim(),
        title: line.title,
        cut: line.scrollWidth > line.clientWidth + 1 || line.scrollHeight > line.clientHeight + 1,
      };
    }),
  );
}

/** What a `.dag-surface` data attribute says now. */
const surface = (page: Page, name: string) => page.locator('.dag-surface').getAttribute(`data-${name}`);

test(
  'an empty run, then the backfill’s events as they come: the final layout arrives, “Laying out…” goes, one layout worker',
  { skip },
  async () => {
    const runId = events[0]!.runId;
    assert.equal(events[0]!.type === 'run-started' && events[0]!.root, range);
    const page = await browser.open('run', 'manual', sidePanel);
    // The host resets the view as the run starts, before its first event: nothing to lay out yet, so
    // nothing is pending (this used to send the empty graph to elk while it loaded).
    await sendToView(page, { type: 'run-reset', runId, live: true });
    await page.locator('.dag-surface[data-layout-pending]').waitFor({ state: 'attached' });
    assert.equal(await surface(page, 'layout-pending'), 'false', 'an empty run has no layout pending');
    for (let i = 0; i < events.length; i += 3) {
      await sendToView(page, { type: 'run-events', runId, events: events.slice(i, i + 3) });
      await page.waitForTimeout(40);
    }
    await waitForLayouts(page, 1);
    await waitForDrawnSeq(page, events.at(-1)!.seq);
    assert.equal(await page.locator('#layout-pending').isVisible(), false, '“Laying out…” after the run');
    assert.equal(await surface(page, 'layout-pending'), 'false');
    // Graphs that came while elk was loading waited for it: its loading was never started over (a
    // graph this small is not elk's at all: no worker).
    assert.ok(Number(await surface(page, 'layout-workers')) <= 1);
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  },
);

test(
  'in a narrow panel the range task’s parameters are whole (wrapped, never cut), each day’s node shows its date',
  { skip },
  async () => {
    const runId = events[0]!.runId;
    const page = await browser.open('run', 'manual', sidePanel);
    await sendToView(page, { type: 'run-reset', runId, live: false }, { type: 'run-events', runId, events });
    await waitForLayouts(page, 1);
    await waitForDrawnSeq(page, events.at(-1)!.seq);
    await page.screenshot({ path: path.join(shots, 'run-backfill-narrow.png') });
    const lines = await paramLines(page);
    const rangeLine = lines.find((l) => l.id === range);
    assert.ok(rangeLine, `the range task's node: ${JSON.stringify(lines)}`);
    assert.equal(rangeLine.text, 'of=DailyCounts, start=2026-11-01, stop=2026-11-03, ofParams={}');
    assert.equal(rangeLine.title, 'of=DailyCounts\nstart=2026-11-01\nstop=2026-11-03\nofParams={}');
    for (const line of lines) assert.equal(line.cut, false, `${line.id}'s parameters are cut: ${line.text}`);
    // Too many for this panel, the days are one family node: expanded, each day's node shows its date.
    const layouts = Number(await surface(page, 'layouts'));
    await page.locator('.family-node[data-family="DailyCounts"]').click();
    await waitForLayouts(page, layouts + 1);
    await page.locator('#layout-pending').waitFor({ state: 'hidden' });
    await page.screenshot({ path: path.join(shots, 'run-backfill-narrow-expanded.png') });
    const expanded = await paramLines(page);
    for (const line of expanded)
      assert.equal(line.cut, false, `${line.id}'s parameters are cut: ${line.text}`);
    const days = expanded.filter((l) => l.id.startsWith('DailyCounts(')).map((l) => l.text);
    assert.deepEqual(days.sort(), ['date=2026-11-01', 'date=2026-11-02', 'date=2026-11-03']);
    // No two nodes read alike: family and parameters together tell every task apart.
    const texts = await page
      .locator('.run-node')
      .evaluateAll((nodes) =>
        nodes.map((n) =>
          [
            ...(n as unknown as { querySelectorAll(s: string): { innerText: string }[] }).querySelectorAll(
              '.node-family, .run-params',
            ),
          ]
            .map((e) => e.innerText)
            .join(' '),
        ),
      );
    assert.equal(new Set(texts).size, texts.length, `node texts: ${JSON.stringify(texts)}`);
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  },
);

test(
  'a layout worker that cannot load: the run still gets its final layout (ours), nothing left pending',
  { skip },
  async () => {
    const runId = events[0]!.runId;
    const page = await browser.open('run', 'manual', { width: 1200, height: 800 });
    await page.route('**/layout-worker.js', (route) => route.fulfill({ status: 404, body: 'gone' }));
    await page.reload();
    await waitForReady(page);
    await sendToView(page, { type: 'run-reset', runId, live: false }, { type: 'run-events', runId, events });
    await waitForLayouts(page, 1);
    await waitForDrawnSeq(page, events.at(-1)!.seq);
    assert.equal(await surface(page, 'layout-pending'), 'false');
    assert.equal(
      (await page.locator('.run-node').count()) + (await page.locator('.family-node').count()) > 0,
      true,
    );
    await page.close();
  },
);
