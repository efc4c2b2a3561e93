// The run view's header while the debugger holds the run at a breakpoint: "paused", as the status
// bar says, never "Starting… 0 of 0" (issue 15); running again once the debugger lets go.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { readRunEvents } from '../fixtureFiles';
import { browserMissing, sendToView, startViewBrowser, type ViewBrowser } from '../viewPage';

const skip = browserMissing;
let browser: ViewBrowser;

before(async () => {
  if (!skip) browser = await startViewBrowser();
});
after(async () => {
  await browser?.close();
});

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
