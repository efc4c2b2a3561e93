// The run view in headless Chromium: a recorded event stream played into the real bundle.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { readRunEvents } from '../fixtureFiles';
import { runFixturePipeline } from '../runCli';
import {
  browserMissing,
  type InPage,
  pageErrors,
  postedByView,
  sendToView,
  useViewBrowser,
  waitForCount,
  waitForDrawnSeq,
  waitForLayouts,
} from '../viewPage';

const skip = browserMissing;
const events = readRunEvents('run-failed-after-retry.jsonl');
const runId = events[0]!.runId;
const weather = 'FetchWeather(date_interval=2026-11-01-2026-11-07)';
const agg = 'AggregateArtists(date_interval=2026-11-01-2026-11-07)';
const browser = useViewBrowser();

const node = (page: Page, id: string) => page.locator(`.run-node[data-task-id="${id}"]`);

async function playRun(until: number): Promise<Page> {
  // Roomy enough for every instance: smaller panels show the family view.
  const page = await browser.open('run', 'manual', { width: 1800, height: 1000 });
  await sendToView(
    page,
    { type: 'run-reset', runId, live: true },
    // The host batches events: here in bursts of 5.
    ...Array.from({ length: Math.ceil(until / 5) }, (_, i) => ({
      type: 'run-events',
      runId,
      events: events.slice(i * 5, Math.min(until, i * 5 + 5)),
    })),
  );
  await waitForLayouts(page, 1);
  await waitForDrawnSeq(page, events[until - 1]!.seq);
  return page;
}

test(
  'live: nodes coloured by status with progress, the header counts, Cancel posts cancel',
  { skip },
  async () => {
    const mid = events.findIndex((e) => e.type === 'task-retrying') + 1;
    const page = await playRun(mid);
    assert.equal(await page.locator('.run-node').count(), 12);
    assert.equal(await node(page, agg).getAttribute('data-status'), 'running');
    assert.equal(await node(page, 'Streams(date=2026-11-01)').getAttribute('data-status'), 'complete');
    assert.match(await node(page, agg).innerText(), /Reading streams of 2026-11-0\d/);
    assert.equal(await node(page, agg).locator('.run-progress.active').count(), 1);
    assert.match(await node(page, weather).innerText(), /retrying \(try 2\)/);
    assert.match(await page.locator('#run-progress').innerText(), /^7 of 12 complete · 1 running$/);
    assert.equal(await page.locator('#summary').isVisible(), false);

    await page.click('#cancel');
    assert.deepEqual((await postedByView(page)).at(-1), { type: 'cancel', runId });
    assert.equal(await page.locator('#cancel').isDisabled(), true);
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  },
);

test(
  'finished: summary, a failed task’s error and log, the timeline with retries, rerun',
  { skip },
  async () => {
    const page = await playRun(events.length);
    await page.locator('#summary').waitFor();
    assert.match(await page.locator('#summary').innerText(), /Failed in 5\.7 s\./);
    assert.match(await page.locator('#summary [data-group="failed"]').innerText(), /1 failed/);
    assert.equal(await page.locator('#cancel').isVisible(), false);
    assert.equal(await node(page, weather).getAttribute('data-status'), 'failed');
    assert.equal(
      await node(page, 'WeeklyReport(date_interval=2026-11-01-2026-11-07)').getAttribute('data-status'),
      'blocked',
    );

    await node(page, weather).click();
    const log = page.locator('#log');
    await log.waitFor();
    assert.equal(await log.getAttribute('data-task-id'), weather);
    assert.match(await log.locator('#log-error').innerText(), /FetchError: weather API answered 503/);
    assert.match(await log.locator('#log-error').innerText(), /pipeline\.ts:131:13/);
    assert.match(await log.locator('#log-lines').innerText(), /request timed out after 1000 ms\s+HTTP 503/);

    await page.click('#tab-timeline');
    const rows = page.locator('#gantt .gantt-row');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 4);
    assert.equal(
      await page.locator(`#gantt .gantt-row[data-task-id="${weather}"] .gantt-bar.failed`).count(),
      2,
    );

    await page.click('#rerun-failed');
    assert.deepEqual((await postedByView(page)).at(-1), { type: 'rerun', runId, mode: 'failed' });
    await page.close();
  },
);

test('history lists past runs to replay and each task’s durations with a trend', { skip }, async () => {
  const page = await playRun(events.length);
  await sendToView(page, {
    type: 'run-history',
    runs: [
      { runId, root: 'WeeklyReport()', startedAt: 1, durationMs: 5650, outcome: 'failed' },
      { runId: 'older', root: 'WeeklyReport()', startedAt: 0, durationMs: 4000, outcome: 'success' },
    ],
    // Per task id, oldest first (client/src/runHistory.ts).
    durations: {
      [agg]: [2000, 2100, 3620],
      [`Top10Artists(date_interval=2026-11-01-2026-11-07)`]: [970, 960],
    },
  });
  await page.click('#tab-history');
  await page.locator('#history .history-run').first().waitFor();
  assert.equal(await page.locator('#history .history-run').count(), 2);
  assert.equal(await page.locator(`#history .history-run.shown`).getAttribute('data-run-id'), runId);
  assert.match(await page.locator(`#history tr[data-task-id="${agg}"]`).innerText(), /3\.6 s\s+▲ slower/);
  // The run's own node says it took longer than usual.
  await page.click('#tab-graph');
  assert.match(await node(page, agg).locator('.run-meta').innerText(), /▲ usually 2\.1 s/);
  await page.click('#tab-history');
  await page.click('#history .history-run[data-run-id="older"]');
  assert.deepEqual((await postedByView(page)).at(-1), { type: 'open-run', runId: 'older' });

  // The host replays it: the view starts over.
  await sendToView(page, { type: 'run-reset', runId: 'older', live: false });
  await page.locator('#tab-graph.active').waitFor();
  await waitForCount(page, '.run-node', 0);
  // Nothing is starting: no "Starting…", no "0 of 0" (issue 15).
  assert.equal(await page.locator('#run-progress').innerText(), '');
  assert.equal(await page.locator('.run-name').innerText(), 'Loading the run…');
  await page.close();
});

test(
  'a real run of the runtime CLI, streamed in batches, ends with its summary’s statuses',
  { skip },
  async () => {
    const real = runFixturePipeline('run-pipeline', 'Report');
    const id = real[0]!.runId;
    const page = await browser.open('run');
    await sendToView(
      page,
      { type: 'run-reset', runId: id, live: true },
      ...real
        .map((e, i) => (i % 3 === 0 ? { type: 'run-events', runId: id, events: real.slice(i, i + 3) } : null))
        .filter(Boolean),
    );
    await waitForLayouts(page, 1);
    await waitForDrawnSeq(page, real.at(-1)!.seq);
    const statuses = await page
      .locator('.run-node')
      .evaluateAll((els) => els.map((e) => (e as unknown as { dataset: Record<string, string> }).dataset));
    assert.deepEqual(Object.fromEntries(statuses.map((d) => [d.taskId, d.status])), {
      'Report()': 'blocked',
      'Flaky()': 'done',
      'Broken()': 'failed',
      'Source()': 'complete',
      'Prepared()': 'complete',
    });
    // Report needs Flaky and Broken; Flaky needs Source and Prepared; Broken needs Source.
    assert.equal(await page.locator('.dag-edge').count(), 5);
    await node(page, 'Broken()').click();
    // The log panel draws on the next frame: wait for the error, then say what was there if not.
    await page
      .locator('#log-error', { hasText: /TypeError: broken on purpose/ })
      .waitFor({ timeout: 10_000 })
      .catch(() => undefined);
    assert.match(await page.locator('#log-error').innerText(), /TypeError: broken on purpose/);
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  },
);

test(
  'the selected task and its log come back after the webview is reloaded (hidden and shown, or a restart)',
  { skip },
  async () => {
    const page = await playRun(events.length);
    await node(page, weather).click();
    await page.locator('#log').waitFor();
    await page.reload();
    await page.waitForFunction(() => (globalThis as unknown as InPage).posted.length > 0);
    // The host answers `ready` by sending the same run again (its id is in the restored state).
    await sendToView(page, { type: 'run-reset', runId, live: false }, { type: 'run-events', runId, events });
    await waitForDrawnSeq(page, events.at(-1)!.seq);
    assert.equal(await page.locator('#log').getAttribute('data-task-id'), weather);
    assert.equal(
      await node(page, weather)
        .getAttribute('class')
        .then((c) => /\bselected\b/.test(c ?? '')),
      true,
    );
    await page.close();
  },
);
