// What a person sees in a side panel (540×700 CSS px): the real example's run and workspace graph
// drawn inside the visible canvas, at a zoom whose text can be read, never hidden by the log panel.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { RunEvent } from '../../../../runtime/src/events';
import type { PipelineGraph } from '../../../../server/src/protocol';
import { WorkspaceAnalysis } from '../../../../server/src/analysis/workspaceAnalysis';
import { runPipelineRuns } from '../runCli';
import {
  browserMissing,
  type InPage,
  pageErrors,
  sendToView,
  useViewBrowser,
  waitForDrawnSeq,
  waitForLayouts,
} from '../viewPage';

const skip = browserMissing;
const repo = path.resolve(__dirname, '../../../..');
const example = path.join(repo, 'examples/top-artists');
const sidePanel = { width: 540, height: 700 };
/** 13 px text at 0.75: the smallest zoom a fit may choose. */
const READABLE = 0.75;
const browser = useViewBrowser();
let firstRun: RunEvent[];
let secondRun: RunEvent[];

before(async () => {
  if (skip) return;
  const runs = runPipelineRuns(example, 'pipeline.ts', 'All', 2);
  firstRun = runs[0]!;
  secondRun = runs[1]!;
});

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

const inside = (r: Rect, area: Rect, slack = 1) =>
  r.x >= area.x - slack &&
  r.y >= area.y - slack &&
  r.x + r.width <= area.x + area.width + slack &&
  r.y + r.height <= area.y + area.height + slack;

const overlaps = (a: Rect, b: Rect) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

async function rectOf(page: Page, selector: string): Promise<Rect> {
  const box = await page.locator(selector).boundingBox();
  assert.ok(box, `${selector} is rendered`);
  return box;
}

/** The canvas area the user sees, the canvas zoom, and each node's box and look. */
async function seen(page: Page) {
  const surface = await rectOf(page, '.dag-surface');
  const zoom = Number(await page.locator('.dag-surface').getAttribute('data-zoom'));
  const nodes = await page.locator('.dag-node').evaluateAll((elements) =>
    elements.map((element) => {
      const e = element as unknown as {
        dataset: Record<string, string>;
        classList: { contains(c: string): boolean };
        getBoundingClientRect(): Rect;
        querySelector(s: string): unknown;
      };
      const view = globalThis as unknown as {
        getComputedStyle(e: unknown): { opacity: string; visibility: string; fontSize: string };
      };
      const r = e.getBoundingClientRect();
      return {
        id: e.dataset.taskId ?? e.dataset.family ?? '',
        family: e.dataset.family ?? '',
        rect: { x: r.x, y: r.y, width: r.width, height: r.height },
        opacity: Number(view.getComputedStyle(e).opacity),
        hidden: view.getComputedStyle(e).visibility === 'hidden',
        fontPx: Number.parseFloat(view.getComputedStyle(e.querySelector('.node-family')).fontSize),
      };
    }),
  );
  const visible = nodes.filter((n) => !n.hidden && inside(n.rect, surface));
  return { surface, zoom, nodes, visible };
}

/** Waits (10 s at most; the caller asserts) for the canvas zoom to be READABLE or more, or (`false`) less. */
async function zoomOnceReadable(page: Page, readable: boolean): Promise<void> {
  await page
    .waitForFunction(
      ([min, want]) => {
        const zoom = (globalThis as unknown as InPage).document.querySelector('.dag-surface')?.dataset.zoom;
        return zoom !== undefined && Number(zoom) >= min === want;
      },
      [READABLE, readable] as const,
      { timeout: 10_000 },
    )
    .catch(() => undefined);
}

function assertReadable(view: Awaited<ReturnType<typeof seen>>): void {
  assert.ok(view.zoom >= READABLE, `zoom ${view.zoom} is below ${READABLE}`);
  for (const n of view.visible) {
    assert.ok(n.fontPx * view.zoom >= 9.5, `${n.id}: text drawn at ${n.fontPx * view.zoom} px`);
    assert.equal(n.opacity, 1, `${n.id} is drawn faint (opacity ${n.opacity})`);
  }
}

async function playRun(events: RunEvent[], size = sidePanel): Promise<Page> {
  const page = await browser.open('run', 'manual', size);
  const runId = events[0]!.runId;
  await sendToView(page, { type: 'run-reset', runId, live: true }, { type: 'run-events', runId, events });
  await waitForLayouts(page, 1);
  await waitForDrawnSeq(page, events.at(-1)!.seq);
  return page;
}

test('after a run of All the run graph is fitted and readable in a side panel', { skip }, async () => {
  const page = await playRun(firstRun);
  let view = await seen(page);
  // The instances do not fit readably: the family view, one node per family, all of it in view.
  const streams = page.locator('.family-node[data-family="Streams"]');
  const count = Number(await streams.getAttribute('data-group'));
  assert.ok(count > 1, `Streams folds ${count} instances`);
  assert.match(await streams.innerText(), new RegExp(`×${count} instances`));
  assert.equal(view.visible.length, view.nodes.length, 'the family view is wholly in view');
  assertReadable(view);
  // Expanded on a click: every instance.
  await streams.click();
  await waitForLayouts(page, 2);
  view = await seen(page);
  assert.equal(view.nodes.length, 10);
  assertReadable(view);
  // Too wide to show whole at a readable zoom: what the person opened is shown, with what it feeds.
  const families = new Set(view.visible.map((n) => n.family));
  for (const family of ['Streams', 'AggregateArtists'])
    assert.ok(families.has(family), `${family} is not in view: ${[...families].join(', ')}`);

  // It says part of the graph is out of view, and shows all of it on request.
  const showAll = page.locator('#show-all');
  assert.equal(await showAll.innerText(), 'Show all 10');
  const inView = Number(/^(\d+) of 10 tasks in view/.exec((await showAll.getAttribute('title')) ?? '')?.[1]);
  assert.equal(inView, view.visible.length, 'the count of tasks in view is of those wholly in view');
  await showAll.click();
  assert.equal((await seen(page)).visible.length, 10, 'show all: the whole graph is in view');
  assert.equal(await showAll.isVisible(), false);
  // Fit: readable again, and fitted through resizes until the user zooms or pans.
  await page.click('#fit');
  // A fit may first lay the graph out again in the other direction (dagCanvas turnTo): wait for it.
  await zoomOnceReadable(page, true);
  assertReadable(await seen(page));
  assert.equal(await page.locator('.dag-surface').getAttribute('data-auto-fit'), 'true');
  await page.mouse.move(270, 450);
  // mouse.wheel may resolve before the page has handled the event.
  await page.mouse.wheel(0, 600);
  await zoomOnceReadable(page, false);
  const zoomedOut = await seen(page);
  assert.ok(zoomedOut.zoom < READABLE, `the wheel zoomed out to ${zoomedOut.zoom}`);
  assert.equal(await page.locator('.dag-surface').getAttribute('data-auto-fit'), 'false');
  assert.deepEqual(pageErrors(page), []);
  await page.close();
});

test('while the run streams its graph is visible, before and after the real layout', { skip }, async () => {
  const page = await browser.open('run', 'manual', sidePanel);
  const runId = firstRun[0]!.runId;
  const firstRunning = firstRun.findIndex((e) => e.type === 'task-running');
  await sendToView(
    page,
    { type: 'run-reset', runId, live: true },
    { type: 'run-events', runId, events: firstRun.slice(0, firstRunning + 1) },
  );
  // Before elk's first layout (its worker is still starting) a rough layout already shows the nodes.
  await page.waitForFunction(() => {
    const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } })
      .document;
    return (
      doc.querySelectorAll('.run-node').length > 0 && doc.querySelectorAll('.run-node.measuring').length === 0
    );
  });
  assert.ok((await seen(page)).visible.length > 0, 'nodes are visible before the layout arrives');
  await waitForLayouts(page, 1);
  await waitForDrawnSeq(page, firstRun[firstRunning]!.seq);
  const view = await seen(page);
  assertReadable(view);
  const running = view.nodes.find((n) => n.id === (firstRun[firstRunning] as { taskId: string }).taskId)!;
  assert.ok(view.visible.includes(running), 'the running task is in view');
  await page.close();
});

test('a second run (one node, already complete) draws it at full size and contrast', { skip }, async () => {
  const page = await playRun(secondRun);
  const view = await seen(page);
  assert.equal(view.nodes.length, 1);
  assert.equal(view.visible.length, 1, 'the node is inside the canvas');
  assert.equal(view.zoom, 1, 'a graph that fits is drawn at 100%');
  assertReadable(view);
  assert.equal(await page.locator('.run-node').getAttribute('data-status'), 'complete');
  await page.close();
});

test('a webview that starts small and grows keeps the run fitted', { skip }, async () => {
  const page = await playRun(firstRun, { width: 540, height: 120 });
  await page.setViewportSize(sidePanel);
  await page.waitForFunction(() => {
    const doc = (
      globalThis as unknown as { document: { querySelector(s: string): { clientHeight: number } } }
    ).document;
    return doc.querySelector('.dag-surface').clientHeight > 400;
  });
  // The grown panel may take the family view: wait for its layout.
  await page.waitForTimeout(100);
  await page.locator('.dag-surface:not([data-layout-pending="true"])').waitFor();
  await page.waitForTimeout(100);
  await page.screenshot({ path: path.join(repo, 'test-output/webview/run-grown-540.png') });
  const view = await seen(page);
  assertReadable(view);
  assert.ok(view.visible.length >= 3, `${view.visible.length} nodes in view after the panel grew`);
  await page.close();
});

test('the log panel of a failed task never covers the task or its neighbours', { skip }, async () => {
  const [failed] = runPipelineRuns(
    path.join(__dirname, '../fixtures/failing-branch'),
    'pipeline.ts',
    'Report',
    1,
  );
  const page = await playRun(failed!);
  await page.click('.run-node[data-family="Explode"]');
  await page.locator('#log:not([hidden])').waitFor();
  await page.waitForTimeout(100);
  const log = await rectOf(page, '#log');
  const view = await seen(page);
  assertReadable(view);
  for (const family of ['Explode', 'Report']) {
    const node = view.nodes.find((n) => n.family === family)!;
    assert.ok(view.visible.includes(node), `${family} is not fully in the canvas`);
    assert.ok(!overlaps(node.rect, log), `${family} is under the log panel`);
  }
  // Runtime frames are left out or folded away (stackFrames): the stack shows the task's own code.
  const stack = await page.locator('#log-error .error-stack').first().innerText();
  assert.match(stack, /at Explode\.run \(.*pipeline\.ts:\d+:\d+\)/);
  assert.doesNotMatch(stack, /cli\.js|node:internal|async_hooks/);
  await page.close();
});

/** The example's workspace graph from the real analysis, with one more task added as in the e2e. */
function exampleGraph(): PipelineGraph {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plumb-webview-graph-'));
  try {
    cpSync(example, dir, { recursive: true });
    writeFileSync(
      path.join(dir, 'report.ts'),
      "import { Task, param } from 'plumb-pipelines';\nimport { Top10Artists } from './pipeline';\n" +
        'export class ArtistReport extends Task.with({ dateInterval: param.dateInterval() }) {\n' +
        '  requires() { return new Top10Artists({ dateInterval: this.dateInterval }); }\n}\n',
    );
    const analysis = new WorkspaceAnalysis([dir]);
    analysis.scan();
    return analysis.analyse().pipelineGraph();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test(
  'the workspace graph in a side panel is fitted at a readable zoom around the task of interest',
  { skip },
  async () => {
    const graph = exampleGraph();
    assert.ok(graph.nodes.length >= 5, `${graph.nodes.length} tasks in the example graph`);
    const page = await browser.open('graph', 'manual', sidePanel);
    await sendToView(page, { type: 'graph', graph, depth: -1 });
    await waitForLayouts(page, 1);
    let view = await seen(page);
    assertReadable(view);
    assert.ok(
      view.visible.some((n) => n.family === 'Streams'),
      'with nothing selected, the pipeline start is in view',
    );

    // The cursor moves to a task out of view: it comes into view with its neighbours.
    const all = graph.nodes.find((n) => n.family === 'All')!;
    await sendToView(page, { type: 'highlight', nodeId: all.id });
    view = await seen(page);
    assertReadable(view);
    for (const family of ['All', 'Top10Artists'])
      assert.ok(
        view.visible.some((n) => n.family === family),
        `${family} is not in view after the cursor moved to All: ${view.visible.map((n) => n.family).join(', ')}`,
      );

    // The cursor's task: a fit shows it and its neighbours, still readable.
    const top10 = graph.nodes.find((n) => n.family === 'Top10Artists')!;
    await sendToView(page, { type: 'highlight', nodeId: top10.id });
    await page.click('#fit');
    view = await seen(page);
    assertReadable(view);
    for (const family of ['Top10Artists', 'AggregateArtists'])
      assert.ok(
        view.visible.some((n) => n.family === family),
        `${family} is not in view: ${view.visible.map((n) => n.family).join(', ')}`,
      );
    // Zooming out stays the user's choice.
    await page.click('#zoom-out');
    await page.click('#zoom-out');
    assert.ok((await seen(page)).zoom < READABLE);
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  },
);

test('in a side panel the history keeps each task’s durations and trend in view', { skip }, async () => {
  const page = await playRun(firstRun);
  const ids = [...new Set(firstRun.flatMap((e) => (e.type === 'task-done' ? [e.taskId] : [])))];
  await sendToView(page, {
    type: 'run-history',
    runs: [
      { runId: firstRun[0]!.runId, root: ids.at(-1)!, startedAt: 1, durationMs: 30, outcome: 'success' },
    ],
    durations: Object.fromEntries(ids.map((id) => [id, [10, 12, 30]])),
  });
  await page.click('#tab-history');
  await page.locator('#history tr[data-task-id]').first().waitFor();
  const panel = { x: 0, y: 0, ...sidePanel };
  for (const selector of ['#history tr[data-task-id] .trend', '#history .history-run td:last-child']) {
    const boxes = await page
      .locator(selector)
      .evaluateAll((elements) =>
        elements.map((e) => (e as unknown as { getBoundingClientRect(): Rect }).getBoundingClientRect()),
      );
    assert.ok(boxes.length > 0);
    for (const box of boxes)
      assert.ok(inside(box, panel), `${selector} is cut off at x=${box.x + box.width}`);
  }
  await page.close();
});
