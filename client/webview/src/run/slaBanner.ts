// Draws a run's missed SLAs (slaMisses.ts): a line each under the run view's header, and the mark
// on a late task's node.
import { codicon, el } from '../shared/dom';
import type { RunState } from './runState';
import { slaMissLine, slaNodeTitle, type SlaMiss } from './slaMisses';
import './slaBanner.css';

export interface SlaBanner {
  element: HTMLElement;
  update(state: Pick<RunState, 'slaMisses'>): void;
}

export function createSlaBanner(): SlaBanner {
  const element = el('div', 'run-sla');
  element.id = 'run-sla';
  element.hidden = true;
  let shown: SlaMiss[] | undefined;
  let shownCount = -1;
  return {
    element,
    update(state) {
      const misses = state.slaMisses ?? [];
      element.hidden = misses.length === 0;
      // Misses only accumulate within a run (a new run is a new list): redraw only when they grew.
      if (state.slaMisses === shown && misses.length === shownCount) return;
      shown = state.slaMisses;
      shownCount = misses.length;
      element.replaceChildren(
        ...misses.map((m) => {
          const line = el('div', 'run-sla-line');
          line.append(codicon('watch'), el('span', undefined, slaMissLine(m)));
          return line;
        }),
      );
    },
  };
}

/** "SLA missed" on the node of a task whose deadline passed, or nothing. */
export function slaNodeMark(miss: SlaMiss | undefined): HTMLElement | undefined {
  if (!miss) return undefined;
  // A codicon, not an emoji: an emoji's glyph depends on the fonts installed.
  const mark = el('span', 'sla-mark');
  mark.append(codicon('watch'), ' SLA missed');
  mark.title = slaNodeTitle(miss);
  return mark;
}
