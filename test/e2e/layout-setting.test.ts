// The setting plumb.graph.layout in a real VS Code (issue 15): an open graph drawn by our own layout
// is laid out again by elk (its worker started, no "Laying out…" left) when the setting changes to
// "elk", and by ours again when it goes back to the default; the extension host reads the setting
// and follows its changes (client/src/layoutSetting.ts), which only this suite sees. The setting is
// changed as a person edits the workspace's .vscode/settings.json. One code-server and one Chromium;
// screenshots in test-output/e2e/layout-setting/. Needs `npm run e2e:setup`.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Frame } from 'playwright-core';
import { launchChromium } from '../../scripts/e2e/chromium.mjs';
import { type CodeServer, startCodeServer } from '../../scripts/e2e/code-server.mjs';
import { fixtureWorkspaces, outputDir, runDir, vsixPath } from './harness/paths';
import { taskFamilies } from './harness/pipelineSource';
import {
  allowTsxFunctions,
  assertAllReadable,
  assertWebviewOnScreen,
  eventually,
  inView,
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
});
