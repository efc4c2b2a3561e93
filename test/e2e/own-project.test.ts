// Issue 11's "done when", as a new user lives it: an empty folder outside the repository holding
// only the runtime's tarball and the extension's .vsix; `plumb init`, `npm install` of the tarball,
// `npx plumb run`, a rerun that finds everything complete; then the folder in a real VS Code with
// that .vsix installed: Plumb's code lenses, the graph, and no problem at all in the Problems panel
// (TypeScript resolves plumb-pipelines from the installed package). Needs `npm run e2e:setup`.
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../scripts/e2e/chromium.mjs';
import { type CodeServer, startCodeServer } from '../../scripts/e2e/code-server.mjs';
import { outputDir, projectRoot, runDir, vsixPath } from './harness/paths';
import { taskFamilies } from './harness/pipelineSource';
import { allowTsxFunctions, assertAllReadable, assertWebviewOnScreen } from './harness/seen';
import { Workbench } from './harness/workbench';

const log = (message: string) => console.log(`e2e own project: ${message}`);
const runLens = /^\W*Run\b(?!.*only)/i;
const debugLens = /^\W*Debug\b/i;
const graphLens = /^\W*Graph\b/i;

// The outer `npm test` leaves npm_* variables (its workspace, its user agent) that would steer the
// inner npm; a user's shell has none of them.
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));

function sh(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  log(`$ ${command} ${args.join(' ')}   (in ${cwd})`);
  return spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 180_000 });
}

function ok(result: SpawnSyncReturns<string>, what: string): string {
  assert.equal(result.status, 0, `${what} exited ${result.status}\n${result.stdout}\n${result.stderr}`);
  return result.stdout + result.stderr;
}

describe('Plumb in your own project: from an empty folder to the editor', { timeout: 10 * 60_000 }, () => {
  let scratch = '';
  let empty = '';
  let project = '';
  let tarball = '';
  let vsix = '';
  let server: CodeServer | undefined;
  let browser: Browser | undefined;

  before(() => {
    assert.ok(
      existsSync(vsixPath),
      `${vsixPath} is missing: run \`npm run e2e:setup\` (it packages the extension)`,
    );
    scratch = mkdtempSync(path.join(os.tmpdir(), 'plumb-own-project-'));
    assert.ok(
      path.relative(projectRoot, scratch).startsWith('..'),
      'the project lives outside the repository',
    );
    empty = path.join(scratch, 'work');
    mkdirSync(empty);
    // What a user is handed: the runtime's tarball (npm pack, as published) and the .vsix.
    const packed = sh(
      'npm',
      ['pack', '--json', '--pack-destination', empty],
      path.join(projectRoot, 'runtime'),
    );
    ok(packed, 'npm pack');
    const [info] = JSON.parse(packed.stdout) as { filename: string }[];
    tarball = path.join(empty, info!.filename);
    vsix = path.join(empty, path.basename(vsixPath));
    cpSync(vsixPath, vsix);
    assert.deepEqual(readdirSync(empty).sort(), [path.basename(tarball), path.basename(vsix)].sort());
  });

  after(async () => {
    try {
      await Promise.race([browser?.close(), new Promise((resolve) => setTimeout(resolve, 15_000).unref())]);
    } finally {
      await server?.stop();
      if (scratch) rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('in a terminal: plumb init, npm install of the tarball, npx plumb run, and a rerun that is already complete', () => {
    // npx runs the tarball's one bin, plumb, as `npx plumb-pipelines init` will once it is published.
    const init = ok(
      sh('npx', ['--yes', '--package', `./${path.basename(tarball)}`, 'plumb', 'init', 'my-pipeline'], empty),
      'plumb init',
    );
    assert.match(init, /Next steps:/);
    project = path.join(empty, 'my-pipeline');
    for (const file of ['package.json', 'tsconfig.json', 'plumb.toml', 'pipeline.ts', '.gitignore'])
      assert.ok(existsSync(path.join(project, file)), `plumb init wrote ${file}`);

    // The package is not on the registry yet: install it from the tarball, with the template's
    // devDependencies (typescript, @types/node) from npm's cache when it has them.
    const install = (mode: string) =>
      sh(
        'npm',
        ['install', mode, '--no-audit', '--no-fund', '--loglevel=error', `../${path.basename(tarball)}`],
        project,
      );
    let installed = install('--offline');
    if (installed.status !== 0) {
      log(
        `not everything is in npm's cache (${installed.stderr.trim().split('\n')[0]}): asking the registry`,
      );
      installed = install('--prefer-offline');
    }
    ok(installed, 'npm install of the tarball');
    for (const dependency of ['plumb-pipelines', 'typescript', '@types/node'])
      assert.ok(
        existsSync(path.join(project, 'node_modules', dependency, 'package.json')),
        `${dependency} installed`,
      );

    const first = sh('npx', ['--no', 'plumb', 'run', 'pipeline.ts', 'All', '--no-color'], project);
    const firstOutput = ok(first, 'npx plumb run pipeline.ts All');
    log(`first run:\n${firstOutput.trim()}`);
    const reports = readdirSync(path.join(project, 'output')).filter((f) => f.startsWith('report_'));
    assert.equal(reports.length, 1, `reports in output/: ${reports.join(', ')}`);

    const rerun = sh('npx', ['--no', 'plumb', 'run', 'pipeline.ts', 'All', '--no-color'], project);
    const rerunOutput = ok(rerun, 'the rerun');
    log(`rerun:\n${rerunOutput.trim()}`);
    assert.match(rerunOutput, /already complete/i);
    assert.doesNotMatch(rerunOutput, /\b[1-9]\d* (tasks? )?ran\b/i, 'the rerun ran nothing');

    // The TypeScript compiler the project installed agrees: no error in the new project.
    ok(
      sh(process.execPath, [path.join('node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], project),
      'tsc',
    );
  });

  it('in VS Code with the .vsix installed: lenses over every task, the graph, and no problems', async () => {
    assert.ok(project, 'the terminal steps made the project');
    const serverDir = path.join(runDir, 'own-project-code-server');
    rmSync(serverDir, { recursive: true, force: true });
    mkdirSync(serverDir, { recursive: true });
    // No auto-save: the error typed below is taken back by reverting, so the file stays as written.
    server = await startCodeServer({ vsix, dir: serverDir, log, settings: { 'files.autoSave': 'off' } });
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await allowTsxFunctions(page);
    const workbench = new Workbench(page, server.folderUrl);
    // In a folder of its own: the workbench suite clears the screenshots at the top of test-output/e2e.
    const shot = 'own-project/lenses-graph-no-problems';
    rmSync(path.join(outputDir, 'own-project'), { recursive: true, force: true });
    let last = Date.now();
    const step = (what: string) => {
      log(`${what} after ${((Date.now() - last) / 1000).toFixed(1)} s`);
      last = Date.now();
    };
    try {
      await workbench.openFolder(project);
      step('workbench loaded');
      await workbench.openFile('pipeline.ts');

      // Lenses above every task class: Run, Debug and Graph above the ones that run. (On a loaded
      // machine the extension may activate only once VS Code's search for plumb.toml, which walks
      // node_modules, gives up.)
      const lenses = await workbench.lensTextsMatching([runLens, debugLens, graphLens], 120_000);
      step('lenses');
      log(`lenses: ${lenses.join(' | ')}`);
      const families = taskFamilies(project);
      assert.deepEqual(families.sort(), ['All', 'DailyOrders', 'DailyRevenue', 'RevenueReport']);
      assert.ok(
        (await workbench.editor.locator('.codelens-decoration').count()) >= families.length,
        'a lens row above every task class',
      );

      // TypeScript is at work in this folder: an error typed into the file is listed …
      const rows = await workbench.openProblems();
      await workbench.openFile('pipeline.ts');
      await workbench.focusEditor();
      await page.keyboard.press('Control+End');
      await page.keyboard.insertText("\nexport const notANumber: number = 'plumb';\n");
      await rows
        .filter({ hasText: /not assignable to type 'number'/ })
        .first()
        .waitFor({ timeout: 60_000 });
      step('the typed error listed');
      // … and once the file is as plumb init wrote it, nothing is: not "Cannot find module
      // 'plumb-pipelines'", no missing @types/node, no Plumb pipeline diagnostic.
      await workbench.runCommand('File: Revert File');
      await rows.first().waitFor({ state: 'detached', timeout: 30_000 });
      // The tree may take a moment to empty after the last file's row; read it settled.
      await page.waitForTimeout(1500);
      step('no problems');
      const labels = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
      assert.deepEqual(labels, [], 'the Problems panel lists nothing');
      const status = (await page.locator('[id="status.problems"]').getAttribute('aria-label')) ?? '';
      const statusText = (await page.locator('[id="status.problems"]').innerText())
        .replace(/\s+/g, ' ')
        .trim();
      log(`problems status: ${JSON.stringify(status)} ${JSON.stringify(statusText)}`);
      assert.match(status, /no problems|^0 errors?, 0 warnings?/i, 'the status bar counts no problems');

      // The graph: every task of the pipeline, readable, beside the code.
      await workbench.runCommand('Plumb: Show Pipeline Graph');
      const graph = await workbench.webview('.dag-node:not(.run-node)');
      for (const family of families)
        await graph.locator(`.dag-node[data-family="${family}"]`).waitFor({ timeout: 30_000 });
      await assertWebviewOnScreen(graph);
      await assertAllReadable('the graph nodes', graph.locator('.dag-node'), '.node-family', families.length);
      // No notice that plumb-pipelines is missing: it is installed.
      assert.equal(
        await page.locator('.notifications-toasts .notification-toast', { hasText: /not installed/ }).count(),
        0,
        'the extension says the runtime is missing',
      );
      // The picture to keep: the file from its top (the first lenses), the graph laid out beside it.
      await workbench.openFile('pipeline.ts');
      await workbench.focusEditor();
      await page.keyboard.press('Control+Home');
      await workbench.lineNumber(1).waitFor();
      await workbench.moveMouseAway();
      await graph.locator('#layout-pending').waitFor({ state: 'hidden', timeout: 30_000 });
      step('graph');
    } catch (error) {
      await workbench.screenshot(`${shot}-failed`).catch(() => undefined);
      throw error;
    }
    const file = await workbench.screenshot(shot);
    log(`screenshot: ${path.relative(projectRoot, file)}`);
    assert.ok(readFileSync(file).length > 10_000, 'the screenshot has content');
  });
});
