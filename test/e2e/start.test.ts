// The README's two commands, as a person runs them: `npm start` packages the extension, serves the
// example in a real VS Code with Plumb installed and active, prints the URL, and on Ctrl+C stops
// leaving no process behind; `npm run start:pipeline` runs the example in the terminal. Needs
// `npm run e2e:setup` (which `npm start` runs itself, quick when cached).
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../scripts/e2e/chromium.mjs';
import { freePort } from '../../scripts/e2e/code-server.mjs';
import { exampleWorkspace, projectRoot } from './harness/paths';
import { taskFamilies } from './harness/pipelineSource';
import { processes, stillAlive } from './harness/processes';
import { Workbench } from './harness/workbench';

/** A command started in its own process group, as a terminal starts a foreground job. */
interface Job {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startJob(command: string, args: string[]): Job {
  let output = '';
  const child = spawn(command, args, { cwd: projectRoot, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

/** Ctrl+C in a terminal: SIGINT to every process of the foreground job's group. */
function pressCtrlC(job: Job): void {
  process.kill(-job.child.pid!, 'SIGINT');
}

/** Polls `probe` until it gives a value; fails when `timeoutMs` pass or the `job` exits first. */
async function waitFor<T>(
  what: string,
  probe: () => T | undefined,
  timeoutMs: number,
  job?: Job,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (job && job.child.exitCode !== null)
      throw new Error(`exited (${job.child.exitCode}) before ${what}:\n${job.output()}`);
    if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms:\n${job?.output() ?? ''}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('the README commands', { timeout: 12 * 60_000 }, () => {
  let browser: Browser | undefined;
  const jobs: Job[] = [];
  // What these commands make in the example (its outputs, its run logs) goes again afterwards, so
  // `npm test` leaves examples/ as it found it and a later `npm start` really runs the pipeline.
  const madeHere = ['data', '.plumb'].filter((entry) => !existsSync(path.join(exampleWorkspace, entry)));

  after(async () => {
    for (const entry of madeHere)
      rmSync(path.join(exampleWorkspace, entry), { recursive: true, force: true });
    await browser?.close();
    for (const job of jobs) {
      if (job.child.exitCode === null && job.child.signalCode === null)
        process.kill(-job.child.pid!, 'SIGKILL');
    }
    // `npm start` leaves the production build in dist/; the rest of `npm test` runs on the build
    // `npm test` made, so put that back.
    spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: projectRoot, stdio: 'inherit' });
  });

  it(
    'npm start serves the example in VS Code with Plumb active and stops on Ctrl+C',
    { timeout: 10 * 60_000 },
    async () => {
      const port = await freePort();
      const job = startJob('npm', ['start', '--', '--port', String(port)]);
      jobs.push(job);
      // Cold, this packages the extension first (a minute or so on two cores).
      const url = await waitFor(
        'workbench URL',
        () => /(http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+)/.exec(job.output())?.[1],
        8 * 60_000,
        job,
      );
      assert.ok(url.startsWith(`http://127.0.0.1:${port}/`), `printed ${url}, asked for port ${port}`);
      assert.equal(new URL(url).searchParams.get('folder'), exampleWorkspace);
      assert.match(job.output(), /package: dist\/plumb-[\d.]+\.vsix/, 'it packaged the .vsix');

      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      assert.equal(health.status, 200);
      const page = await fetch(url);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /workbench/i, 'the URL serves the VS Code workbench');

      // The extension is installed and active: the status bar counts the example's tasks, and the
      // task file has its code lenses.
      browser = await launchChromium();
      const tab = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      // The first load of the workbench bundle is the slowest step on a busy 2-core machine.
      tab.setDefaultNavigationTimeout(120_000);
      const workbench = new Workbench(tab, () => url);
      // The first screen, as the printed URL opens it: the example's pipeline.ts, its graph beside.
      await tab.goto(url);
      for (const title of ['pipeline.ts', 'Plumb Graph'])
        await tab.locator('.tabs-container .tab', { hasText: title }).first().waitFor({ timeout: 90_000 });
      await workbench.webview('.dag-node:not(.run-node)[data-family="Top10Artists"]', 60_000);
      await workbench.screenshot('start-first-screen');
      await workbench.openFolder(exampleWorkspace);
      await workbench.openFile('pipeline.ts');
      const tasks = taskFamilies(exampleWorkspace).length;
      await tab
        .locator('.statusbar-item', { hasText: new RegExp(`Plumb: ${tasks} tasks`) })
        .waitFor({ timeout: 60_000 });
      await workbench.editor
        .locator('.codelens-decoration a', { hasText: /Run/ })
        .first()
        .waitFor({ timeout: 30_000 });
      await workbench.screenshot('start-npm-start');
      await tab.close();

      // Everything code-server started shares its process group; Ctrl+C must end all of it.
      const all = processes();
      const server = [...all].find(([, p]) => p.command.includes(`127.0.0.1:${port}`));
      assert.ok(server, `no code-server process serves port ${port}`);
      const group = [...all].filter(([, p]) => p.group === server[1].group).map(([pid]) => pid);
      pressCtrlC(job);
      const exit = await Promise.race([
        job.exited,
        new Promise<never>((_, reject) =>
          setTimeout(
            () => reject(new Error(`npm start still running 20 s after Ctrl+C:\n${job.output()}`)),
            20_000,
          ).unref(),
        ),
      ]);
      assert.ok(
        exit.code === 0 || exit.signal === 'SIGINT' || exit.code === 130,
        `npm start ended with ${JSON.stringify(exit)}:\n${job.output()}`,
      );
      const left = await stillAlive(group, 10_000);
      assert.deepEqual(
        left,
        [],
        `left running after Ctrl+C: ${left.map((pid) => processes().get(pid)?.command).join('\n')}`,
      );
      assert.equal(
        await fetch(`http://127.0.0.1:${port}/healthz`).then(
          () => 'answering',
          () => 'closed',
        ),
        'closed',
      );
    },
  );

  it('npm run start:pipeline runs the example in the terminal', { timeout: 5 * 60_000 }, async () => {
    const job = startJob('npm', ['run', 'start:pipeline']);
    jobs.push(job);
    const exit = await job.exited;
    assert.equal(exit.code, 0, job.output());
    assert.match(job.output(), /All\(dateInterval=2026-11-01-2026-11-07\)/, 'it names the run');
    assert.match(job.output(), /This progress looks :\)/, 'it reports success');
    // plumb.toml's interval: the example's final output exists (this run made it or found it).
    assert.ok(
      existsSync(path.join(exampleWorkspace, 'data', 'top_artists_2026-11-01-2026-11-07.tsv')),
      'data/top_artists_2026-11-01-2026-11-07.tsv',
    );
  });
});
