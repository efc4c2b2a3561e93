// Opens a webview's dev page (the real bundle, a fake host) in headless Chromium for tests that
// drive a view with host messages and read its DOM and the messages it posts.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { chromium, type BrowserContext, type Page, type Route } from 'playwright-core';
import { serve } from '../../../client/webview/dev/serve.mjs';
import { chromiumFlags } from '../../../scripts/e2e/chromium.mjs';

const root = path.resolve(__dirname, '../../..');
const chromiumPath = process.env.PLUMB_CHROMIUM ?? '/usr/bin/chromium';

/** Why the browser tests cannot run here, or false when they can (for `test(..., { skip })`). */
export const browserMissing: string | false = existsSync(chromiumPath)
  ? false
  : `no Chromium at ${chromiumPath} (apt-get install chromium, or set PLUMB_CHROMIUM)`;

export interface ViewBrowser {
  /** Opens a view's dev page; `size` is the webview's size in CSS px (a side panel is ~540×700). */
  /** `bundleDir`: serve the view's bundle from there instead of dist/webview (benchmarks compare builds). */
  open(
    view: 'graph' | 'run',
    query?: string,
    size?: { width: number; height: number },
    bundleDir?: string,
  ): Promise<Page>;
  close(): Promise<void>;
}

export async function startViewBrowser(): Promise<ViewBrowser> {
  if (!existsSync(path.join(root, 'dist/webview/graph.js'))) {
    throw new Error('dist/webview is not built: run `npm run build` first');
  }
  const server = await serve(0);
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/client/webview/dev`;
  const profile = mkdtempSync(path.join(os.tmpdir(), 'plumb-webview-test-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    viewport: { width: 1000, height: 600 },
    args: ['--headless', ...chromiumFlags],
  });
  return {
    async open(view, query = 'manual', size, bundleDir) {
      const page = await context.newPage();
      if (size) await page.setViewportSize(size);
      if (bundleDir) {
        await page.route('**/dist/webview/**', (route) =>
          route.fulfill({
            path: path.join(bundleDir, path.basename(new URL(route.request().url()).pathname)),
          }),
        );
      }
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      await page.goto(`${base}/${view}.html?${query}`);
      await waitForReady(page);
      (page as Page & { errors: string[] }).errors = errors;
      return page;
    },
    async close() {
      await context.close();
      server.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * One browser for the tests of the file (or suite) that calls this: started before them unless
 * Chromium is missing (the tests then skip on `browserMissing`), closed after them.
 */
export function useViewBrowser(): Pick<ViewBrowser, 'open'> {
  let browser: ViewBrowser | undefined;
  before(async () => {
    if (!browserMissing) browser = await startViewBrowser();
  });
  after(async () => {
    await browser?.close();
  });
  return {
    open(...args) {
      if (!browser) throw new Error(browserMissing || 'the view browser is used before it started');
      return browser.open(...args);
    },
  };
}

/**
 * What tests reach in the page. This test project has Node's types, not the DOM's: functions run in
 * the page read these through `globalThis as unknown as InPage` (and strings would break the CSP).
 */
export interface InPage {
  posted: { type: string; [key: string]: unknown }[];
  sendToView(message: unknown): void;
  document: {
    querySelector(selector: string): { dataset: Record<string, string | undefined> } | null;
    querySelectorAll(selector: string): { length: number };
  };
}

/** Waits for the view's first message (it posts `ready` once it listens). */
export async function waitForReady(page: Page): Promise<void> {
  await page.waitForFunction(() => (globalThis as unknown as InPage).posted.length > 0);
}

/** Posts host messages to the view, in order and in one go, as the extension host would. */
export async function sendToView(page: Page, ...messages: unknown[]): Promise<void> {
  await page.evaluate(
    (list) => list.forEach((m) => (globalThis as unknown as InPage).sendToView(m)),
    messages,
  );
}

/** The messages the view posted to the host so far. */
export async function postedByView(page: Page): Promise<InPage['posted']> {
  return page.evaluate(() => (globalThis as unknown as InPage).posted);
}

/** Errors the page logged (uncaught exceptions, CSP violations). */
export function pageErrors(page: Page): string[] {
  return (page as Page & { errors: string[] }).errors;
}

/** Waits until the view's canvas applied `count` layouts in total. */
export async function waitForLayouts(page: Page, count: number): Promise<void> {
  await page.waitForFunction(
    (n) =>
      Number(
        (globalThis as unknown as InPage).document.querySelector('.dag-surface')?.dataset.layouts ?? 0,
      ) >= n,
    count,
  );
}

/** Waits until the run view drew every event up to `seq`. */
export async function waitForDrawnSeq(page: Page, seq: number): Promise<void> {
  await page.waitForFunction(
    (n) =>
      Number((globalThis as unknown as InPage).document.querySelector('#root')?.dataset.drawnSeq ?? -1) >= n,
    seq,
  );
}

/** Waits until `selector` matches exactly `count` elements. */
export async function waitForCount(page: Page, selector: string, count: number): Promise<void> {
  await page.waitForFunction(
    ([s, n]) => (globalThis as unknown as InPage).document.querySelectorAll(s as string).length === n,
    [selector, count] as const,
  );
}

export async function layoutCount(page: Page): Promise<number> {
  return page.evaluate(() =>
    Number((globalThis as unknown as InPage).document.querySelector('.dag-surface')?.dataset.layouts ?? 0),
  );
}

/**
 * Starts a font loading in the page whose file is held (the canvas waits for fonts before it lays
 * out, as for a font still on its way in a real webview); the returned function lets it fail.
 */
export async function holdFontLoading(page: Page): Promise<() => Promise<void>> {
  let arrived!: (route: Route) => void;
  const request = new Promise<Route>((resolve) => (arrived = resolve));
  await page.route('**/held-font.ttf', (route) => arrived(route));
  await page.evaluate(() => {
    const inPage = globalThis as unknown as {
      FontFace: new (family: string, source: string) => { load(): Promise<unknown> };
      document: { fonts: { add(face: unknown): void } };
    };
    const face = new inPage.FontFace('held', 'url(/held-font.ttf)');
    inPage.document.fonts.add(face);
    face.load().catch(() => undefined);
  });
  await page.waitForFunction(
    () =>
      (globalThis as unknown as { document: { fonts: { status: string } } }).document.fonts.status ===
      'loading',
  );
  return async () => (await request).abort();
}
