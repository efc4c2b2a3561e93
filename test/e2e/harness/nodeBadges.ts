// What a person sees of the marks drawn on a graph node by CSS alone: a badge made by a
// pseudo-element (the plan's "will run" corner badge, the blast radius's "rerun 1 task" label) and
// the glow of a box-shadow. Pseudo-elements have no DOM node for a locator, so they are measured
// from the node's computed styles, in the webview's own coordinates.
import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { eventually, inView, measure, MIN_CONTRAST, MIN_READABLE_PX, type Seen } from './seen';

export interface BadgeSeen {
  /** The badge's text (its CSS `content`), '' when the node draws none. */
  text: string;
  box: { x: number; y: number; width: number; height: number };
  view: { width: number; height: number };
  /** Rendered size of the badge's text (font size × the canvas's scale). */
  textPx: number;
  /** Opacity after the node's and every ancestor's opacity. */
  opacity: number;
}

/** Measures the `::after` or `::before` badge of `node`. */
export async function measureBadge(node: Locator, pseudo: '::after' | '::before'): Promise<BadgeSeen> {
  await node.waitFor({ timeout: 30_000 });
  return node.evaluate((element, which) => {
    interface Box {
      x: number;
      y: number;
      width: number;
      height: number;
    }
    interface PageElement {
      parentElement: PageElement | null;
      offsetWidth: number;
      clientLeft: number;
      clientTop: number;
      getBoundingClientRect(): Box;
    }
    interface Style {
      content: string;
      fontSize: string;
      top: string;
      left: string;
      right: string;
      width: string;
      height: string;
      opacity: string;
      display: string;
    }
    const window = globalThis as unknown as {
      innerWidth: number;
      innerHeight: number;
      getComputedStyle(e: PageElement, pseudo?: string): Style;
    };
    const node = element as unknown as PageElement;
    const style = window.getComputedStyle(node, which);
    const rect = node.getBoundingClientRect();
    const scale = node.offsetWidth > 0 ? rect.width / node.offsetWidth : 1;
    const px = (v: string) => (v === 'auto' ? NaN : parseFloat(v));
    const width = px(style.width);
    const height = px(style.height);
    // Offsets are from the node's padding box, in its own (unscaled) pixels.
    const left = Number.isNaN(px(style.left))
      ? node.offsetWidth - 2 * node.clientLeft - px(style.right) - width
      : px(style.left);
    const top = px(style.top);
    let opacity = Number(style.opacity);
    for (let e: PageElement | null = node; e; e = e.parentElement)
      opacity *= Number(window.getComputedStyle(e).opacity);
    const content = style.content;
    return {
      text: content === 'none' || content === 'normal' ? '' : content.replace(/^"|"$/g, ''),
      box: {
        x: rect.x + (node.clientLeft + left) * scale,
        y: rect.y + (node.clientTop + top) * scale,
        width: width * scale,
        height: height * scale,
      },
      view: { width: window.innerWidth, height: window.innerHeight },
      textPx: parseFloat(style.fontSize) * scale,
      opacity,
    };
  }, pseudo);
}

/** Asserts the node's badge says `text` and is drawn readably, wholly inside the webview. */
export function assertBadgeSeen(
  what: string,
  node: Locator,
  pseudo: '::after' | '::before',
  text: RegExp,
): Promise<BadgeSeen> {
  return eventually(async () => {
    const seen = await measureBadge(node, pseudo);
    const facts = JSON.stringify(seen);
    assert.match(seen.text, text, `${what} says ${JSON.stringify(seen.text)}`);
    const { box, view } = seen;
    assert.ok(box.width > 0 && box.height > 0, `${what} has no size: ${facts}`);
    assert.ok(
      box.x >= -0.5 &&
        box.y >= -0.5 &&
        box.x + box.width <= view.width + 0.5 &&
        box.y + box.height <= view.height + 0.5,
      `${what} is not wholly inside the visible webview: ${facts}`,
    );
    assert.ok(
      seen.textPx >= MIN_READABLE_PX,
      `${what}'s text is drawn at ${seen.textPx.toFixed(1)} px: ${facts}`,
    );
    assert.ok(seen.opacity >= 0.6, `${what} is faint (opacity ${seen.opacity.toFixed(2)}): ${facts}`);
    return seen;
  }, 10_000);
}

/** The colour of the first shadow `locator`'s element casts (its glow), as [r, g, b]; null without one. */
export async function glowColour(locator: Locator): Promise<[number, number, number] | null> {
  const shadow = await locator.evaluate(
    (e) =>
      (globalThis as unknown as { getComputedStyle(e: unknown): { boxShadow: string } }).getComputedStyle(e)
        .boxShadow,
  );
  const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)/.exec(shadow);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

/** Whether a colour reads as orange: red highest, green about half to four fifths of it, little blue. */
export function isOrange([r, g, b]: [number, number, number]): boolean {
  return r >= 150 && g >= 0.35 * r && g <= 0.8 * r && b <= 0.5 * g;
}

/**
 * Asserts a person sees an overlay that lets clicks through (`pointer-events: none`, e.g. the blast
 * radius banner): what `seen.ts` checks, except being what the browser finds at its centre, which
 * such an element never is.
 */
export function assertOverlaySeen(what: string, locator: Locator, textSelector?: string): Promise<Seen> {
  return eventually(async () => {
    const seen = await measure(locator, textSelector);
    const facts = JSON.stringify(seen);
    assert.ok(seen.box.width > 0 && seen.box.height > 0, `${what} has no size: ${facts}`);
    assert.ok(inView(seen), `${what} is not inside the visible webview: ${facts}`);
    assert.ok(seen.opacity >= 0.6, `${what} is faint: ${facts}`);
    assert.ok(seen.textPx >= MIN_READABLE_PX, `${what}'s text is too small: ${facts}`);
    assert.ok(seen.contrast >= MIN_CONTRAST, `${what}'s text is too faint: ${facts}`);
    return seen;
  }, 10_000);
}
