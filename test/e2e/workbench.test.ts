// The end-to-end suite: Plumb installed from its own .vsix into a real VS Code (code-server),
// driven by a real browser (Debian's Chromium through playwright-core). code-server and Chromium
// start once for the suite; each scenario is a subtest that asserts what a person sees and keeps a
// screenshot under test-output/e2e (named `-failed` when it failed). Needs `npm run e2e:setup`.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../scripts/e2e/chromium.mjs';
import { type CodeServer, startCodeServer } from '../../scripts/e2e/code-server.mjs';
import { buildExtensionHostTests } from '../../scripts/e2e/extension-host-tests.mjs';
import { runExtensionHostTests } from './harness/extension-host';
import { exampleWorkspace, extensionId, fixtureWorkspaces, outputDir, vsixPath } from './harness/paths';
import { Workbench } from './harness/workbench';
import { fileDeclaring, freshCopy } from './harness/workspaces';

const log = (message: string) => console.log(`e2e: ${message}`);

describe('Plumb in a real VS Code', { timeout: 15 * 60_000 }, () => {
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let workbench: Workbench;
  let example: string;
  let broken: string;

  before(async () => {
    assert.ok(
      existsSync(vsixPath),
      `${vsixPath} is missing: run \`npm run e2e:setup\` (it packages the extension)`,
    );
    for (const f of existsSync(outputDir) ? readdirSync(outputDir) : []) {
      if (f.endsWith('.png')) rmSync(path.join(outputDir, f));
    }
    await buildExtensionHostTests();
    example = freshCopy(exampleWorkspace, 'top-artists');
    broken = freshCopy(path.join(fixtureWorkspaces, 'broken-pipeline'), 'broken-pipeline');
    const serverDir = path.join(outputDir, 'code-server');
    rmSync(serverDir, { recursive: true, force: true });
    mkdirSync(serverDir, { recursive: true });
    server = await startCodeServer({ vsix: vsixPath, dir: serverDir, log });
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    workbench = new Workbench(page, server.folderUrl);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** A subtest that keeps a screenshot of what the person saw, whether it passed or failed. */
  function scenario(
    name: string,
    options: { todo?: string; timeout?: number },
    body: (t: TestContext) => Promise<void>,
  ): void {
    const shot = name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
    it(name, { timeout: 120_000, ...options }, async (t) => {
      try {
        await body(t);
      } catch (error) {
        await workbench.screenshot(`${shot}-failed`).catch(() => undefined);
        throw error;
      }
      await workbench.screenshot(shot);
    });
  }

  it('the extension-host Mocha suite passes inside the workbench', async () => {
    const extensionDir = readdirSync(server!.extensionsDir).find((d) => d.startsWith(`${extensionId}-`));
    assert.ok(extensionDir, `${extensionId} is not in ${server!.extensionsDir}`);
    const result = await runExtensionHostTests(
      browser!,
      server!,
      example,
      path.join(server!.extensionsDir, extensionDir),
    );
    console.log(result.output);
    assert.equal(result.exitCode, 0, 'the extension-host suite failed (its output is above)');
  });

  scenario('1 opening a task file shows Run, Debug and Graph code lenses', {}, async () => {
    await workbench.openFolder(example);
    await workbench.openFile(fileDeclaring(example, 'Top10Artists'));
    await workbench.editor.locator('.codelens-decoration a').first().waitFor({ timeout: 30_000 });
    const lenses = await workbench.codeLensTexts();
    for (const expected of ['Run', 'Debug', 'Graph']) {
      assert.ok(
        lenses.some((l) => l.includes(expected)),
        `no "${expected}" lens; lenses: ${lenses.join(' | ')}`,
      );
    }
  });

  scenario('2 the Problems panel lists the cycle and the missing target', {}, async () => {
    await workbench.openFolder(broken);
    await workbench.openFile('cycle.ts');
    const rows = await workbench.openProblems();
    await rows.filter({ hasText: /cycle/i }).first().waitFor({ timeout: 30_000 });
    await rows
      .filter({ hasText: /raw_clicks/ })
      .first()
      .waitFor({ timeout: 30_000 });
    const texts = await rows.allTextContents();
    log(`problems: ${texts.join(' || ')}`);
  });
});
