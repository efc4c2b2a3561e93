// A real backfill (two regions a day, three days) in the Run view at 420 and 500 px, light and dark
// (issue 15): each run node's meta line shows whole parts or none (a part that does not fit is
// dropped, never cut mid-number, and the hover has the whole line); timeline rows of one family read
// apart by the parameters that differ, nothing cut, the task id on hover.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { RunEvent } from '../../../../runtime/src/events';
import { assertDistinctLabels, visibleText } from '../../../e2e/harness/visibleText';
import { runBackfillIn } from '../runCli';
import {
  browserMissing,
  layoutCount,
  pageErrors,
  sendToView,
  startViewBrowser,
  type ViewBrowser,
  waitForDrawnSeq,
  waitForLayouts,
} from '../viewPage';

const skip = browserMissing;
const shots = path.resolve(__dirname, '../../../../test-output/webview');
let browser: ViewBrowser;
let events: RunEvent[];

before(async () => {
  if (skip) return;
  mkdirSync(shots, { recursive: true });
  browser = await startViewBrowser();
  // Orders_Report over 4 days (the stop is inclusive), each requiring Daily_Orders for eu and us: 12 tasks and the range.
  events = runBackfillIn(
    path.resolve(__dirname, '../../../e2e/workspaces/regional-orders'),
    'Orders_Report',
    ['--start', '2026-11-01', '--stop', '2026-11-04'],
  );
});
after(async () => {
  await browser?.close();
});

/** The finished run, with earlier runs that took ~1.25 s a task (so every node says it was faster). */
async function openRun(width: number, theme: 'light' | 'dark'): Promise<Page> {
  const runId = events[0]!.runId;
  const page = await browser.open('run', `manual&theme=${theme}`, { width, height: 800 });
  const ids = events.flatMap((e) => (e.type === 'task-done' ? [e.taskId] : []));
  await sendToView(
    page,
    { type: 'run-reset', runId, live: false },
    { type: 'run-events', runId, events },
    {
      type: 'run-history',
      runs: [],
      durations: Object.fromEntries(ids.map((id) => [id, [1200, 1250, 1300]])),
    },
  );
  await waitForLayouts(page, 1);
  await waitForDrawnSeq(page, events.at(-1)!.seq);
  // A narrow panel folds the days into family nodes: open each, as a person would.
  for (;;) {
    const family = page.locator('.family-node').first();
    if ((await family.count()) === 0) break;
    const layouts = await layoutCount(page);
    await family.click();
    await waitForLayouts(page, layouts + 1);
  }
  await page.locator('#layout-pending').waitFor({ state: 'hidden' });
  return page;
}

interface MetaLine {
  id: string;
  /** Every part's text, in order. */
  parts: string[];
  /** How many parts are drawn wholly inside the line; the rest must be wholly outside it. */
  shown: number;
  /** Whether the line is inside its node's box (the node's size is laid out before it is filled). */
  inNode: boolean;
  /** Parts partly inside the line: cut. */
  cut: string[];
  title: string;
}

/** Each run node's (or folded family's) meta line: which of its parts a person sees, whole. */
function metaLines(page: Page, nodes = '.run-node'): Promise<MetaLine[]> {
  return page.locator(`${nodes} .run-meta`).evaluateAll((elements) =>
    elements.map((e) => {
      interface Box {
        left: number;
        right: number;
        top: number;
        bottom: number;
      }
      interface Element {
        textContent: string;
        title: string;
        getBoundingClientRect(): Box;
        querySelectorAll(s: string): Element[];
        closest(s: string): { dataset: Record<string, string>; getBoundingClientRect(): Box };
      }
      const line = e as unknown as Element;
      const box = line.getBoundingClientRect();
      const parts = [...line.querySelectorAll('.meta-part')];
      const drawn = parts.map((p) => {
        const r = p.getBoundingClientRect();
        const inside =
          r.left >= box.left - 0.5 &&
          r.right <= box.right + 0.5 &&
          r.top >= box.top - 0.5 &&
          r.bottom <= box.bottom + 0.5;
        const outside = r.top >= box.bottom - 0.5 || r.left >= box.right - 0.5;
        return { text: p.textContent, inside, outside };
      });
      return {
        id: line.closest('.run-node').dataset.taskId!,
        inNode: box.bottom <= line.closest('.run-node').getBoundingClientRect().bottom + 0.5,
        parts: parts.length > 0 ? drawn.map((p) => p.text) : [line.textContent],
        shown: drawn.filter((p) => p.inside).length,
        cut:
          parts.length > 0
            ? drawn.filter((p) => !p.inside && !p.outside).map((p) => p.text)
            : [line.textContent],
        title: line.title,
      };
    }),
  );
}

test(
  '420 px, mid-run: a folded family’s counts are all shown, whole (two lines), and on hover',
  { skip },
  async () => {
    const runId = events[0]!.runId;
    const page = await browser.open('run', 'manual', { width: 420, height: 800 });
    // Up to the sixth task done: some instances done, some running, the rest pending.
    const upTo = events.findIndex(
      (e, i) =>
        e.type === 'task-done' && events.slice(0, i + 1).filter((d) => d.type === 'task-done').length === 6,
    );
    await sendToView(
      page,
      { type: 'run-reset', runId, live: true },
      { type: 'run-events', runId, events: events.slice(0, upTo + 1) },
    );
    await waitForLayouts(page, 1);
    await waitForDrawnSeq(page, events[upTo]!.seq);
    await page.screenshot({ path: path.join(shots, 'run-family-meta-420.png') });
    const lines = await metaLines(page, '.family-node');
    assert.ok(
      lines.some((l) => l.parts.length >= 3),
      `a family with three counts: ${JSON.stringify(lines)}`,
    );
    for (const line of lines) {
      assert.deepEqual(line.cut, [], `${line.id}: a part of its meta line is cut`);
      assert.ok(line.inNode, `${line.id}: its meta line spills out of the node`);
      // Two lines: every count of a family this size is shown.
      assert.equal(line.shown, line.parts.length, `${line.id}: ${JSON.stringify(line.parts)}`);
      for (const part of line.parts) assert.match(part, /^(· )?\d+ (running|pending|done)$/);
      for (const part of line.parts)
        assert.ok(line.title.includes(part.replace(/^· /, '')), `${line.id}: ${line.title}`);
    }
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  },
);

// Both widths, each in one theme (both themes were looked at: light and dark at 420 and 500 px).
for (const [width, theme] of [
  [420, 'light'],
  [500, 'dark'],
] as const) {
  test(
    `${width} px, ${theme}: meta lines drop whole parts, never cut one; timeline rows read apart, whole`,
    { skip },
    async () => {
      const page = await openRun(width, theme);
      await page.screenshot({ path: path.join(shots, `run-meta-${width}-${theme}.png`) });
      const lines = await metaLines(page);
      assert.equal(lines.filter((l) => /^(Daily_Orders|Orders_Report)\(/.test(l.id)).length, 12);
      for (const line of lines) {
        assert.deepEqual(line.cut, [], `${line.id}: a part of its meta line is cut`);
        assert.ok(line.inNode, `${line.id}: its meta line spills out of the node`);
        // The most useful part first: a finished task's duration is always there, whole.
        assert.ok(line.shown >= 1, `${line.id}: nothing of ${JSON.stringify(line.parts)} shown`);
        assert.match(line.parts[0]!, /^\d+ ms$|^\d+\.\d+ s$/, line.id);
        // Whatever is dropped is on hover.
        for (const part of line.parts)
          assert.ok(line.title.includes(part.replace(/^· /, '')), `${line.id}: ${part} not in ${line.title}`);
        assert.match(line.title, /▼ usually 1\.3 s/);
      }

      // The timeline, in the same page. The e2e harness's measuring functions run in the page as compiled here (tsx keeps function
      // names through an `__name` helper the page lacks).
      await page.evaluate('globalThis.__name = (f) => f');
      await page.click('#tab-timeline');
      const labels = page.locator('#gantt .gantt-row .gantt-label');
      await labels.first().waitFor();
      const titles = await labels.evaluateAll((ls) =>
        ls.map((l) => (l as unknown as { title: string }).title),
      );
      assert.equal(titles.length, 13, JSON.stringify(titles));
      await page.screenshot({ path: path.join(shots, `run-timeline-${width}-${theme}.png`), fullPage: true });
      // Different tasks never read the same (measured on what is drawn), and nothing is cut.
      const read = await assertDistinctLabels('timeline rows', labels, 'title');
      for (const text of read) assert.doesNotMatch(text, /…/, `a timeline label is cut: ${text}`);
      for (const [i, title] of titles.entries()) {
        const day = /date=(\d{4}-\d\d-\d\d)/.exec(title)?.[1];
        if (day) assert.ok(read[i]!.includes(`date=${day}`), `${title} reads ${read[i]}`);
        const region = /region=(\w+)/.exec(title)?.[1];
        if (region) assert.ok(read[i]!.includes(`region=${region}`), `${title} reads ${read[i]}`);
      }
      // The bars of one family's tries say which task they belong to.
      const bar = await page.locator('#gantt .gantt-row .gantt-bar').first().getAttribute('title');
      assert.match(bar ?? '', /\(date=/);
      assert.equal(await visibleText(page.locator('#gantt .gantt-axis')).then((t) => t.includes('…')), false);
      assert.deepEqual(pageErrors(page), []);
      await page.close();
    },
  );
}
