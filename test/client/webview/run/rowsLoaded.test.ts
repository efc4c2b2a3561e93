// Rows loaded in the Run view (client/webview/src/run/rowsLoaded.ts) and in the CLI's ✓ line, from a
// real run of plumb-postgres loads against a real PostgreSQL server: the load's task-status events
// carry `rows`, the run state keeps the last count, and the node says "1,000 rows".
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { rowsLabel } from '../../../../client/webview/src/run/rowsLoaded';
import { applyRunEvents, emptyRun } from '../../../../client/webview/src/run/runState';
import type { RunEvent } from '../../../../runtime/src/events';
import { freshDatabase, workspace } from '../../../postgres/support/server';
import { runCli } from '../../../runtime/support/cli';
import {
  browserMissing,
  pageErrors,
  sendToView,
  useViewBrowser,
  waitForDrawnSeq,
  waitForLayouts,
} from '../viewPage';

const load = 'LoadPlays(day=1)';
const query = 'TopArtists(day=1)';
let events: RunEvent[] = [];
const browser = useViewBrowser();

test('a load and a query task report their rows in task-status events; the run state keeps them', async (t) => {
  const db = await freshDatabase(t);
  const ws = workspace('loads', t);
  const r = runCli(ws, ['run', 'pipeline.ts', 'TopArtists', '--day', '1', '--events', 'jsonl'], db.env);
  assert.equal(r.code, 0, r.stderr);
  events = r.events;
  const counted = events.filter((e) => e.type === 'task-status' && e.rows !== undefined);
  assert.deepEqual(counted.map((e) => e.type === 'task-status' && [e.taskId, e.message, e.rows]).slice(-2), [
    [load, 'rebuild: 1,000 rows', 1000],
    [query, '5 rows', 5],
  ]);
  const state = applyRunEvents(emptyRun(events[0]!.runId, false), events);
  assert.equal(state.tasks.get(load)!.rows, 1000);
  assert.equal(rowsLabel(state.tasks.get(load)!), '1,000 rows');
  assert.equal(rowsLabel(state.tasks.get(query)!), '5 rows');
  // While it copies the count is "so far"; a failed attempt's rows were rolled back: none shown.
  assert.equal(rowsLabel({ rows: 120_000, status: 'running' }), '120,000 rows so far');
  assert.equal(rowsLabel({ rows: 120_000, status: 'failed' }), undefined);
  assert.equal(rowsLabel({ rows: 1, status: 'done' }), '1 row');
});

test('an isolated load (its own process) reports its rows the same way', async (t) => {
  const db = await freshDatabase(t);
  const ws = workspace('loads', t);
  appendFileSync(path.join(ws, 'plumb.toml'), '\n[tasks.LoadPlays]\nisolate = true\n');
  const r = runCli(ws, ['run', 'pipeline.ts', 'LoadPlays', '--day', '1', '--events', 'jsonl'], db.env);
  assert.equal(r.code, 0, r.stderr);
  const running = r.events.find((e) => e.type === 'task-running');
  assert.ok(running?.type === 'task-running' && running.pid !== undefined && running.pid !== process.pid);
  const state = applyRunEvents(emptyRun(r.events[0]!.runId, false), r.events);
  assert.equal(state.tasks.get(load)!.rows, 1000);
});

test('the CLI says the rows on the task’s ✓ line', async (t) => {
  const db = await freshDatabase(t);
  const ws = workspace('loads', t);
  const r = runCli(ws, ['run', 'pipeline.ts', 'TopArtists', '--day', '1'], db.env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^✓ LoadPlays\(day=1\) \d+ ms · 1,000 rows$/m);
  assert.match(r.stdout, /^✓ TopArtists\(day=1\) \d+ ms · 5 rows$/m);
});

test('the Run view shows the rows on the load’s node', { skip: browserMissing }, async () => {
  assert.ok(events.length > 0, 'the first test ran the pipeline');
  const page = await browser.open('run', 'manual', { width: 1400, height: 800 });
  const runId = events[0]!.runId;
  await sendToView(page, { type: 'run-reset', runId, live: false }, { type: 'run-events', runId, events });
  await waitForLayouts(page, 1);
  await waitForDrawnSeq(page, events.at(-1)!.seq);
  const meta = (id: string) => page.locator(`.run-node[data-task-id="${id}"] .run-meta`).innerText();
  // Right after the duration (and its trend), before the share of the run: dropped later when narrow.
  assert.match(await meta(load), /^[\d.]+ m?s · 1,000 rows( · |$)/);
  assert.match(await meta(query), /^[\d.]+ m?s · 5 rows( · |$)/);
  assert.deepEqual(pageErrors(page), []);
  await page.close();
});
