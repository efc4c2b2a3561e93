// What a person actually sees of an element inside a webview, measured in the browser: where it is
// drawn, whether something covers it, how large and how faint its text is, and what colour it is.
// Scenarios assert on this rather than on DOM attributes alone (a graph can hold every node in its
// DOM and still show nothing).
import assert from 'node:assert/strict';
import type { Frame, Locator, Page } from 'playwright-core';

/** Smallest rendered text a person reads without leaning in (VS Code's own UI text is 11–13 px). */
export const MIN_READABLE_PX = 9;
/** WCAG's contrast ratio for large text: below it text reads as faint. */
export const MIN_CONTRAST = 3;

export interface Seen {
  /** Box in the webview's own coordinates. */
  box: { x: number; y: number; width: number; height: number };
  /** The webview's visible size. */
  view: { width: number; height: number };
  /** Whether the element (not something drawn over it) is what shows at its centre. */
  onTop: boolean;
  /** Opacity after every ancestor's opacity. */
  opacity: number;
  /** Rendered size of the element's text (computed font size × the transforms' scale). */
  textPx: number;
  /** Contrast ratio of the text against what is behind it, opacity included. */
  contrast: number;
  /** The accent colour on the element's left border, as [r, g, b]. */
  accent: [number, number, number];
  /** The colour of its text (or glyph), as [r, g, b]. */
  colour: [number, number, number];
  text: string;
}

/**
 * Measures `locator`'s element; `textSelector` names the descendant whose text should be read
 * (e.g. a node's family name), the element itself when omitted.
 */
export async function measure(locator: Locator, textSelector?: string): Promise<Seen> {
  await locator.waitFor({ timeout: 30_000 });
  const pageBackground = await backgroundAroundFrame(locator);
  return locator.evaluate(
    (node, { selector, around }) => {
      const window = globalThis as unknown as PageWindow;
      const element = node as PageElement;
      type Rgba = [number, number, number, number];
      const parse = (css: string): Rgba => {
        const n = (css.match(/[\d.]+/g) ?? []).map(Number);
        return [n[0] ?? 0, n[1] ?? 0, n[2] ?? 0, n.length > 3 ? n[3]! : 1];
      };
      const over = (top: Rgba, alpha: number, below: Rgba): Rgba => {
        const a = top[3] * alpha;
        return [0, 1, 2].map((i) => top[i]! * a + below[i]! * (1 - a)).concat(1) as Rgba;
      };
      const luminance = (c: Rgba) => {
        const [r, g, b] = [0, 1, 2].map((i) => {
          const v = c[i]! / 255;
          return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
      };
      /** The background at `from`: the layers up to the first opaque one, blended over the page. */
      const backgroundOf = (from: PageElement | null): Rgba => {
        const layers: Rgba[] = [];
        for (let e = from; e; e = e.parentElement) {
          const bg = parse(window.getComputedStyle(e).backgroundColor);
          if (bg[3] > 0) layers.push(bg);
          if (bg[3] >= 1) break;
        }
        let result: Rgba = [...around, 1];
        for (const layer of layers.reverse()) result = over(layer, 1, result);
        return result;
      };
      const target = (selector ? element.querySelector(selector) : element) ?? element;
      const rect = element.getBoundingClientRect();
      let opacity = 1;
      for (let e: PageElement | null = element; e; e = e.parentElement) {
        const style = window.getComputedStyle(e);
        if (style.visibility === 'hidden' || style.display === 'none') opacity = 0;
        opacity *= Number(style.opacity);
      }
      const targetStyle = window.getComputedStyle(target);
      const scale = target.offsetWidth > 0 ? target.getBoundingClientRect().width / target.offsetWidth : 1;
      const behind = backgroundOf(element.parentElement);
      const ownBackground = over(backgroundOf(target), opacity, behind);
      const textColour = over(parse(targetStyle.color), opacity, behind);
      const [l1, l2] = [luminance(textColour), luminance(ownBackground)].sort((a, b) => b - a);
      const centre = window.document.elementFromPoint(rect.x + rect.width / 2, rect.y + rect.height / 2);
      const accent = parse(window.getComputedStyle(element).borderLeftColor);
      const colour = parse(targetStyle.color);
      return {
        box: { x: rect.x, y: rect.y, width: rect.width, height: rect.height },
        view: { width: window.innerWidth, height: window.innerHeight },
        onTop: centre !== null && element.contains(centre),
        opacity,
        textPx: parseFloat(targetStyle.fontSize) * scale,
        contrast: (l1! + 0.05) / (l2! + 0.05),
        accent: [accent[0], accent[1], accent[2]] as [number, number, number],
        colour: [colour[0], colour[1], colour[2]] as [number, number, number],
        text: (target.textContent ?? '').trim(),
      };
    },
    { selector: textSelector, around: pageBackground },
  );
}

/**
 * The few DOM types the in-page functions use (the test project compiles without the DOM library,
 * which would change timers' types for every test). Functions sent into the page must be
 * self-contained; tsx adds `__name(…)` around named inner functions, which `allowTsxFunctions`
 * defines in every frame.
 */
interface PageElement {
  parentElement: PageElement | null;
  offsetWidth: number;
  textContent: string | null;
  getBoundingClientRect(): { x: number; y: number; width: number; height: number };
  querySelector(selector: string): PageElement | null;
  contains(other: PageElement): boolean;
}
interface PageWindow {
  innerWidth: number;
  innerHeight: number;
  document: { elementFromPoint(x: number, y: number): PageElement | null };
  getComputedStyle(element: PageElement): {
    backgroundColor: string;
    color: string;
    opacity: string;
    visibility: string;
    display: string;
    fontSize: string;
    borderLeftColor: string;
  };
}

/** Defines tsx's `__name` helper in every frame of `page`, so functions from this file run there. */
export async function allowTsxFunctions(page: Page): Promise<void> {
  await page.addInitScript('globalThis.__name = (f) => f;');
}

/** Whether the box lies wholly inside the webview's visible area. */
export function inView(seen: Seen): boolean {
  const { box, view } = seen;
  return (
    box.x >= -0.5 &&
    box.y >= -0.5 &&
    box.x + box.width <= view.width + 0.5 &&
    box.y + box.height <= view.height + 0.5
  );
}

/**
 * Retries `check` until it passes or `timeoutMs` is over (views settle after a layout, a fit or a
 * scroll animation); throws its last error.
 */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** Asserts that a person sees `what`: on screen, uncovered, opaque, readable (within `timeoutMs`). */
export function assertSeen(
  what: string,
  locator: Locator,
  textSelector?: string,
  options: { timeoutMs?: number; minContrast?: number } = {},
): Promise<Seen> {
  return eventually(
    () => checkSeen(what, locator, textSelector, options.minContrast ?? MIN_CONTRAST),
    options.timeoutMs ?? 5000,
  );
}

/**
 * For status glyphs: VS Code's own status colours (e.g. the test explorer's passed green, the same
 * in light and dark themes) sit below text contrast on light backgrounds; a glyph must still stand
 * out from what is behind it.
 */
export const GLYPH_CONTRAST = 1.5;

async function checkSeen(
  what: string,
  locator: Locator,
  textSelector: string | undefined,
  minContrast: number,
): Promise<Seen> {
  const seen = await measure(locator, textSelector);
  const facts = JSON.stringify(seen);
  assert.ok(seen.box.width > 0 && seen.box.height > 0, `${what} has no size: ${facts}`);
  assert.ok(inView(seen), `${what} is not inside the visible webview: ${facts}`);
  assert.ok(seen.onTop, `${what} is covered by something else: ${facts}`);
  assert.ok(seen.opacity >= 0.6, `${what} is faint (opacity ${seen.opacity.toFixed(2)}): ${facts}`);
  assert.ok(
    seen.textPx >= MIN_READABLE_PX,
    `${what}'s text is drawn at ${seen.textPx.toFixed(1)} px, too small to read: ${facts}`,
  );
  assert.ok(
    seen.contrast >= minContrast,
    `${what}'s text has contrast ${seen.contrast.toFixed(2)}, too faint to read: ${facts}`,
  );
  return seen;
}

/** The first opaque background at or above `node`, or null when everything up to the root is clear. */
function firstOpaque(node: unknown): [number, number, number] | null {
  const window = globalThis as unknown as PageWindow;
  const element = node as PageElement;
  for (let e: PageElement | null = element; e; e = e.parentElement) {
    const n = (window.getComputedStyle(e).backgroundColor.match(/[\d.]+/g) ?? []).map(Number);
    if (n.length === 3 || (n.length > 3 && n[3] === 1)) return [n[0]!, n[1]!, n[2]!];
  }
  return null;
}

/** What shows through a transparent webview: the first opaque background around its frames. */
async function backgroundAroundFrame(locator: Locator): Promise<[number, number, number]> {
  const handle = await locator.elementHandle();
  let frame = handle ? await handle.ownerFrame() : null;
  while (frame?.parentFrame()) {
    const found = await (await frame.frameElement()).evaluate(firstOpaque);
    if (found) return found;
    frame = frame.parentFrame();
  }
  return [255, 255, 255];
}

/**
 * The colour a person sees behind `locator`'s element: the first opaque background up its tree,
 * continuing into the page around the webview when the webview itself is transparent.
 */
export async function backgroundBehind(locator: Locator): Promise<[number, number, number]> {
  return (await locator.evaluate(firstOpaque)) ?? (await backgroundAroundFrame(locator));
}

/** Asserts that the webview itself is on the page: its frame box lies inside the browser window. */
export async function assertWebviewOnScreen(frame: Frame): Promise<void> {
  const element = await frame.frameElement();
  const box = await element.boundingBox();
  const size = frame.page().viewportSize();
  assert.ok(box && size, 'the webview has no box on the page');
  assert.ok(box.width > 200 && box.height > 200, `the webview is only ${box.width}×${box.height} px`);
  assert.ok(
    box.x >= 0 && box.y >= 0 && box.x + box.width <= size.width && box.y + box.height <= size.height,
    `the webview lies outside the window: ${JSON.stringify(box)}`,
  );
}

/** Whether a colour reads as green: the hue within 45° of green, clearly saturated. */
export function isGreen([r, g, b]: [number, number, number]): boolean {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  if (max < 80 || max - min < 0.3 * max) return false;
  return g === max && Math.abs(b - r) <= 0.75 * (g - min);
}

/** Whether a colour reads as red: the hue within 30° of red, clearly saturated. */
export function isRed([r, g, b]: [number, number, number]): boolean {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  if (max < 100 || max - min < 0.35 * max) return false;
  return r === max && Math.abs(g - b) <= 0.5 * (r - min);
}

/**
 * Asserts that every element `locator` matches is drawn readably (text size, contrast, opacity),
 * wherever it is, and that at least `minInView` of them lie wholly in view; returns each one's
 * measurement.
 */
export function assertAllReadable(
  what: string,
  locator: Locator,
  textSelector: string,
  minInView = 1,
  minContrast = MIN_CONTRAST,
): Promise<Seen[]> {
  return eventually(async () => {
    const all: Seen[] = [];
    for (let i = 0; i < (await locator.count()); i++) all.push(await measure(locator.nth(i), textSelector));
    const unreadable = all.filter(
      (s) => s.textPx < MIN_READABLE_PX || s.contrast < minContrast || s.opacity < 0.6,
    );
    assert.deepEqual(
      unreadable.map(
        (s) =>
          `${s.text}: ${s.textPx.toFixed(1)} px, contrast ${s.contrast.toFixed(2)}, opacity ${s.opacity.toFixed(2)}`,
      ),
      [],
      `${what}: these are too small or too faint to read`,
    );
    const visible = all.filter(inView).length;
    assert.ok(
      visible >= minInView,
      `${what}: ${visible} of ${all.length} lie in view, expected ${minInView}`,
    );
    return all;
  }, 5000);
}
