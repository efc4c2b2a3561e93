// Data-check results and missed SLAs in the Run view (client/webview/src/run/checkResults.ts,
// slaMisses.ts, drawn by checkList.ts and slaBanner.ts), from a real CLI run of a fixture with
// checks and a past deadline: the run state keeps them, the nodes wear a badge and a mark, the
// details list each check, the failure says the outputs were quarantined, the header the miss.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import {
  addCheckResult,
  checkBadge,
  checkLine,
  failedCheckNote,
  type CheckResult,
} from '../../../../client/webview/src/run/checkResults';
import { applyRunEvents, emptyRun } from '../../../../client/webview/src/run/runState';
import { slaMissLine } from '../../../../client/webview/src/run/slaMisses';
import type { RunEvent, TaskCheckEvent } from '../../../../runtime/src/events';
import { runFixturePipeline } from '../runCli';
import {
  browserMissing,
  type InPage,
  pageErrors,
  sendToView,
  useViewBrowser,
  waitForDrawnSeq,
  waitForLayouts,
} from '../viewPage';

// Scheduled on a past night: Daily's 06:00 Berlin deadline (05:00Z) has passed when the run starts.
let events: RunEvent[] = [];
const browser = useViewBrowser();

before(async () => {
  events = runFixturePipeline('checks-sla', 'All', ['--scheduled-at', '2026-11-20T02:00:00Z']);
});

test('the run state keeps each task’s check results and the missed SLA from the CLI’s events', () => {
  const state = applyRunEvents(emptyRun(events[0]!.runId, false), events);
  const lines = (id: string) => state.tasks.get(id)!.checks!.map(checkLine);
  assert.deepEqual(lines('Sales()'), [
    'rowCount(sales.csv): ok (error) · 3 rows, expected between 2 and 100 · value 3',
  ]);
  assert.deepEqual(checkBadge(state.tasks.get('Sales()')!.checks)?.text, '✓ 1 check');
  assert.deepEqual(checkBadge(state.tasks.get('Prices()')!.checks)?.kind, 'warn');
  assert.equal(checkBadge(state.tasks.get('Prices()')!.checks)?.text, '⚠ 1 warn');
  assert.match(
    lines('Prices()')[1]!,
    /^average price: failed \(warn\) · average price = 250, expected at most 200 · value 250$/,
  );
  const short = state.tasks.get('ShortSales()')!;
  assert.equal(short.status, 'failed');
  assert.equal(checkBadge(short.checks)?.text, '✗ failed check');
  assert.equal(
    failedCheckNote(short.checks),
    'Data check failed: rowCount(short-sales.csv): 1 rows, expected between 2 and 100. Outputs quarantined: moved aside for inspection, not counted as complete.',
  );
  assert.equal(checkBadge(state.tasks.get('Daily()')!.checks), undefined, 'no checks, no badge');
  assert.equal(failedCheckNote(state.tasks.get('Sales()')!.checks), undefined);

  assert.equal(state.slaMisses?.length, 1);
  assert.equal(state.tasks.get('Daily()')!.slaMiss, state.slaMisses![0]);
  assert.match(
    slaMissLine(state.slaMisses![0]!),
    /^SLA missed: Daily\(\) deadline 06:00 Europe\/Berlin \(was \w+\)$/,
  );
});

test('a retry’s results replace the earlier attempt’s; the worst result sets the badge', () => {
  const event = (attempt: number, ok: boolean, severity: 'error' | 'warn' = 'error'): TaskCheckEvent => ({
    v: 2,
    runId: 'r',
    seq: 0,
    time: 0,
    type: 'task-check',
    taskId: 'T()',
    attempt,
    check: `c${attempt}`,
    ok,
    severity,
  });
  let checks: CheckResult[] | undefined = addCheckResult(undefined, event(1, false));
  checks = addCheckResult(checks, event(1, false, 'warn'));
  assert.equal(checkBadge(checks)?.text, '✗ failed check');
  checks = addCheckResult(checks, event(2, true));
  assert.deepEqual(
    checks.map((c) => c.check),
    ['c2'],
  );
  assert.equal(checkBadge(checks)?.text, '✓ 1 check');
  assert.equal(checkBadge([]), undefined);
});

test(
  'the Run view: badges and the SLA mark on the nodes, the checks in the details, the miss in the header',
  { skip: browserMissing },
  async () => {
    const page = await browser.open('run', 'manual', { width: 1400, height: 800 });
    const runId = events[0]!.runId;
    await sendToView(page, { type: 'run-reset', runId, live: false }, { type: 'run-events', runId, events });
    await waitForLayouts(page, 1);
    await waitForDrawnSeq(page, events.at(-1)!.seq);
    const node = (id: string) => page.locator(`.run-node[data-task-id="${id}"]`);
    const badge = (id: string) => node(id).locator('.check-badge');
    // The log panel follows a click on the next animation frame: wait for it to show that task.
    const select = async (id: string) => {
      await node(id).click();
      await page.waitForFunction(
        (taskId) =>
          (globalThis as unknown as InPage).document.querySelector('#log')?.dataset.taskId === taskId,
        id,
      );
    };
    assert.equal(await badge('Sales()').innerText(), '✓ 1 check');
    assert.equal(await badge('Prices()').innerText(), '⚠ 1 warn');
    assert.equal(await badge('ShortSales()').innerText(), '✗ failed check');
    assert.equal(await badge('Daily()').count(), 0);
    assert.match(await node('Sales()').locator('.run-meta').innerText(), /^✓ 1 check · /);
    // The failed check's message is where the node shows its failure.
    assert.match(
      await node('ShortSales()').locator('.run-message').innerText(),
      /1 rows, expected between 2 and 100/,
    );

    assert.equal(
      await node('Daily()')
        .getAttribute('class')
        .then((c) => c!.includes('sla-missed')),
      true,
    );
    assert.equal(
      await node('Sales()')
        .getAttribute('class')
        .then((c) => c!.includes('sla-missed')),
      false,
    );
    assert.equal(
      await node('Daily()')
        .locator('.sla-mark')
        .innerText()
        .then((t) => t.trim()),
      'SLA missed',
    );
    assert.ok(await page.locator('#run-sla').isVisible());
    assert.match(
      await page.locator('#run-sla').innerText(),
      /^SLA missed: Daily\(\) deadline 06:00 Europe\/Berlin \(was \w+\)$/,
    );

    await select('Prices()');
    const checks = page.locator('#log .log-checks');
    assert.ok(await checks.isVisible());
    const rows = await checks.locator('.log-check').allInnerTexts();
    assert.equal(rows.length, 2);
    assert.match(
      rows[1]!.replace(/\s+/g, ' '),
      /^⚠ average price failed · warn average price = 250, expected at most 200 value 250$/,
    );
    assert.match(rows[0]!.replace(/\s+/g, ' '), /^✓ rowCount\(prices\.json\) ok · error/);

    await select('ShortSales()');
    assert.match(
      await page
        .locator('#log .log-check')
        .innerText()
        .then((t) => t.replace(/\s+/g, ' ')),
      /^✗ rowCount\(short-sales\.csv\) failed · error 1 rows, expected between 2 and 100 value 1$/,
    );
    const failure = await page.locator('#log-error').innerText();
    assert.match(failure, /data check failed: rowCount\(short-sales\.csv\)/);
    assert.match(failure, /Outputs quarantined: moved aside for inspection, not counted as complete\./);

    // A task without checks has no checks section.
    await select('Daily()');
    assert.equal(await page.locator('#log .log-checks').isVisible(), false);
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  },
);
