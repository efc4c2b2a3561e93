// Screenshots the webviews in headless Chromium, in each theme, into test-output/webview/, so a
// change to the views can be looked at without VS Code. Prints the browser console's errors.
// Usage: node client/webview/dev/screenshot.mjs [filter]   (after `npm run build`)
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { chromiumFlags } from '../../../scripts/e2e/chromium.mjs';
import { serve } from './serve.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const out = path.join(root, 'test-output/webview');
mkdirSync(out, { recursive: true });
const filter = process.argv[2] ?? '';

// A side panel beside the editor, as users mostly see the views.
const side = { width: 540, height: 700 };
// name, page, query, what to do before the shot, page size (default 1100×640)
const shots = [
  ['graph-side-dark', 'graph', 'theme=dark', undefined, side],
  ['graph-side-light', 'graph', 'theme=light&highlight=Top10Artists', undefined, side],
  ['graph-side-hc', 'graph', 'theme=hc', undefined, side],
  ['run-side-live-dark', 'run', 'theme=dark&until=40', undefined, side],
  ['run-side-done-light', 'run', 'theme=light', undefined, side],
  ['run-side-timeline-dark', 'run', 'theme=dark', async (page) => page.click('#tab-timeline'), side],
  ['run-side-history-light', 'run', 'theme=light', async (page) => page.click('#tab-history'), side],
  ['run-side-log-hc', 'run', 'theme=hc', async (page) => page.click('[data-task-id^="FetchWeather"]'), side],
  ['graph-dark', 'graph', 'theme=dark'],
  ['graph-light', 'graph', 'theme=light&highlight=Top10Artists'],
  ['graph-hc', 'graph', 'theme=hc'],
  [
    'graph-search',
    'graph',
    'theme=dark',
    async (page) => {
      await page.fill('#search', 'clean');
      await page.press('#search', 'Enter');
    },
  ],
  ['graph-large', 'graph', 'theme=dark&large=350'],
  [
    'run-live-dark',
    'run',
    'theme=dark&until=40',
    async (page) => page.click('[data-task-id^="AggregateArtists"]'),
  ],
  ['run-done-light', 'run', 'theme=light', async (page) => page.click('[data-task-id^="FetchWeather"]')],
  ['run-timeline-dark', 'run', 'theme=dark', async (page) => page.click('#tab-timeline')],
  ['run-history-light', 'run', 'theme=light', async (page) => page.click('#tab-history')],
].filter(([name]) => name.includes(filter));

const server = await serve();
const base = `http://127.0.0.1:${server.address().port}/client/webview/dev`;
const profile = mkdtempSync(path.join(os.tmpdir(), 'plumb-chromium-'));
const browser = await chromium.launchPersistentContext(profile, {
  viewport: { width: 1100, height: 640 },
  executablePath: '/usr/bin/chromium',
  args: ['--headless', ...chromiumFlags],
});
let failures = 0;
try {
  for (const [name, view, query, act, size] of shots) {
    const page = await browser.newPage();
    if (size) await page.setViewportSize(size);
    page.on('console', (m) => m.type() === 'error' && console.log(`  ${name} console: ${m.text()}`));
    page.on('pageerror', (e) => {
      failures++;
      console.log(`  ${name} page error: ${e.message}`);
    });
    await page.goto(`${base}/${view}.html?${query}`);
    // elk's layout, not the rough one shown while its worker starts.
    await page.waitForSelector('.dag-surface[data-layouts]', { timeout: 20_000 });
    if (act) await act(page);
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(out, `${name}.png`) });
    console.log(`${name}: ${path.relative(root, path.join(out, `${name}.png`))}`);
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(failures ? 1 : 0);
