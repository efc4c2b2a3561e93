// Draws a run's name (runName.ts): the family, the parameters that tell it apart, then the rest,
// muted; every part whole, wrapping between parts (a long value anywhere), never cut.
import { el } from '../shared/dom';
import type { RunName } from './runName';

/** The parameters of `name` as one wrapping line: `lead` parts first, `rest` muted after them. */
export function runParamsElement(name: RunName, className: string): HTMLElement {
  const line = el('span', className);
  const parts = [
    ...name.lead.map((part) => el('span', 'run-name-lead', part)),
    ...name.rest.map((part) => el('span', 'run-name-rest', part)),
  ];
  // The separator belongs to the part before it, so a line never starts with ", ".
  parts.forEach((part, i) => i < parts.length - 1 && part.append(','));
  for (const [i, part] of parts.entries()) line.append(...(i > 0 ? [' ', part] : [part]));
  return line;
}

/** `Family a=1, b=x` as one wrapping line (History rows): the family bold, then the parameters. */
export function runNameElement(name: RunName, className: string): HTMLElement {
  const line = el('span', className);
  line.append(el('span', 'run-name-family', name.family));
  if (name.lead.length + name.rest.length > 0) line.append(' ', runParamsElement(name, 'run-name-params'));
  return line;
}
