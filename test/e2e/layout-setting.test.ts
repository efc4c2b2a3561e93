// The setting plumb.graph.layout in a real VS Code (issue 15): an open graph drawn by our own layout
// is laid out again by elk (its worker started, no "Laying out…" left) when the setting changes to
// "elk", and by ours again when it goes back to the default; a graph opened under "elk" gets elk's
// layout first. The extension host reads the setting for a new view and follows its changes
// (client/src/layoutSetting.ts, graphPanel.ts, runPanel.ts: the Run view follows it too), which only
// this suite sees. The setting is changed as a person edits the workspace's .vscode/settings.json.
// One code-server and one Chromium; screenshots in test-output/e2e/layout-setting/. Needs
// `npm run e2e:setup`.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Frame } from 'playwright-core';
import { launchChromium } from '../../scripts/e2e/chromium.mjs';
import { type CodeServer, startCodeServer } from '../../scripts/e2e/code-server.mjs';
import { fixtureWorkspaces, outputDir, runDir, vsixPath } from './harness/paths';
import { lineOf, taskFamilies } from './harness/pipelineSource';
import {
  allowTsxFunctions,
  assertAllReadable,
  assertWebviewOnScreen,
  eventually,
  inView,
  measure,
} from './harness/seen';
import { visibleText } from './harness/visibleText';
import { Workbench } from './harness/workbench';
import { ensureWorkspaceSettings, setWorkspaceSetting } from './harness/workspaceSettings';
import { freshCopy, removeFinishedRuns } from './harness/workspaces';

const log = (message: string) => console.log(`e2e layout-setting: ${message}`);
const SHOTS = 'layout-setting';
const SETTING = 'plumb.graph.layout';
const TITLE_PX = 11;
/** elk's worker loads its 1.5 MB in the webview first: seconds, 15 s seen on a loaded machine. */
const ELK_LAYOUT_MS = 90_000;

describe('plumb.graph.layout in a real VS Code', { timeout: 10 * 60_000 }, () => {
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let workbench: Workbench;
  let folder: string;
  /** What the webviews wrote to their consoles (elk failing says so there, our layout drawing instead). */
  const consoleLines: string[] = [];

  before(async () => {
    assert.ok(
      existsSync(vsixPath),
      `${vsixPath} is missing: run \`npm run e2e:setup\` (it packages the extension)`,
    );
    rmSync(path.join(outputDir, SHOTS), { recursive: true, force: true });
    folder = freshCopy(path.join(fixtureWorkspaces, 'regional-orders'), 'layout-setting');
    ensureWorkspaceSettings(folder);
    removeFinishedRuns(path.dirname(runDir));
    const serverDir = path.join(runDir, 'layout-setting-code-server');
    rmSync(serverDir, { recursive: true, force: true });
    mkdirSync(serverDir, { recursive: true });
    server = await startCodeServer({ vsix: vsixPath, dir: serverDir, log });
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.setDefaultNavigationTimeout(120_000);
    page.on('console', (message) => consoleLines.push(message.text()));
    await allowTsxFunctions(page);
    workbench = new Workbench(page, server.folderUrl);
    await workbench.openFolder(folder);
  });

  after(async () => {
    try {
      await Promise.race([browser?.close(), new Promise((resolve) => setTimeout(resolve, 15_000).unref())]);
    } finally {
      await server?.stop();
    }
  });

  /** The canvas's attributes a test reads: which engine drew the picture, how many layouts and workers. */
  async function canvasState(graph: Frame) {
    const surface = graph.locator('.dag-surface');
    return {
      engine: await surface.getAttribute('data-engine'),
      layouts: Number((await surface.getAttribute('data-layouts')) ?? 0),
      workers: Number((await surface.getAttribute('data-layout-workers')) ?? 0),
      pending: await graph.locator('#layout-pending').isVisible(),
    };
  }

  /** Every node wholly in view, its title readable, at least TITLE_PX and drawn whole. */
  async function assertGraphReadable(what: string, graph: Frame, families: string[]): Promise<void> {
    await assertWebviewOnScreen(graph);
    const seen = await assertAllReadable(what, graph.locator('.dag-node'), '.node-family', families.length);
    assert.deepEqual(
      seen.filter((s) => !inView(s) || s.textPx < TITLE_PX).map((s) => `${s.text} ${s.textPx.toFixed(1)} px`),
      [],
      `${what}: nodes not wholly in view or titles under ${TITLE_PX} px`,
    );
    for (const family of families) {
      const title = graph.locator(`.dag-node[data-family="${family}"] .node-family`);
      assert.equal(await visibleText(title), family, `${what}: ${family}'s title is drawn whole`);
    }
  }

  /** Every node drawn readably, those wholly in view with titles of TITLE_PX or more; how many are in view. */
  async function readableInView(what: string, graph: Frame): Promise<number> {
    await assertWebviewOnScreen(graph);
    const seen = (await assertAllReadable(what, graph.locator('.dag-node'), '.node-family', 1)).filter(
      inView,
    );
    assert.deepEqual(
      seen.filter((s) => s.textPx < TITLE_PX).map((s) => `${s.text} ${s.textPx.toFixed(1)} px`),
      [],
      `${what}: titles in view under ${TITLE_PX} px`,
    );
    return seen.length;
  }

  /** Writes grid.ts: `layers` layers of `width` tasks, each requiring two of the layer below; returns its families. */
  function writeGridPipeline(layers: number, width: number): string[] {
    const name = (layer: number, t: number) => `Grid_L${layer}_T${t}`;
    const lines = ["import { ExternalTask, LocalTarget, Task, param } from 'plumb-pipelines';"];
    for (let layer = 0; layer < layers; layer++)
      for (let t = 0; t < width; t++) {
        const needs = [...new Set([t, (t * 3 + 1) % width])].map(
          (j) => `new ${name(layer - 1, j)}({ date: this.date })`,
        );
        lines.push(
          `export class ${name(layer, t)} extends ${layer === 0 ? 'ExternalTask' : 'Task'}.with({ date: param.date() }) {`,
          ...(layer === 0 ? [] : [`  requires() {`, `    return [${needs.join(', ')}] as const;`, `  }`]),
          `  output() {`,
          `    return new LocalTarget(\`data/${name(layer, t)}_\${this.date}.tsv\`);`,
          `  }`,
          `}`,
        );
      }
    writeFileSync(path.join(folder, 'grid.ts'), lines.join('\n') + '\n');
    return Array.from({ length: layers * width }, (_, i) => name(Math.floor(i / width), i % width));
  }

  /** Where each node is drawn in the webview now (its top-left corner). */
  async function positions(graph: Frame, families: string[]): Promise<Map<string, { x: number; y: number }>> {
    const at = new Map<string, { x: number; y: number }>();
    for (const family of families) {
      const { box } = await measure(graph.locator(`.dag-node[data-family="${family}"]`));
      at.set(family, { x: box.x, y: box.y });
    }
    return at;
  }

  it(
    'an open graph is laid out again by elk when the setting becomes "elk", and by ours when it goes back',
    { timeout: 6 * 60_000 },
    async () => {
      const shot = (name: string) => workbench.screenshot(`${SHOTS}/${name}`);
      try {
        await workbench.openFile('pipeline.ts');
        await workbench.lensTextsMatching([/^\W*Run\b/i], 150_000);
        await workbench.runCommand('Plumb: Show Pipeline Graph');
        const families = taskFamilies(folder);
        const graph = await workbench.webview('.dag-node:not(.run-node)');
        for (const family of families)
          await graph.locator(`.dag-node[data-family="${family}"]`).waitFor({ timeout: 60_000 });

        // The default: our own layout, at once, with no elk worker.
        const first = await eventually(async () => {
          const state = await canvasState(graph);
          assert.equal(state.engine, 'own', 'the default draws with our own layout');
          return state;
        }, 30_000);
        assert.equal(first.workers, 0, 'no elk worker under the default');
        assert.equal(first.pending, false, '“Laying out…” under the default');
        await assertGraphReadable('ours, on open', graph, families);
        log(`on open: ${JSON.stringify(first)}: ${await shot('1-plumb-on-open')}`);

        // "elk": the open view lays its graph out again, with elk in its worker.
        const started = Date.now();
        setWorkspaceSetting(folder, SETTING, 'elk');
        const byElk = await eventually(async () => {
          const state = await canvasState(graph);
          assert.ok(
            state.engine === 'elk' && state.layouts > first.layouts && !state.pending,
            `elk's layout, final: ${JSON.stringify(state)}`,
          );
          return state;
        }, ELK_LAYOUT_MS);
        log(`elk's layout ${Date.now() - started} ms after the setting changed: ${JSON.stringify(byElk)}`);
        assert.equal(byElk.workers, 1, 'one elk worker started');
        // A worker that failed answers with our layout instead, saying so in the console.
        assert.deepEqual(
          consoleLines.filter((l) => /elk could not lay out/.test(l)),
          [],
          'elk failed and our layout drew instead',
        );
        await assertGraphReadable("elk's, after the change", graph, families);
        log(`elk: ${await shot('2-elk-after-change')}`);

        // Back to the default (the key removed, as "Reset Setting" does): ours again.
        setWorkspaceSetting(folder, SETTING, undefined);
        const back = await eventually(async () => {
          const state = await canvasState(graph);
          assert.ok(
            state.engine === 'own' && state.layouts > byElk.layouts && !state.pending,
            `our layout again: ${JSON.stringify(state)}`,
          );
          return state;
        }, 30_000);
        log(`back to ours: ${JSON.stringify(back)}`);
        await assertGraphReadable('ours again', graph, families);
        log(`ours again: ${await shot('3-plumb-again')}`);
      } catch (error) {
        await shot('failed').catch(() => undefined);
        throw error;
      }
    },
  );

  it(
    "a 15-task graph: elk's own picture replaces ours on screen, readable, and ours comes back",
    { timeout: 6 * 60_000 },
    async () => {
      const shot = (name: string) => workbench.screenshot(`${SHOTS}/${name}`);
      setWorkspaceSetting(folder, SETTING, undefined);
      const families = [...taskFamilies(folder), ...writeGridPipeline(3, 4)];
      try {
        await workbench.page
          .locator('.statusbar-item', { hasText: `Plumb: ${families.length} tasks` })
          .waitFor({ timeout: 120_000 });
        // The graph alone in the editor area, as a person looks at a bigger graph.
        await workbench.runCommand('View: Close All Editors');
        await workbench.runCommand('Plumb: Show Pipeline Graph');
        const graph = await workbench.webview('.dag-node:not(.run-node)');
        for (const family of families)
          await graph.locator(`.dag-node[data-family="${family}"]`).waitFor({ timeout: 60_000 });
        const first = await eventually(async () => {
          const state = await canvasState(graph);
          assert.equal(state.engine, 'own', 'the default draws with our own layout');
          assert.equal(state.pending, false);
          return state;
        }, 30_000);
        const ours = await positions(graph, families);
        const oursSeen = await readableInView('ours, on open', graph);
        log(
          `${families.length} tasks, ours: ${JSON.stringify(first)}, ${oursSeen} in view: ${await shot('4-grid-plumb')}`,
        );

        setWorkspaceSetting(folder, SETTING, 'elk');
        const byElk = await eventually(async () => {
          const state = await canvasState(graph);
          assert.ok(
            state.engine === 'elk' && state.layouts > first.layouts && !state.pending,
            `elk's layout, final: ${JSON.stringify(state)}`,
          );
          return state;
        }, ELK_LAYOUT_MS);
        assert.deepEqual(
          consoleLines.filter((l) => /elk could not lay out/.test(l)),
          [],
          'elk failed and our layout drew instead',
        );
        // elk draws this graph otherwise than ours: the picture on screen is elk's.
        const elks = await positions(graph, families);
        const moved = families.filter((f) => {
          const [a, b] = [ours.get(f)!, elks.get(f)!];
          return Math.hypot(a.x - b.x, a.y - b.y) > 3;
        });
        log(`elk: ${JSON.stringify(byElk)}, ${moved.length} of ${families.length} nodes moved`);
        assert.ok(moved.length > 0, "no node moved: the picture on screen is not elk's");
        const elkSeen = await readableInView("elk's, after the change", graph);
        log(`elk: ${elkSeen} in view: ${await shot('5-grid-elk')}`);

        // A graph opened while the setting says "elk": the host gives the new view the setting before
        // its first graph, so that graph's first final layout is elk's.
        await workbench.runCommand('View: Close All Editors');
        await workbench.runCommand('Plumb: Show Pipeline Graph');
        const reopened = await workbench.webview('.dag-node:not(.run-node)');
        const opened = await eventually(async () => {
          const state = await canvasState(reopened);
          assert.ok(
            state.engine === 'elk' && state.layouts === 1 && !state.pending,
            `a graph opened under "elk" is laid out by elk: ${JSON.stringify(state)}`,
          );
          return state;
        }, ELK_LAYOUT_MS);
        const reopenedSeen = await readableInView('elk, opened under "elk"', reopened);
        log(
          `opened under elk: ${JSON.stringify(opened)}, ${reopenedSeen} in view: ${await shot('6-grid-elk-opened')}`,
        );

        setWorkspaceSetting(folder, SETTING, undefined);
        const back = await eventually(async () => {
          const state = await canvasState(reopened);
          assert.ok(
            state.engine === 'own' && state.layouts > opened.layouts && !state.pending,
            `our layout again: ${JSON.stringify(state)}`,
          );
          return state;
        }, 30_000);
        const again = await readableInView('ours again', reopened);
        log(`ours again: ${JSON.stringify(back)}, ${again} in view: ${await shot('7-grid-plumb-again')}`);
      } catch (error) {
        await shot('grid-failed').catch(() => undefined);
        throw error;
      } finally {
        rmSync(path.join(folder, 'grid.ts'), { force: true });
      }
    },
  );

  it(
    "the Run view follows the setting too: elk's layout of a run on screen, then ours again",
    { timeout: 6 * 60_000 },
    async () => {
      const shot = (name: string) => workbench.screenshot(`${SHOTS}/${name}`);
      setWorkspaceSetting(folder, SETTING, undefined);
      try {
        await workbench.runCommand('View: Close All Editors');
        await workbench.openFile('pipeline.ts');
        await workbench.clickCodeLens(
          lineOf(folder, 'pipeline.ts', /class\s+Weekly_Summary\b/),
          /^\W*Run\b(?!.*only)/i,
        );
        const run = await workbench.webview('.run-header');
        await run.locator('#summary:not([hidden]) .summary-line').waitFor({ timeout: 90_000 });
        const nodes = run.locator('.run-node');
        const first = await eventually(async () => {
          const state = await canvasState(run);
          assert.ok(
            state.engine === 'own' && !state.pending,
            `our layout of the run: ${JSON.stringify(state)}`,
          );
          return state;
        }, 30_000);
        const count = await nodes.count();
        log(`run view, ours: ${JSON.stringify(first)}, ${count} nodes: ${await shot('8-run-plumb')}`);

        setWorkspaceSetting(folder, SETTING, 'elk');
        const byElk = await eventually(async () => {
          const state = await canvasState(run);
          assert.ok(
            state.engine === 'elk' && state.layouts > first.layouts && !state.pending,
            `elk's layout of the run, final: ${JSON.stringify(state)}`,
          );
          return state;
        }, ELK_LAYOUT_MS);
        const seen = await assertAllReadable("the run, elk's", nodes, '.node-family', count);
        assert.deepEqual(
          seen.filter((s) => s.textPx < TITLE_PX).map((s) => `${s.text} ${s.textPx.toFixed(1)} px`),
          [],
          `the run, elk's: titles under ${TITLE_PX} px`,
        );
        log(`run view, elk: ${JSON.stringify(byElk)}: ${await shot('9-run-elk')}`);

        setWorkspaceSetting(folder, SETTING, undefined);
        const back = await eventually(async () => {
          const state = await canvasState(run);
          assert.ok(
            state.engine === 'own' && state.layouts > byElk.layouts && !state.pending,
            `our layout of the run again: ${JSON.stringify(state)}`,
          );
          return state;
        }, 30_000);
        await assertAllReadable('the run, ours again', nodes, '.node-family', count);
        log(`run view, ours again: ${JSON.stringify(back)}: ${await shot('10-run-plumb-again')}`);
      } catch (error) {
        await shot('run-failed').catch(() => undefined);
        throw error;
      }
    },
  );
});
