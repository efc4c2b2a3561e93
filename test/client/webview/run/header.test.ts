// The run view's header while the debugger holds the run at a breakpoint: "paused", as the status
// bar says, never "Starting… 0 of 0" (issue 15); running again once the debugger lets go. And a
// backfill's long name in a narrow panel: whole, its window first, never cut alike (issue 15).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import type { RunEvent } from '../../../../runtime/src/events';
import { readRunEvents } from '../fixtureFiles';
import { runPipelineRuns } from '../runCli';
import { browserMissing, pageErrors, sendToView, useViewBrowser, waitForDrawnSeq } from '../viewPage';

const skip = browserMissing;
const browser = useViewBrowser();

test('a run held at a breakpoint says paused, before and after it announced itself', { skip }, async () => {
  const events = readRunEvents('run-failed-after-retry.jsonl');
  const runId = events[0]!.runId;
  const page = await browser.open('run');
  const name = page.locator('.run-name');
  const outcome = page.locator('#run-outcome');

  // A breakpoint in the pipeline's module: no event yet, the debugger stopped.
  await sendToView(
    page,
    { type: 'run-reset', runId, live: true },
    { type: 'run-paused', runId, paused: true },
  );
  await page.locator('#run-outcome[data-outcome="paused"]').waitFor();
  assert.equal(await name.innerText(), 'Paused in the debugger');
  assert.equal(await outcome.innerText(), 'paused');
  assert.equal(await page.locator('#run-progress').innerText(), '');
  assert.equal(await page.locator('#run-header .codicon-debug-pause').count(), 1);

  // Resumed: it starts, the run names itself; a later breakpoint in a task pauses it again.
  await sendToView(page, { type: 'run-paused', runId, paused: false });
  await page.locator('#run-outcome[data-outcome="running"]').waitFor();
  assert.equal(await name.innerText(), 'Starting…');
  await sendToView(
    page,
    { type: 'run-events', runId, events: events.slice(0, 3) },
    { type: 'run-paused', runId, paused: true },
  );
  await page.locator('#run-outcome[data-outcome="paused"]').waitFor();
  assert.notEqual(await name.innerText(), 'Starting…');
  assert.equal(await outcome.innerText(), 'paused');

  // Another run's pause is not this one's.
  await sendToView(page, { type: 'run-paused', runId: 'other', paused: false });
  assert.equal(await outcome.innerText(), 'paused');
  await page.close();
});

const shots = path.resolve(__dirname, '../../../../test-output/webview');
/** The real-VS-Code suite's regional workspace: a one-region backfill of one of its families. */
const regional = path.resolve(__dirname, '../../../e2e/workspaces/regional-orders');
const backfill = (start: string, stop: string): RunEvent[] =>
  runPipelineRuns(
    regional,
    'orders.ts',
    'Daily_Orders',
    1,
    ['--start', start, '--stop', stop, '--region', 'eu'],
    'backfill',
  )[0]!;

/** Elements under `selector` whose text is cut (it overflows its box) or lies outside the panel. */
async function cutOrOutside(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).evaluateAll((elements) => {
    const g = globalThis as unknown as { innerWidth: number };
    type Box = { left: number; right: number; width: number };
    type Element = {
      scrollWidth: number;
      clientWidth: number;
      scrollHeight: number;
      clientHeight: number;
      className: string;
      textContent: string;
      children: { length: number };
      getBoundingClientRect(): Box;
      getClientRects(): { length: number };
      querySelectorAll(s: string): Element[];
    };
    const all = (elements as unknown as Element[]).flatMap((e) => [e, ...e.querySelectorAll('*')]);
    return all
      .filter((e) => e.getClientRects().length > 0 && e.textContent.trim() !== '')
      .filter((e) => {
        const box = e.getBoundingClientRect();
        const cut =
          e.clientWidth > 0 && (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1);
        return cut || box.left < -1 || box.right > g.innerWidth + 1;
      })
      .map((e) => `${e.className}: ${e.textContent.trim()}`);
  });
}

for (const width of [420, 500]) {
  test(
    `in a ${width} px panel a backfill’s name is whole, its window first; History tells two backfills apart`,
    { skip },
    async () => {
      const first = backfill('2026-11-01', '2026-11-14');
      const second = backfill('2026-11-15', '2026-11-28');
      const root = (events: RunEvent[]) => (events[0]!.type === 'run-started' ? events[0]!.root : '');
      assert.equal(
        root(first),
        'RangeDaily(of=Daily_Orders, start=2026-11-01, stop=2026-11-14, ofParams={"region":"eu"})',
      );
      const runId = first[0]!.runId;
      const page = await browser.open('run', 'manual', { width, height: 800 });
      await sendToView(
        page,
        { type: 'run-reset', runId, live: false },
        { type: 'run-events', runId, events: first },
        {
          type: 'run-history',
          runs: [second, first].map((events) => ({
            runId: events[0]!.runId,
            root: root(events),
            startedAt: events[0]!.time,
            durationMs: 1000,
            outcome: 'success',
          })),
          durations: {},
        },
      );
      await waitForDrawnSeq(page, first.at(-1)!.seq);
      mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: path.join(shots, `run-header-backfill-${width}.png`) });
      // The family, then every parameter whole, what differs from the other backfill first.
      assert.equal(await page.locator('.run-name').innerText(), 'RangeDaily');
      assert.equal(
        (await page.locator('#run-root-params').innerText()).replace(/\s+/g, ' '),
        'start=2026-11-01, stop=2026-11-14, of=Daily_Orders, ofParams={"region":"eu"}',
      );
      assert.deepEqual(await cutOrOutside(page, '#run-header'), []);

      await page.click('#tab-history');
      await page.locator('#history .history-run').first().waitFor();
      await page.screenshot({ path: path.join(shots, `run-history-backfills-${width}.png`) });
      const names = await page.locator('#history .history-run td.fill').allInnerTexts();
      assert.deepEqual(
        names.map((n) => n.replace(/\s+/g, ' ')),
        [
          'RangeDaily start=2026-11-15, stop=2026-11-28, of=Daily_Orders, ofParams={"region":"eu"}',
          'RangeDaily start=2026-11-01, stop=2026-11-14, of=Daily_Orders, ofParams={"region":"eu"}',
        ],
      );
      assert.deepEqual(await cutOrOutside(page, '#history .history-run'), []);
      // The range task's log under the graph: its id whole in the log's title.
      await page.click('#tab-graph');
      await page.locator('.run-node[data-family="RangeDaily"]').click();
      await page.locator('.log-task-id').waitFor();
      await page.screenshot({ path: path.join(shots, `run-log-title-${width}.png`) });
      assert.deepEqual(await cutOrOutside(page, '.log-head'), []);
      assert.deepEqual(pageErrors(page), []);
      await page.close();
    },
  );
}
