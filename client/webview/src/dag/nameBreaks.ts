// Where a task name may wrap: between camelCase words, after underscores and digits runs, so a long
// name breaks like words instead of being cut to an ellipsis that two names could share.
import { el } from '../shared/dom';

/** The places (indices) before which `name` may break: a new word, after `_`, `-` or `.`. */
export function breakPoints(name: string): number[] {
  const points: number[] = [];
  for (let i = 1; i < name.length; i++) {
    const prev = name[i - 1]!;
    const ch = name[i]!;
    const lowerToUpper = /[a-z0-9]/.test(prev) && /[A-Z]/.test(ch);
    const acronymEnd = /[A-Z]/.test(prev) && /[A-Z]/.test(ch) && /[a-z]/.test(name[i + 1] ?? '');
    if (lowerToUpper || acronymEnd || /[_\-.]/.test(prev)) points.push(i);
  }
  return points;
}

/** A span whose text is `name` with <wbr> at its break points (its textContent stays `name`). */
export function breakableName(name: string, className: string): HTMLElement {
  const span = el('span', className);
  let from = 0;
  for (const at of breakPoints(name)) {
    span.append(name.slice(from, at), el('wbr'));
    from = at;
  }
  span.append(name.slice(from));
  span.title = name;
  return span;
}
