// Draws a task's data-check results (checkResults.ts): the badge on its node, the list in its
// details panel, and the quarantine note beside its failure.
import { el } from '../shared/dom';
import { checkBadge, failedCheckNote, type CheckResult } from './checkResults';
import './checkList.css';

/** The node's badge ("✓ 2 checks"), or nothing for a task without checks. */
export function checkBadgeElement(checks: CheckResult[] | undefined): HTMLElement | undefined {
  const badge = checkBadge(checks);
  if (!badge) return undefined;
  const element = el('span', `check-badge check-${badge.kind}`, badge.text);
  element.dataset.checks = badge.kind;
  element.title = badge.title;
  return element;
}

/** Fills the details panel's checks section: one row per check; hidden without checks. */
export function renderCheckList(element: HTMLElement, checks: CheckResult[] | undefined): void {
  element.hidden = !checks || checks.length === 0;
  element.replaceChildren();
  if (!checks || checks.length === 0) return;
  element.append(el('div', 'log-checks-title', checks.length === 1 ? 'Data check' : 'Data checks'));
  const list = el('ul', 'log-check-list');
  for (const c of checks) {
    const item = el('li', `log-check check-${c.ok ? 'ok' : c.severity === 'warn' ? 'warn' : 'failed'}`);
    item.dataset.check = c.check;
    item.append(
      el('span', 'log-check-mark', c.ok ? '✓' : c.severity === 'warn' ? '⚠' : '✗'),
      el('span', 'log-check-name', c.check),
      el('span', 'log-check-outcome', `${c.ok ? 'ok' : 'failed'} · ${c.severity}`),
    );
    if (c.message) item.append(el('span', 'log-check-message', c.message));
    if (c.value !== undefined)
      item.append(el('span', 'log-check-value', `value ${c.value.toLocaleString('en')}`));
    list.append(item);
  }
  element.append(list);
}

/** The note under the task's error when an error check failed it: its outputs were moved aside. */
export function failedCheckElement(checks: CheckResult[] | undefined): HTMLElement[] {
  const note = failedCheckNote(checks);
  return note ? [el('div', 'error-check-note', note)] : [];
}
