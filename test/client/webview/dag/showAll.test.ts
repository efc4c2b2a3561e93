// "Show all N" on a graph too wide to show readably (a fan-in of 1,000 leaves, as a backfill range
// draws): pressed, it shows all N, or says how many it shows instead, never leaves a silent "Show all".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PipelineGraph } from '../../../../server/src/protocol';
import { readGraph } from '../fixtureFiles';
import { browserMissing, sendToView, useViewBrowser, waitForLayouts } from '../viewPage';

const skip = browserMissing;
const browser = useViewBrowser();

/** `leaves` tasks all required by one root, built from the music graph's nodes and edges. */
function fanIn(leaves: number): PipelineGraph {
  const template = readGraph('music-graph.json');
  const base = template.nodes[2]!;
  const ids = ['Root', ...Array.from({ length: leaves }, (_, i) => `Leaf_${i}`)];
  return {
    ...template,
    nodes: ids.map((id) => ({ ...base, id, family: id, inCycle: false })),
    edges: ids.slice(1).map((id) => ({ ...template.edges[0]!, from: 'Root', to: id, inCycle: false })),
    cycles: [],
  };
}

test(
  'Show all 1001 on a 1,000-leaf fan-in: every node in view, or a statement of how many',
  { skip },
  async () => {
    const page = await browser.open('graph', 'manual', { width: 1000, height: 700 });
    await sendToView(page, { type: 'graph', graph: fanIn(1000), depth: -1 });
    page.setDefaultTimeout(120_000);
    await waitForLayouts(page, 1);
    const button = page.locator('#show-all');
    assert.equal(await button.innerText(), 'Show all 1001');
    await button.click();

    const surface = (await page.locator('.dag-surface').boundingBox())!;
    const inView = await page.locator('.dag-node').evaluateAll(
      (nodes, area) =>
        nodes.filter((node) => {
          const r = (node as unknown as { getBoundingClientRect(): DOMRectLike }).getBoundingClientRect();
          return (
            r.width > 0 &&
            r.x >= area.x - 1 &&
            r.y >= area.y - 1 &&
            r.x + r.width <= area.x + area.width + 1 &&
            r.y + r.height <= area.y + area.height + 1
          );
        }).length,
      surface,
    );
    const note = page.locator('#show-all-note');
    if (inView === 1001) {
      assert.equal(await button.isVisible(), false, 'nothing left to show');
      assert.equal(await note.isVisible(), false);
    } else {
      // What it shows instead, in words, with the count the person can check.
      assert.equal(await note.isVisible(), true, `${inView} of 1001 in view and nothing says so`);
      assert.match(await note.innerText(), new RegExp(`Showing ${inView} of 1001`));
    }
  },
);

interface DOMRectLike {
  x: number;
  y: number;
  width: number;
  height: number;
}
