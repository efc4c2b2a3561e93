// Typing above a task moves its source ranges on every keystroke: the graph view keeps its drawing
// (the very same node elements, no re-measure), and a click opens the newest range.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PipelineGraph } from '../../../../server/src/protocol';
import { readGraph } from '../fixtureFiles';
import { browserMissing, postedByView, sendToView, useViewBrowser, waitForLayouts } from '../viewPage';

const skip = browserMissing;
const browser = useViewBrowser();

/** The graph after `lines` new lines typed at the top of every file. */
function shifted(graph: PipelineGraph, lines: number): PipelineGraph {
  const move = (r: {
    start: { line: number; character: number };
    end: { line: number; character: number };
  }) => ({
    start: { ...r.start, line: r.start.line + lines },
    end: { ...r.end, line: r.end.line + lines },
  });
  return {
    ...graph,
    version: graph.version + lines,
    nodes: graph.nodes.map((n) => ({ ...n, nameRange: move(n.nameRange), range: move(n.range) })),
  };
}

test(
  'a graph whose only change is its source ranges keeps its drawing; a changed task alone is redrawn',
  { skip },
  async () => {
    const graph = readGraph('music-graph.json');
    const page = await browser.open('graph', 'manual', { width: 1400, height: 900 });
    await sendToView(page, { type: 'graph', graph, depth: -1 });
    await waitForLayouts(page, 1);
    const first = graph.nodes[0]!;
    const node = page.locator(`[data-task-id="${first.id}"]`);
    // A mark on the element: a redrawn node would be a new element without it.
    await node.evaluate((e) => ((e as unknown as { dataset: Record<string, string> }).dataset.mark = 'kept'));

    await sendToView(
      page,
      { type: 'graph', graph: shifted(graph, 3), depth: -1 },
      { type: 'highlight', nodeId: null },
    );
    await page.waitForTimeout(300);
    assert.equal(await node.getAttribute('data-mark'), 'kept', 'the node element was not re-created');
    await node.click();
    const open = (await postedByView(page)).filter((m) => m.type === 'open').at(-1);
    assert.deepEqual(open, { type: 'open', uri: first.uri, range: shifted(graph, 3).nodes[0]!.nameRange });

    // A change that shows (here a renamed task) redraws that task only: the others keep their elements.
    const other = page.locator(`[data-task-id="${graph.nodes[1]!.id}"]`);
    await other.evaluate(
      (e) => ((e as unknown as { dataset: Record<string, string> }).dataset.mark = 'kept'),
    );
    const changed = shifted(graph, 3);
    changed.nodes = changed.nodes.map((n, i) => (i === 0 ? { ...n, family: `${n.family}Renamed` } : n));
    await sendToView(page, { type: 'graph', graph: changed, depth: -1 });
    await page.locator(`[data-family="${first.family}Renamed"]`).waitFor();
    assert.equal(await other.getAttribute('data-mark'), 'kept', 'an unchanged task keeps its element');
    assert.equal(
      await page.locator(`[data-family="${first.family}Renamed"]`).getAttribute('data-mark'),
      null,
    );
    await page.close();
  },
);

test(
  'the host’s small update for moved code (its new name ranges) keeps the drawing; a click opens the new line',
  { skip },
  async () => {
    const graph = readGraph('music-graph.json');
    const page = await browser.open('graph', 'manual', { width: 1400, height: 900 });
    await sendToView(page, { type: 'graph', graph, depth: -1 });
    await waitForLayouts(page, 1);
    const [first, second] = [graph.nodes[0]!, graph.nodes[1]!];
    const node = page.locator(`[data-task-id="${first.id}"]`);
    await node.evaluate((e) => ((e as unknown as { dataset: Record<string, string> }).dataset.mark = 'kept'));
    const moved = shifted(graph, 5).nodes[0]!.nameRange;
    await sendToView(page, { type: 'ranges', nameRanges: { [first.id]: moved } });
    await node.click();
    const opens = () => postedByView(page).then((all) => all.filter((m) => m.type === 'open'));
    assert.deepEqual((await opens()).at(-1), { type: 'open', uri: first.uri, range: moved });
    assert.equal(await node.getAttribute('data-mark'), 'kept', 'the node element was not re-created');
    assert.equal(await page.locator('.dag-surface').getAttribute('data-layouts'), '1');
    // A node the update does not name keeps its range.
    await page.locator(`[data-task-id="${second.id}"]`).click();
    assert.deepEqual((await opens()).at(-1), { type: 'open', uri: second.uri, range: second.nameRange });
    await page.close();
  },
);
