// The History tab's mark on a past run that missed SLAs: "SLA missed" (×n) beside its outcome,
// each miss in the hover, so a late night stands out in the list without replaying it.
import type { RunListEntry } from '../messages';
import { codicon, el } from '../shared/dom';
import { slaMissLine } from './slaMisses';
import './historySla.css';

/** Misses named in the hover; the rest are counted. */
const HOVER_LINES = 10;

export function historySlaMark(run: RunListEntry): HTMLElement | undefined {
  const misses = run.slaMisses ?? [];
  if (misses.length === 0) return undefined;
  const mark = el('span', 'history-sla');
  mark.append(codicon('watch'), misses.length === 1 ? ' SLA missed' : ` SLA missed ×${misses.length}`);
  const lines = misses.slice(0, HOVER_LINES).map(slaMissLine);
  if (misses.length > HOVER_LINES) lines.push(`… and ${misses.length - HOVER_LINES} more`);
  mark.title = lines.join('\n');
  return mark;
}
