// Issue 15's first promise, in headless Chromium on the real bundle: in a 500 px wide panel a graph of
// up to ~30 families opens (and fits again) with every node wholly visible and titles drawn ≥ 11 px;
// labels never truncate to identical text; underscores are not clipped; a restored graph fits.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { RunEvent } from '../../../../runtime/src/events';
import type { GraphNodeInfo, PipelineGraph } from '../../../../server/src/protocol';
import { readGraph } from '../fixtureFiles';
import {
  browserMissing,
  pageErrors,
  sendToView,
  useViewBrowser,
  waitForDrawnSeq,
  waitForLayouts,
  waitForReady,
} from '../viewPage';

const skip = browserMissing;
const narrow = { width: 500, height: 800 };
const shots = path.resolve(__dirname, '../../../../test-output/webview');
const template = readGraph('music-graph.json');
const browser = useViewBrowser();

before(async () => {
  if (skip) return;
  mkdirSync(shots, { recursive: true });
});

/**
 * A 30-family pipeline as data teams write them: 3 sources, cleaning, joins, daily aggregates,
 * reports and one wrapper, layers 3–4 wide, names of real length (one with underscores).
 */
function thirtyFamilies(): PipelineGraph {
  const layers = [
    ['RawOrders', 'RawCustomers', 'RawClickstream'],
    ['CleanOrders', 'CleanCustomers', 'SessionizeClicks', 'DedupeEvents'],
    ['JoinOrdersCustomers', 'AttributeSessions', 'CurrencyRates', 'ProductCatalog'],
    ['DailyRevenue', 'CustomerSegments', 'FunnelSteps', 'ProductViews'],
    ['RevenueByRegion', 'CustomerLifetimeValue', 'FunnelConversion', 'TopProducts'],
    ['WeeklyRevenueReport', 'SegmentReport', 'FunnelReport', 'T0_L0_export'],
    ['ExecutiveDashboard', 'MarketingDigest', 'AnomalyAlerts', 'ChurnAlerts'],
    ['PublishAll', 'ArchiveRun', 'RefreshCaches'],
  ];
  const base = template.nodes.find((n) => n.family === 'AggregateArtists')!;
  const nodes: GraphNodeInfo[] = layers.flat().map((family, i) => ({
    ...base,
    family,
    id: `${base.uri}#${family}`,
    kind: i < 3 ? 'external' : 'task',
    missingExternal: false,
    inCycle: false,
  }));
  const id = (family: string) => `${base.uri}#${family}`;
  const edges: PipelineGraph['edges'] = [];
  layers.forEach((layer, l) => {
    if (l === 0) return;
    const prev = layers[l - 1]!;
    layer.forEach((family, i) => {
      // Each task requires one or two of the layer before it (its "column" and the next one).
      for (const up of new Set([prev[i % prev.length]!, prev[(i + 1) % prev.length]!]))
        edges.push({ ...template.edges[0]!, from: id(family), to: id(up), inCycle: false, dynamic: false });
    });
  });
  assert.equal(nodes.length, 30);
  return { ...template, version: 1, nodes, edges, cycles: [], focus: undefined };
}

interface Seen {
  id: string;
  family: string;
  inside: boolean;
  titlePx: number;
  titleTruncated: boolean;
}

/** Each node: wholly inside the canvas? its title's drawn size; whether its title is cut. */
async function nodesSeen(page: Page): Promise<Seen[]> {
  return page.locator('.dag-node').evaluateAll((elements) => {
    const g = globalThis as unknown as {
      document: { querySelector(s: string): { getBoundingClientRect(): DOMRectLike } };
      getComputedStyle(e: unknown): { fontSize: string; visibility: string };
    };
    interface DOMRectLike {
      x: number;
      y: number;
      width: number;
      height: number;
    }
    const surface = g.document.querySelector('.dag-surface').getBoundingClientRect();
    const zoom = Number(
      (g.document.querySelector('.dag-surface') as unknown as { dataset: Record<string, string> }).dataset
        .zoom,
    );
    return elements.map((element) => {
      const e = element as unknown as {
        dataset: Record<string, string>;
        getBoundingClientRect(): DOMRectLike;
        querySelector(s: string): { scrollWidth: number; clientWidth: number } | null;
      };
      const r = e.getBoundingClientRect();
      const title = e.querySelector('.node-family')!;
      return {
        id: e.dataset.taskId ?? '',
        family: e.dataset.family ?? '',
        inside:
          g.getComputedStyle(e).visibility !== 'hidden' &&
          r.x >= surface.x - 0.5 &&
          r.y >= surface.y - 0.5 &&
          r.x + r.width <= surface.x + surface.width + 0.5 &&
          r.y + r.height <= surface.y + surface.height + 0.5,
        titlePx: Number.parseFloat(g.getComputedStyle(title).fontSize) * zoom,
        titleTruncated: title.scrollWidth > title.clientWidth + 1,
      };
    });
  });
}

function assertAllReadable(seen: Seen[], what: string): void {
  assert.ok(seen.length > 0);
  const out = seen.filter((n) => !n.inside).map((n) => n.family);
  assert.deepEqual(out, [], `${what}: nodes not wholly in view`);
  for (const n of seen) {
    assert.ok(n.titlePx >= 11, `${what}: ${n.family}'s title drawn at ${n.titlePx.toFixed(1)} px`);
    assert.equal(n.titleTruncated, false, `${what}: ${n.family}'s title is cut`);
  }
}

async function openGraph(graph: PipelineGraph, size = narrow): Promise<Page> {
  const page = await browser.open('graph', 'manual', size);
  await sendToView(page, { type: 'graph', graph, depth: -1 });
  await waitForLayouts(page, 1);
  return page;
}

test(
  'a 30-family graph in a 500 px panel: every node wholly visible, titles ≥ 11 px, on open and on Fit',
  { skip },
  async () => {
    const page = await openGraph(thirtyFamilies());
    await page.screenshot({ path: path.join(shots, 'readable-30-families-500.png') });
    assertAllReadable(await nodesSeen(page), 'on open');
    assert.equal(await page.locator('#show-all').isVisible(), false, 'nothing to show beyond what is shown');
    // Panned away and zoomed in, Fit brings it all back.
    await page.click('#zoom-in');
    await page.click('#zoom-in');
    await page.click('#fit');
    assertAllReadable(await nodesSeen(page), 'after Fit');
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  },
);

test('a tall narrow panel lays the graph out top-down, a wide one left to right', { skip }, async () => {
  const graph = { ...template, nodes: template.nodes.slice(0, 6), edges: [], cycles: [] };
  const chain: PipelineGraph = {
    ...graph,
    edges: graph.nodes.slice(1).map((n, i) => ({
      ...template.edges[0]!,
      from: n.id,
      to: graph.nodes[i]!.id,
      inCycle: false,
    })),
  };
  const tall = await openGraph(chain, { width: 500, height: 900 });
  const ids = chain.nodes.map((n) => n.id);
  const box = async (page: Page, id: string) => (await page.locator(`[data-task-id="${id}"]`).boundingBox())!;
  const [a, b] = [await box(tall, ids[0]!), await box(tall, ids[1]!)];
  assert.ok(b.y > a.y + a.height - 1, 'tall panel: the consumer is below what it requires');
  assertAllReadable(await nodesSeen(tall), 'a six-task chain in a tall panel');
  await tall.close();
  const wide = await openGraph(chain, { width: 1400, height: 400 });
  const [c, d] = [await box(wide, ids[0]!), await box(wide, ids[1]!)];
  assert.ok(d.x > c.x + c.width - 1, 'wide panel: the consumer is right of what it requires');
  await wide.close();
});

test('a title with underscores is drawn whole: its line box holds the underscore', { skip }, async () => {
  const page = await openGraph(thirtyFamilies());
  const fits = await page.locator('[data-family="T0_L0_export"] .node-family').evaluate((element) => {
    const g = globalThis as unknown as {
      getComputedStyle(e: unknown): { font: string; lineHeight: string; fontSize: string };
      document: {
        createElement(t: 'canvas'): {
          getContext(c: '2d'): {
            font: string;
            measureText(t: string): {
              actualBoundingBoxDescent: number;
              fontBoundingBoxAscent: number;
              fontBoundingBoxDescent: number;
            };
          };
        };
      };
    };
    const style = g.getComputedStyle(element);
    const context = g.document.createElement('canvas').getContext('2d');
    context.font = style.font;
    const m = context.measureText('T0_L0_export');
    const line = Number.parseFloat(style.lineHeight);
    // The baseline sits half the leading below the line's top, plus the font's ascent.
    const baseline =
      (line - (m.fontBoundingBoxAscent + m.fontBoundingBoxDescent)) / 2 + m.fontBoundingBoxAscent;
    return { inkBottom: baseline + m.actualBoundingBoxDescent, line };
  });
  assert.ok(
    fits.inkBottom <= fits.line,
    `the underscore's ink ends at ${fits.inkBottom} of a ${fits.line} px line`,
  );
  await page.close();
});

test(
  'a graph restored over a viewport that shows none of it is fitted to its content',
  { skip },
  async () => {
    const graph = thirtyFamilies();
    const page = await openGraph(graph);
    // The user had zoomed into empty space far from the graph, then the webview was reloaded.
    await page.evaluate(() => {
      const g = globalThis as unknown as { sessionStorage: { setItem(k: string, v: string): void } };
      g.sessionStorage.setItem(
        'plumb-dev-state-graph',
        JSON.stringify({ focus: null, depth: -1, viewport: { x: -5000, y: -5000, zoom: 2 } }),
      );
    });
    await page.reload();
    await waitForReady(page);
    await sendToView(page, { type: 'graph', graph, depth: -1 });
    await waitForLayouts(page, 1);
    assertAllReadable(await nodesSeen(page), 'restored');
    await page.close();
  },
);

/** A run of a daily family over `days` dates feeding one report, as the runtime writes it (v1 lines). */
function backfillRun(days: number, family = 'CleanOrders'): RunEvent[] {
  const runId = 'run-backfill';
  let seq = 0;
  let time = 1_795_510_800_000;
  const stamp = () => ({ v: 1, runId, seq: seq++, time: (time += 10) });
  const dates = Array.from({ length: days }, (_, i) => `2026-11-${String(i + 1).padStart(2, '0')}`);
  const idOf = (date: string) => `${family}(date=${date}, region=emea-north-and-baltics)`;
  const root = 'CustomerSegmentsWeeklyReport(week=2026-W45)';
  const events: unknown[] = [
    {
      ...stamp(),
      type: 'run-started',
      root,
      family: 'CustomerSegmentsWeeklyReport',
      params: { week: '2026-W45' },
      module: 'pipeline.ts',
      cwd: '/w',
      pid: 1,
      workers: 1,
      unit: false,
      config: {},
      runtimeVersion: '0.1.0',
    },
    {
      ...stamp(),
      type: 'graph',
      nodes: [
        ...dates.map((date) => ({
          id: idOf(date),
          family,
          kind: 'task',
          params: { region: 'emea-north-and-baltics', date },
          status: 'pending',
          outputs: [],
        })),
        {
          id: root,
          family: 'CustomerSegmentsWeeklyReport',
          kind: 'task',
          params: { week: '2026-W45' },
          status: 'pending',
          outputs: [],
        },
      ],
      edges: dates.map((date) => ({ from: root, to: idOf(date) })),
    },
  ];
  for (const date of dates) {
    events.push({ ...stamp(), type: 'task-running', taskId: idOf(date), attempt: 1 });
    events.push({ ...stamp(), type: 'task-done', taskId: idOf(date), attempt: 1, durationMs: 10 });
  }
  return events as RunEvent[];
}

async function playRun(events: RunEvent[], size = narrow): Promise<Page> {
  const page = await browser.open('run', 'manual', size);
  const runId = events[0]!.runId;
  await sendToView(page, { type: 'run-reset', runId, live: true }, { type: 'run-events', runId, events });
  await waitForLayouts(page, 1);
  await waitForDrawnSeq(page, events.at(-1)!.seq);
  return page;
}

test(
  'run nodes and timeline rows of one family show the parameter that differs; full text on hover',
  { skip },
  async () => {
    const events = backfillRun(3);
    const page = await playRun(events);
    await page.screenshot({ path: path.join(shots, 'readable-run-instances-500.png') });
    const lines = await page.locator('.run-node .run-params').evaluateAll((elements) =>
      elements.map((e) => {
        const line = e as unknown as {
          textContent: string;
          title: string;
          scrollWidth: number;
          clientWidth: number;
        };
        return { text: line.textContent, title: line.title };
      }),
    );
    const clean = lines.filter((l) => l.text.startsWith('date='));
    assert.equal(clean.length, 3, JSON.stringify(lines));
    assert.equal(new Set(clean.map((l) => l.text.slice(0, 'date=2026-11-01'.length))).size, 3);
    assert.ok(clean.every((l) => l.title.includes('region=emea-north-and-baltics')));
    assertAllReadable(await nodesSeen(page), 'backfill run');

    // The timeline: one row per date, each naming its date; the family shrinks before the date does.
    await page.click('#tab-timeline');
    // The timeline is drawn on the next animation frame after the click: wait for its rows.
    await page.locator('.gantt-row').nth(2).waitFor();
    const rows = await page.locator('.gantt-row .gantt-label').evaluateAll((elements) =>
      elements.map((e) => {
        const params = (
          e as unknown as {
            querySelector(
              s: string,
            ): { textContent: string; scrollWidth: number; clientWidth: number } | null;
          }
        ).querySelector('.gantt-params');
        return {
          params: params?.textContent ?? '',
          cut: params ? params.scrollWidth > params.clientWidth + 1 : false,
        };
      }),
    );
    assert.deepEqual(
      rows.map((r) => r.params),
      ['date=2026-11-01', 'date=2026-11-02', 'date=2026-11-03'],
    );
    assert.ok(
      rows.every((r) => !r.cut),
      'the differing parameter is shown whole',
    );
    await page.screenshot({ path: path.join(shots, 'readable-run-timeline-500.png') });
    await page.close();
  },
);

/** How many nodes are wholly inside the canvas. */
async function whollyInView(page: Page): Promise<number> {
  return (await nodesSeen(page)).filter((n) => n.inside).length;
}

test(
  'a backfill of 1,000 dates into one report gets its layout, as a family node that expands; Show all shows all',
  { skip },
  async () => {
    const events = backfillRun(1000);
    const started = Date.now();
    const page = await playRun(events, { width: 900, height: 700 });
    const first = Date.now() - started;
    const group = page.locator('.family-node[data-family="CleanOrders"]');
    assert.equal(await group.getAttribute('data-group'), '1000');
    assert.match(await group.innerText(), /×1000 instances[\s\S]*1000 done/);
    assert.equal(await whollyInView(page), 2);
    await group.click();
    await waitForLayouts(page, 2);
    const total = Date.now() - started;
    assert.equal(await page.locator('.run-node').count(), 1001);
    assert.equal(await page.locator('.dag-surface').getAttribute('data-layout-pending'), 'false');
    const showAll = page.locator('#show-all');
    assert.equal(await showAll.innerText(), 'Show all 1001');
    await showAll.click();
    assert.equal(await whollyInView(page), 1001, 'Show all 1001 shows all 1001');
    await page.screenshot({ path: path.join(shots, 'layout-fan-in-1000-show-all.png') });
    console.log(`fan-in 1,000: family view laid out after ${first} ms, every instance after ${total} ms`);
    await page.close();
  },
);

test('adding a task keeps the rest of the picture where it was', { skip }, async () => {
  const graph = thirtyFamilies();
  const page = await openGraph(graph);
  const positions = async () =>
    Object.fromEntries(
      await page.locator('.dag-node').evaluateAll((elements) =>
        elements.map((e) => {
          const r = (
            e as unknown as { getBoundingClientRect(): { x: number; y: number } }
          ).getBoundingClientRect();
          return [
            (e as unknown as { dataset: Record<string, string> }).dataset.taskId,
            { x: r.x, y: r.y },
          ] as const;
        }),
      ),
    );
  const before = await positions();
  const extra = { ...graph.nodes[5]!, family: 'ReturnsFeed', id: `${graph.nodes[5]!.uri}#ReturnsFeed` };
  const grown: PipelineGraph = {
    ...graph,
    version: 2,
    nodes: [...graph.nodes, extra],
    edges: [...graph.edges, { ...graph.edges[0]!, from: extra.id, to: graph.nodes[4]!.id }],
  };
  await sendToView(page, { type: 'graph', graph: grown, depth: -1 });
  await waitForLayouts(page, 2);
  const after = await positions();
  // The view may pan to show the new task with its neighbours (graph/main.ts): moves are read
  // relative to that pan, which itself stays small.
  const shifts = Object.keys(before).map((id) => ({
    x: after[id]!.x - before[id]!.x,
    y: after[id]!.y - before[id]!.y,
  }));
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const pan = { x: median(shifts.map((s) => s.x)), y: median(shifts.map((s) => s.y)) };
  assert.ok(Math.hypot(pan.x, pan.y) < 200, `the view panned ${Math.hypot(pan.x, pan.y)} px`);
  const moved = shifts.map((s) => Math.hypot(s.x - pan.x, s.y - pan.y));
  // Only the layer the new task joins makes room for it (4 nodes there); nothing jumps across the view.
  const far = moved.filter((d) => d > 40).length;
  assert.ok(far <= 4, `${far} of ${moved.length} unchanged nodes moved more than 40 px`);
  assert.ok(Math.max(...moved) < 200, `a node moved ${Math.max(...moved)} px`);
  await page.close();
});
