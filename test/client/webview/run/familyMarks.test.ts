// Data checks and missed SLAs where the Run view folds or lists them (client/webview/src/run/
// familyMarks.ts drawn by familyNode.ts; historySla.ts in the History tab), from a real CLI run of
// a fixture: 30 days of one family, two failing their row-count check, all past their SLA. The
// folded family node wears the worst check and the SLA mark; the History tab marks the run that
// missed, from the host's digest of its events (client/src/runHistory.ts).
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { digestRun } from '../../../../client/src/runHistory';
import { familyCheckBadge, familySlaMark } from '../../../../client/webview/src/run/familyMarks';
import { applyRunEvents, emptyRun } from '../../../../client/webview/src/run/runState';
import type { RunEvent } from '../../../../runtime/src/events';
import { runFixturePipeline } from '../runCli';
import {
  browserMissing,
  pageErrors,
  sendToView,
  useViewBrowser,
  waitForDrawnSeq,
  waitForLayouts,
} from '../viewPage';

let events: RunEvent[] = [];
const browser = useViewBrowser();

before(async () => {
  // Scheduled three hours ago: every DayLoad's SLA (within 1h) has passed when the run starts.
  const scheduledAt = new Date(Date.now() - 3 * 3_600_000).toISOString();
  events = runFixturePipeline('family-checks-sla', 'Month', ['--scheduled-at', scheduledAt]);
});

const days = () => {
  const state = applyRunEvents(emptyRun(events[0]!.runId, false), events);
  return [...state.tasks.values()].filter((t) => t.family === 'DayLoad');
};

test('a family’s checks and SLAs in one badge and one mark: the worst check wins, each instance in the hover', () => {
  const instances = days();
  assert.equal(instances.length, 30);
  const badge = familyCheckBadge(instances)!;
  assert.equal(badge.kind, 'failed');
  assert.equal(badge.text, '✗ 2 failed checks');
  assert.deepEqual(badge.title.split('\n'), [
    'DayLoad(day=3): ✗ failed check',
    'DayLoad(day=7): ✗ failed check',
    '28 of 30 checked instances passed every check',
  ]);
  assert.equal(
    familyCheckBadge(instances.filter((t) => t.id !== 'DayLoad(day=3)' && t.id !== 'DayLoad(day=7)'))?.text,
    '✓ 28 checked',
  );
  assert.equal(familyCheckBadge(instances.map((t) => ({ id: t.id }))), undefined, 'no checks, no badge');

  const sla = familySlaMark(instances)!;
  assert.equal(sla.text, 'SLA missed ×30');
  const lines = sla.title.split('\n');
  assert.equal(lines.length, 11, 'ten misses and a count');
  assert.match(
    lines[0]!,
    /^SLA missed: DayLoad\(day=\d+\) within 1h \(deadline \d\d:\d\d UTC\) \(was pending\)$/,
  );
  assert.equal(lines[10], '… and 20 more');
  assert.equal(familySlaMark(instances.slice(0, 1).map((t) => ({ id: t.id })))?.text, undefined);
});

test(
  'the folded family node shows its checks and missed SLAs; the History tab marks the run that missed',
  { skip: browserMissing },
  async () => {
    const page = await browser.open('run', 'manual', { width: 1000, height: 700 });
    const runId = events[0]!.runId;
    await sendToView(page, { type: 'run-reset', runId, live: false }, { type: 'run-events', runId, events });
    await waitForLayouts(page, 1);
    await waitForDrawnSeq(page, events.at(-1)!.seq);
    const family = page.locator('.family-node[data-family="DayLoad"]');
    assert.equal(await family.getAttribute('data-group'), '30', 'the 30 days are folded into one node');
    assert.equal(await family.locator('.check-badge').innerText(), '✗ 2 failed checks');
    assert.equal(await family.locator('.check-badge').getAttribute('data-checks'), 'failed');
    assert.match(
      (await family.locator('.check-badge').getAttribute('title'))!,
      /^DayLoad\(day=3\): ✗ failed check\n/,
    );
    assert.equal((await family.locator('.sla-mark').innerText()).trim(), 'SLA missed ×30');
    assert.match(
      await family.locator('.run-meta').innerText(),
      /^✗ 2 failed checks · .*SLA missed ×30 · 2 failed · 28 done$/,
    );
    assert.ok((await family.getAttribute('class'))!.includes('sla-missed'), 'dashed like a late instance');

    // History: the host's digest of this run carries its misses; an older run without any has no mark.
    const { entry } = digestRun(runId, events, 0);
    assert.equal(entry.slaMisses?.length, 30);
    await sendToView(page, {
      type: 'run-history',
      runs: [
        entry,
        { runId: 'older', root: 'Month()', startedAt: entry.startedAt - 86_400_000, outcome: 'success' },
      ],
      durations: {},
    });
    await page.click('#tab-history');
    const row = (id: string) => page.locator(`#history .history-run[data-run-id="${id}"]`);
    await row(runId).waitFor();
    assert.equal((await row(runId).locator('.history-sla').innerText()).trim(), 'SLA missed ×30');
    assert.match(
      (await row(runId).locator('.history-sla').getAttribute('title'))!,
      /^SLA missed: DayLoad\(day=\d+\) within 1h/,
    );
    assert.ok((await row(runId).getAttribute('class'))!.includes('sla-missed'));
    assert.equal(await row('older').locator('.history-sla').count(), 0);
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  },
);
