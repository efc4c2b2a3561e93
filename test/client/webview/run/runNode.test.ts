// Run nodes of a big run (past 300 tasks, compact cards) in a narrow panel, on a real 400-day
// backfill: the folded family says how many instances and how they stand; expanded, each day's
// compact node shows its date, whole, and no two read alike (they all read "Daily_Orders").
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import type { RunEvent } from '../../../../runtime/src/events';
import { runPipelineRuns } from '../runCli';
import {
  browserMissing,
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

before(async () => {
  if (skip) return;
  // 400 days of one region's orders, and the range task: 401 tasks.
  events = runPipelineRuns(
    path.resolve(__dirname, '../../../e2e/workspaces/regional-orders'),
    'orders.ts',
    'Daily_Orders',
    1,
    ['--start', '2025-10-01', '--stop', '2026-11-04', '--region', 'eu', '--workers', '4'],
    'backfill',
  )[0]!;
});

test(
  'a 401-task backfill in a 420 px panel: the family node counts, each expanded day shows its date',
  { skip },
  async () => {
    const runId = events[0]!.runId;
    const page = await browser.open('run', 'manual', { width: 420, height: 800 });
    await sendToView(page, { type: 'run-reset', runId, live: false }, { type: 'run-events', runId, events });
    await waitForLayouts(page, 1);
    await waitForDrawnSeq(page, events.at(-1)!.seq);
    const family = page.locator('.family-node[data-family="Daily_Orders"]');
    assert.equal(
      (await family.innerText()).replace(/\s+/g, ' ').trim(),
      'Daily_Orders ×400 instances 400 done',
    );

    const layouts = await layoutCount(page);
    await family.click();
    await waitForLayouts(page, layouts + 1);
    await page.locator('#layout-pending').waitFor({ state: 'hidden' });
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: path.join(shots, 'run-compact-expanded-420.png') });
    const days = await page.locator('.run-node.compact[data-family="Daily_Orders"]').evaluateAll((nodes) =>
      nodes.map((n) => {
        const line = (
          n as unknown as { querySelector(s: string): null | Record<string, number | string> }
        ).querySelector('.run-params');
        return line
          ? {
              text: String(line.innerText),
              cut:
                (line.scrollWidth as number) > (line.clientWidth as number) + 1 ||
                (line.scrollHeight as number) > (line.clientHeight as number) + 1,
              shown: (line.clientHeight as number) > 0,
            }
          : { text: '', cut: false, shown: false };
      }),
    );
    assert.equal(days.length, 400);
    // Only the parameter that differs (the region is every day's): the date, whole and shown.
    assert.deepEqual(
      days.filter((d) => !/^date=\d{4}-\d\d-\d\d$/.test(d.text) || d.cut || !d.shown),
      [],
    );
    assert.equal(new Set(days.map((d) => d.text)).size, 400);
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  },
);
