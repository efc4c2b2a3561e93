// The text a person actually reads in an element, measured glyph by glyph in the browser: characters
// clipped by an overflow box (or hidden behind an ellipsis) do not count. Two tasks that differ must
// never read the same ("CleanOrders(date=2026-11…" ×3); the DOM holds their whole names either way,
// so only what is drawn can tell. Also whether a title's underscores are inside its line box.
import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { eventually } from './seen';

/** The drawn text of `locator`'s element: its characters inside every clipping box around them. */
export function visibleText(locator: Locator): Promise<string> {
  return locator.evaluate((root) => {
    interface Box {
      left: number;
      top: number;
      right: number;
      bottom: number;
      width: number;
      height: number;
    }
    interface Node {
      nodeType: number;
      textContent: string | null;
      parentElement: Element | null;
    }
    interface Element extends Node {
      scrollWidth: number;
      clientWidth: number;
      getBoundingClientRect(): Box;
    }
    interface PageRange {
      setStart(node: Node, offset: number): void;
      setEnd(node: Node, offset: number): void;
      getBoundingClientRect(): Box;
    }
    const g = globalThis as unknown as {
      innerWidth: number;
      innerHeight: number;
      getComputedStyle(e: Element): {
        overflowX: string;
        overflowY: string;
        textOverflow: string;
        fontSize: string;
      };
      document: {
        createRange(): PageRange;
        createTreeWalker(root: unknown, show: number): { nextNode(): Node | null };
      };
    };
    const clipOf = (from: Element | null) => {
      let clip = { left: 0, top: 0, right: g.innerWidth, bottom: g.innerHeight };
      let ellipsis = Infinity;
      for (let e = from; e; e = e.parentElement) {
        const style = g.getComputedStyle(e);
        const clips = style.overflowX !== 'visible' || style.overflowY !== 'visible';
        if (!clips) continue;
        const r = e.getBoundingClientRect();
        clip = {
          left: Math.max(clip.left, r.left),
          top: Math.max(clip.top, r.top),
          right: Math.min(clip.right, r.right),
          bottom: Math.min(clip.bottom, r.bottom),
        };
        // An ellipsis takes the place of about one character at the right edge of a cut line.
        if (style.textOverflow === 'ellipsis' && e.scrollWidth > e.clientWidth + 1)
          ellipsis = Math.min(ellipsis, r.right - parseFloat(style.fontSize));
      }
      return { clip, ellipsis };
    };
    const walker = g.document.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */);
    const range = g.document.createRange();
    let text = '';
    let previous: Box | undefined;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const { clip, ellipsis } = clipOf(node.parentElement);
      const chars = node.textContent ?? '';
      for (let i = 0; i < chars.length; i++) {
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const r = range.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue;
        const x = r.left + r.width / 2;
        const y = r.top + r.height / 2;
        const inside = x >= clip.left && x <= clip.right && y >= clip.top && y <= clip.bottom;
        if (!inside || r.right > ellipsis + 0.5) {
          if (!text.endsWith('…')) text += '…';
          continue;
        }
        // Separate elements (or lines) read apart; a word split across text nodes (a break
        // opportunity after an underscore) reads whole.
        const apart =
          previous && (Math.abs(r.top - previous.top) > previous.height / 2 || r.left - previous.right > 2);
        text += (apart ? ' ' : '') + chars[i];
        previous = r;
      }
    }
    return text.replace(/\s+/g, ' ').trim();
  });
}

/**
 * Asserts that no two of `locator`'s elements that stand for different things (`keyAttribute`,
 * e.g. a node's task id) read the same; returns what each reads.
 */
export function assertDistinctLabels(
  what: string,
  locator: Locator,
  keyAttribute: string,
): Promise<string[]> {
  return eventually(async () => {
    const read = new Map<string, string[]>();
    const texts: string[] = [];
    for (let i = 0; i < (await locator.count()); i++) {
      const key = (await locator.nth(i).getAttribute(keyAttribute)) ?? `#${i}`;
      const text = await visibleText(locator.nth(i));
      texts.push(text);
      read.set(text, [...(read.get(text) ?? []), key]);
    }
    const same = [...read]
      .filter(([, keys]) => new Set(keys).size > 1)
      .map(([t, k]) => `${t}: ${k.join(', ')}`);
    assert.deepEqual(same, [], `${what}: different tasks read the same`);
    return texts;
  });
}

/**
 * How far below its line box the ink of `text` reaches when drawn in `locator`'s font (the
 * underscore is the lowest glyph of a name): positive means it is clipped, as "T0_L0" read "T0 L0".
 */
export function inkBelowLine(locator: Locator, text: string): Promise<number> {
  return locator.evaluate((element, drawn) => {
    const g = globalThis as unknown as {
      getComputedStyle(e: unknown): { font: string; lineHeight: string };
      document: {
        createElement(t: 'canvas'): {
          getContext(c: '2d'): {
            font: string;
            measureText(t: string): {
              actualBoundingBoxDescent: number;
              fontBoundingBoxAscent: number;
              fontBoundingBoxDescent: number;
            };
          };
        };
      };
    };
    const style = g.getComputedStyle(element);
    const context = g.document.createElement('canvas').getContext('2d');
    context.font = style.font;
    const m = context.measureText(drawn);
    // `line-height: normal` has no number: the element's own height is its one line then.
    const parsed = Number.parseFloat(style.lineHeight);
    const line = Number.isNaN(parsed)
      ? (element as unknown as { clientHeight: number }).clientHeight
      : parsed;
    // The baseline sits half the leading below the line's top, plus the font's ascent.
    const baseline =
      (line - (m.fontBoundingBoxAscent + m.fontBoundingBoxDescent)) / 2 + m.fontBoundingBoxAscent;
    return baseline + m.actualBoundingBoxDescent - line;
  }, text);
}
