// The graph view in headless Chromium: the real bundle and layout worker, driven by host messages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import type { GraphNodeInfo, PipelineGraph } from '../../../../server/src/protocol';
import { readGraph } from '../fixtureFiles';
import {
  browserMissing,
  holdFontLoading,
  type InPage,
  layoutCount,
  pageErrors,
  postedByView,
  sendToView,
  useViewBrowser,
  waitForLayouts,
  waitForReady,
} from '../viewPage';

const skip = browserMissing;
const graph = readGraph('music-graph.json');
const idOf = (family: string) => graph.nodes.find((n) => n.family === family)!.id;
const browser = useViewBrowser();

async function screenBox(page: Page, id: string) {
  const box = await page.locator(`[data-task-id="${id}"]`).boundingBox();
  assert.ok(box, `${id} is on the page`);
  return box;
}

/** A panel big enough for full cards (parameters, outputs, buttons): smaller ones get compact cards. */
const roomy = { width: 1800, height: 1000 };

async function openGraph(g: PipelineGraph = graph, size = roomy): Promise<Page> {
  const page = await browser.open('graph', 'manual', size);
  assert.deepEqual(await postedByView(page), [{ type: 'ready' }]);
  await sendToView(page, { type: 'graph', graph: g, depth: -1 });
  await waitForLayouts(page, 1);
  return page;
}

test(
  'a full card’s parameter lines have their whole text on hover (a long value is cut at the card’s edge)',
  { skip },
  async () => {
    const page = await openGraph();
    const lines = await page.locator('[data-family="Top10Artists"] .node-param').evaluateAll((ls) =>
      ls.map((l) => ({
        text: (l as unknown as { textContent: string }).textContent,
        title: (l as unknown as { title: string }).title,
      })),
    );
    assert.equal(lines.length, 3);
    for (const line of lines) {
      const [name, value] = line.text.split(' = ');
      assert.ok(line.title.startsWith(`${name!.split(':')[0]}:`), line.title);
      if (value !== undefined) assert.ok(line.title.endsWith(` = ${value}`), line.title);
    }
    assert.equal(lines[0]!.title, 'date_interval: dateInterval = "2026-11-01-2026-11-07"');
    await page.close();
  },
);

test(
  'draws every task with its family, marks cycles and missing externals, opens a class on click',
  { skip },
  async () => {
    const page = await openGraph();
    assert.equal(await page.locator('.task-node').count(), graph.nodes.length);
    assert.equal(await page.locator('.dag-edge').count(), graph.edges.length);
    assert.equal(await page.locator('.dag-edge.cycle').count(), 2);
    assert.equal(await page.locator('[data-family="RawLogs"].missing-external .codicon-warning').count(), 1);
    assert.match(
      await page.locator('[data-family="Top10Artists"]').innerText(),
      /data\/top_artists_\$\{date_interval\}\.tsv/,
    );

    await page.click('[data-family="Top10Artists"] .node-family');
    const top = graph.nodes.find((n) => n.family === 'Top10Artists')!;
    assert.deepEqual((await postedByView(page)).at(-1), { type: 'open', uri: top.uri, range: top.nameRange });
    assert.equal(await page.locator('[data-family="Top10Artists"].selected').count(), 1);
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  },
);

test(
  'follows the code: a new graph keeps the picture (at most a pan to show the new task); an unchanged shape skips layout',
  { skip },
  async () => {
    const page = await openGraph();
    const selected = idOf('ArtistToplistToDatabase');
    await page.click(`[data-task-id="${selected}"] .node-family`);
    // The user panned away from the fitted view.
    // (From the panel's bottom-left corner: a drag that starts on a node does not pan.)
    await page.mouse.move(8, roomy.height - 8);
    await page.mouse.down();
    await page.mouse.move(8 - 70, roomy.height - 38, { steps: 4 });
    await page.mouse.up();
    const before = await screenBox(page, selected);
    const beforeOther = await screenBox(page, idOf('Streams'));

    // A new upstream task appears in front of the pipeline: everything after it moves in the layout.
    const extra: GraphNodeInfo = {
      ...graph.nodes.find((n) => n.family === 'Streams')!,
      family: 'Ingest',
      id: `${graph.nodes[0]!.uri}#Ingest`,
    };
    const grown: PipelineGraph = {
      ...graph,
      version: graph.version + 1,
      nodes: [...graph.nodes, extra],
      edges: [...graph.edges, { ...graph.edges[0]!, from: idOf('Streams'), to: extra.id }],
    };
    await sendToView(page, { type: 'graph', graph: grown, depth: -1 });
    await waitForLayouts(page, 2);
    const afterGrow = await screenBox(page, selected);
    const afterOther = await screenBox(page, idOf('Streams'));
    // The picture is kept: the known tasks moved together (a pan at most, no re-layout jump) …
    const pan = { x: afterGrow.x - before.x, y: afterGrow.y - before.y };
    assert.ok(
      Math.abs(afterOther.x - beforeOther.x - pan.x) <= 1 &&
        Math.abs(afterOther.y - beforeOther.y - pan.y) <= 1,
      `selected ${JSON.stringify(before)} → ${JSON.stringify(afterGrow)}, Streams ${JSON.stringify(beforeOther)} → ${JSON.stringify(afterOther)}`,
    );
    // … and the new task, which the person just wrote, is in view: the pan was only what it needed.
    const added = await screenBox(page, extra.id);
    assert.ok(
      added.x >= 0 &&
        added.y >= 0 &&
        added.x + added.width <= roomy.width &&
        added.y + added.height <= roomy.height,
      `the new task is in view: ${JSON.stringify(added)}`,
    );
    assert.ok(Math.hypot(pan.x, pan.y) < roomy.width / 2, `a small pan, not a jump: ${JSON.stringify(pan)}`);

    // Same shape, new version (e.g. a comment was typed): no new layout, nothing moves.
    await sendToView(page, { type: 'graph', graph: { ...grown, version: grown.version + 1 }, depth: -1 });
    await page.waitForFunction(
      () =>
        (globalThis as unknown as InPage).document.querySelectorAll('.task-node:not(.measuring)').length ===
        10,
    );
    assert.equal(await layoutCount(page), 2);
    assert.deepEqual(await screenBox(page, selected), afterGrow);
    await page.close();
  },
);

test('drops a layout that a newer graph superseded', { skip }, async () => {
  const page = await openGraph();
  const small: PipelineGraph = {
    ...graph,
    version: 10,
    nodes: graph.nodes.filter((n) => ['Streams', 'AggregateArtists'].includes(n.family)),
    edges: graph.edges.filter((e) => e.from === idOf('AggregateArtists')),
  };
  // The small graph comes while the first one's layout is on its way: it waits for a font still loading
  // (our layout itself is made at once, so a font or a measuring is what a newer graph overtakes).
  const first = {
    ...graph,
    version: 9,
    nodes: Array.from({ length: 70 }, (_, i) => ({ ...graph.nodes[0]!, id: `n${i}`, family: `N${i}` })),
    edges: [],
  };
  const releaseFont = await holdFontLoading(page);
  await sendToView(page, { type: 'graph', graph: first, depth: -1 });
  await page.locator('[data-task-id="n0"]').waitFor({ state: 'attached' });
  await sendToView(page, { type: 'graph', graph: small, depth: -1 });
  await releaseFont();
  await waitForLayouts(page, 2);
  await page.waitForTimeout(200);
  assert.equal(await layoutCount(page), 2, 'only the newest of the two graphs was laid out');
  assert.deepEqual(
    (
      await page
        .locator('.task-node')
        .evaluateAll((els) =>
          els.map((e) => (e as unknown as { dataset: Record<string, string> }).dataset.family),
        )
    ).sort(),
    ['AggregateArtists', 'Streams'],
  );
  assert.equal(await page.locator('.task-node.measuring').count(), 0);
  await page.close();
});

test(
  'search finds a task by name and centres it; highlight and run status mark nodes',
  { skip },
  async () => {
    const page = await openGraph();
    await page.fill('#search', 'dedupe');
    await page.press('#search', 'Enter');
    await page.waitForTimeout(100);
    const box = await screenBox(page, idOf('DedupeSessions'));
    const surface = (await page.locator('.dag-surface').boundingBox())!;
    assert.ok(Math.abs(box.x + box.width / 2 - (surface.x + surface.width / 2)) <= 2);
    assert.ok(Math.abs(box.y + box.height / 2 - (surface.y + surface.height / 2)) <= 2);
    assert.equal(await page.locator('#search-count').innerText(), '1 of 1');
    assert.equal(await page.locator('.task-node.match').count(), 1);

    await sendToView(page, { type: 'highlight', nodeId: idOf('Streams') });
    await sendToView(page, {
      type: 'status',
      statuses: { AggregateArtists: 'running', Streams: 'complete' },
    });
    assert.equal(await page.locator('.task-node.cursor').getAttribute('data-family'), 'Streams');
    assert.equal(
      await page.locator('[data-family="AggregateArtists"]').getAttribute('data-status'),
      'running',
    );
    assert.equal(await page.locator('[data-family="Top10Artists"]').getAttribute('data-status'), 'none');
    await page.close();
  },
);

test(
  'restores its viewport after the webview is reloaded (hidden and shown, or a restart)',
  { skip },
  async () => {
    const page = await openGraph();
    await page.click('#zoom-in');
    await page.click('#zoom-in');
    await page.waitForTimeout(300); // the view saves its viewport once panning/zooming pauses
    const transform = await page.locator('.dag-world').getAttribute('style');
    await page.reload();
    await waitForReady(page);
    await sendToView(page, { type: 'graph', graph, depth: -1 });
    await waitForLayouts(page, 1);
    assert.equal(await page.locator('.dag-world').getAttribute('style'), transform);
    await page.close();
  },
);

test('a view the user never moved is restored fitted to the panel it then has', { skip }, async () => {
  const page = await openGraph();
  await page.waitForTimeout(300);
  await page.setViewportSize({ width: 700, height: 500 });
  await page.reload();
  await waitForReady(page);
  await sendToView(page, { type: 'graph', graph, depth: -1 });
  await waitForLayouts(page, 1);
  assert.equal(await page.locator('.dag-surface').getAttribute('data-auto-fit'), 'true');
  await page.close();
});

test('a graph past 300 tasks draws names only and says so', { skip }, async () => {
  const nodes = Array.from({ length: 320 }, (_, i) => ({
    ...graph.nodes[2]!,
    family: `Step${i}`,
    id: `x#Step${i}`,
  }));
  const edges = nodes
    .slice(1)
    .map((n, i) => ({ ...graph.edges[0]!, from: n.id, to: nodes[i]!.id, inCycle: false }));
  const page = await openGraph({ ...graph, nodes, edges, cycles: [] });
  assert.match(await page.locator('#notice').innerText(), /320 tasks/);
  assert.equal(await page.locator('.task-node .node-params').count(), 0);
  await page.close();
});

test(
  'theme: cycle edges in the error colour, missing externals in the warning colour, codicons loaded',
  { skip },
  async () => {
    const page = await openGraph();
    const colours = await page.evaluate(() => {
      const g = globalThis as unknown as {
        document: { fonts: { check(font: string): boolean }; querySelector(s: string): unknown };
        getComputedStyle(e: unknown): { stroke: string; color: string; borderLeftColor: string };
      };
      // Each theme variable as the browser resolves it (no named helpers: tsx would name them).
      const [error, warning] = ['--vscode-errorForeground', '--vscode-editorWarning-foreground'].map(
        (variable) => {
          const doc = g.document as unknown as {
            createElement(t: string): { style: { color: string } };
            body: { append(e: unknown): void };
          };
          const span = doc.createElement('span');
          span.style.color = `var(${variable})`;
          doc.body.append(span);
          return g.getComputedStyle(span).color;
        },
      );
      const cycleEdge = g.document.querySelector('.dag-edge.cycle');
      const missing = g.document.querySelector('[data-family="RawLogs"]');
      return {
        error,
        warning,
        cycleStroke: g.getComputedStyle(cycleEdge).stroke,
        missingAccent: g.getComputedStyle(missing).borderLeftColor,
        codicons: g.document.fonts.check('16px codicon'),
      };
    });
    assert.equal(colours.cycleStroke, colours.error);
    assert.equal(colours.missingAccent, colours.warning);
    assert.equal(colours.codicons, true, 'the codicon font is loaded (font-src of the CSP)');
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  },
);

test('depth, workspace, focus and run controls post their messages', { skip }, async () => {
  const focus = graph.nodes.find((n) => n.family === 'Top10Artists')!;
  const page = await browser.open('graph', 'manual', roomy);
  await sendToView(page, { type: 'graph', graph: { ...graph, focus: focus.id }, depth: 2 });
  await waitForLayouts(page, 1);
  assert.match(await page.locator('#scope').innerText(), /Top10Artists ± 2/);
  await page.click('#depth-plus');
  await page.click('#depth-all');
  await page.click('#show-workspace');
  const node = page.locator(`[data-task-id="${focus.id}"]`);
  await node.hover();
  await node.locator('[title="Run this task only"]').click();
  await node.locator('[title="Show the neighbourhood of this task"]').click();
  const posted = (await postedByView(page)).slice(1);
  assert.deepEqual(posted, [
    { type: 'setDepth', depth: 3 },
    { type: 'setDepth', depth: -1 },
    { type: 'setFocus', nodeId: null },
    { type: 'run', uri: focus.uri, family: 'Top10Artists', mode: 'unit' },
    { type: 'setFocus', nodeId: focus.id },
  ]);
  await page.close();
});
