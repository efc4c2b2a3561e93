// A real backfill (two regions a day, three days) in the Run view at 420 and 500 px, light and dark
// (issue 15): each run node's meta line shows whole parts or none (a part that does not fit is
// dropped, never cut mid-number, and the hover has the whole line); timeline rows of one family read
// apart by the parameters that differ, nothing cut, the task id on hover. After the families are
// expanded, the fit cuts no node at the canvas's left or top edge and says what it shows when it cannot
// show every node readably; no parameter line breaks a date across lines.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { RunEvent } from '../../../../runtime/src/events';
import { assertDistinctLabels, visibleText } from '../../../e2e/harness/visibleText';
import { runBackfillIn, runPipelineRuns } from '../runCli';
import {
  browserMissing,
  type InPage,
  layoutCount,
  pageErrors,
  sendToView,
  useViewBrowser,
  waitForDrawnSeq,
  waitForLayouts,
} from '../viewPage';

const skip = browserMissing;
const shots = path.resolve(__dirname, '../../../../test-output/webview');
const browser = useViewBrowser();
let events: RunEvent[];
/** One day's report: its two Daily_Orders differ only by region, so their lines read `region=eu, date=…`. */
let oneDay: RunEvent[];
const regional = path.resolve(__dirname, '../../../e2e/workspaces/regional-orders');

before(async () => {
  if (skip) return;
  mkdirSync(shots, { recursive: true });
  // Orders_Report over 4 days (the stop is inclusive), each requiring Daily_Orders for eu and us: 12 tasks and the range.
  events = runBackfillIn(regional, 'Orders_Report', ['--start', '2026-11-01', '--stop', '2026-11-04']);
  oneDay = runPipelineRuns(regional, 'pipeline.ts', 'Orders_Report', 1, ['--date', '2026-11-02'])[0]!;
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
    const opened = await family.getAttribute('data-family');
    await family.dispatchEvent('click');
    await waitForLayouts(page, layouts + 1);
    // The fit after an expansion shows what the person opened and the family still folded (what they
    // may open next), readable; the rest may be a drag away (the note says so).
    const { wholeIds } = await canvasView(page);
    const shown = `${width} px, ${opened} expanded: ${JSON.stringify(wholeIds)}`;
    assert.ok(
      wholeIds.some((id) => id.startsWith(`${opened}(`)),
      shown,
    );
    for (const folded of await page
      .locator('.family-node')
      .evaluateAll((ns) => ns.map((n) => (n as unknown as PageElement).dataset.taskId!)))
      assert.ok(wholeIds.includes(folded), `${shown}: ${folded} not whole in view`);
  }
  await page.locator('#layout-pending').waitFor({ state: 'hidden' });
  // The measuring functions below run in the page as compiled here (tsx keeps function names through
  // an `__name` helper the page lacks).
  await page.evaluate('globalThis.__name = (f) => f');
  return page;
}

/** The DOM as the page functions below use it (this test project has Node's types, not the DOM's). */
interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}
interface PageElement {
  dataset: Record<string, string>;
  textContent: string;
  hidden: boolean;
  getBoundingClientRect(): Box;
  querySelector(s: string): PageElement | null;
  querySelectorAll(s: string): PageElement[];
}
interface PageDom {
  document: {
    createTreeWalker(root: PageElement, show: number): { nextNode(): PageElement | null };
    createRange(): {
      setStart(n: PageElement, i: number): void;
      setEnd(n: PageElement, i: number): void;
      getClientRects(): Box[];
    };
  };
  getComputedStyle(e: PageElement): { fontSize: string };
}

/**
 * What the canvas shows of its nodes: how many, how many wholly inside it, those a start edge (left or
 * top) cuts, the smallest title size drawn, and the note saying what is shown (if shown).
 */
function canvasView(page: Page) {
  return page.locator('.dag-surface').evaluate((element) => {
    const surface = element as unknown as PageElement;
    const dom = globalThis as unknown as PageDom;
    const s = surface.getBoundingClientRect();
    const nodes = [...surface.querySelectorAll('.dag-node:not(.measuring)')];
    const boxes = nodes.map((n) => ({ id: n.dataset.taskId!, r: n.getBoundingClientRect() }));
    const whole = boxes.filter(
      ({ r }) =>
        r.left >= s.left - 0.5 &&
        r.right <= s.right + 0.5 &&
        r.top >= s.top - 0.5 &&
        r.bottom <= s.bottom + 0.5,
    );
    const cutAtStart = boxes
      .filter(
        ({ r }) =>
          (r.left < s.left - 0.5 && r.right > s.left + 0.5) ||
          (r.top < s.top - 0.5 && r.bottom > s.top + 0.5),
      )
      .map((b) => b.id);
    const zoom = Number(surface.dataset.zoom);
    const titles = nodes.map(
      (n) => parseFloat(dom.getComputedStyle(n.querySelector('.node-title')!).fontSize) * zoom,
    );
    const note = surface.querySelector('#show-all-note')!;
    return {
      total: boxes.length,
      whole: whole.length,
      wholeIds: whole.map((b) => b.id),
      cutAtStart,
      smallestTitle: Math.min(...titles),
      note: note.hidden ? '' : note.textContent,
    };
  });
}

/** Dates in run nodes drawn across two lines (`date=2026-` / `11-02`), as `task: text`. */
function brokenDates(page: Page): Promise<string[]> {
  return page.locator('.run-node').evaluateAll((elements) => {
    const dom = globalThis as unknown as PageDom;
    const broken: string[] = [];
    for (const node of elements as unknown as PageElement[]) {
      // 4: text nodes only.
      const walker = dom.document.createTreeWalker(node, 4);
      for (let text = walker.nextNode(); text; text = walker.nextNode()) {
        for (const match of text.textContent.matchAll(/\w+=\d{4}-\d\d-\d\d/g)) {
          const range = dom.document.createRange();
          range.setStart(text, match.index);
          range.setEnd(text, match.index + match[0].length);
          const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
          if (lines.size > 1) broken.push(`${node.dataset.taskId}: ${match[0]}`);
        }
      }
    }
    return broken;
  });
}

/** Every node wholly in the canvas, or the canvas says how many are; none cut by its left or top edge. */
async function assertFitShowsWhole(page: Page, what: string): Promise<void> {
  const view = await canvasView(page);
  assert.ok(view.total >= 12, `${what}: ${JSON.stringify(view)}`);
  assert.deepEqual(view.cutAtStart, [], `${what}: nodes cut by the canvas's left or top edge`);
  assert.ok(view.smallestTitle >= 10.99, `${what}: titles drawn at ${view.smallestTitle} px`);
  if (view.whole < view.total)
    assert.match(
      view.note,
      new RegExp(`^Showing ${view.whole} of ${view.total}\\b`),
      `${what}: ${JSON.stringify(view)}`,
    );
  else assert.equal(view.note, '', what);
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
      // The families expanded: the fit keeps titles readable, starts at a whole node, says what it shows.
      await assertFitShowsWhole(page, `${width} px, expanded`);
      assert.deepEqual(await brokenDates(page), []);
      // Fit again (the button): the same rule.
      await page.locator('#fit').click();
      await page.waitForFunction(
        () =>
          (globalThis as unknown as InPage).document.querySelector('.dag-surface')?.dataset.autoFit ===
          'true',
      );
      await assertFitShowsWhole(page, `${width} px, Fit`);
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

      // The timeline, in the same page (the e2e harness's measuring functions need openRun's `__name`).
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

test(
  '500 px: one day’s run, its orders read `region=…, date=…`: no date breaks across lines',
  { skip },
  async () => {
    const runId = oneDay[0]!.runId;
    const page = await browser.open('run', 'manual', { width: 500, height: 800 });
    await sendToView(
      page,
      { type: 'run-reset', runId, live: false },
      { type: 'run-events', runId, events: oneDay },
    );
    await waitForLayouts(page, 1);
    await waitForDrawnSeq(page, oneDay.at(-1)!.seq);
    await page.evaluate('globalThis.__name = (f) => f');
    await page.screenshot({ path: path.join(shots, 'run-one-day-500.png') });
    const lines = await page.locator('.run-node .run-params').allInnerTexts();
    assert.ok(
      lines.some((l) => /^region=eu,\s+date=2026-11-02$/.test(l)),
      JSON.stringify(lines),
    );
    assert.deepEqual(await brokenDates(page), []);
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  },
);
