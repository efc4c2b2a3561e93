// A family's node in the run graph's family view: the family, how many instances it stands for and
// how they stand, with their data checks and missed SLAs (familyMarks.ts); a click expands it into
// its instances.
import type { TaskStatus } from '../../../../runtime/src/events';
import { breakableName } from '../dag/nameBreaks';
import { codicon, el } from '../shared/dom';
import { familyCheckBadge, familySlaMark, type FamilyInstance } from './familyMarks';
import { groupStatus, statusCounts } from './familyView';
import { fillMeta, type MetaPart } from './runNodeMeta';
import { STATUS_ICON } from './statusIcons';
import './checkList.css';
import './slaBanner.css';

export function familyNodeElement(id: string, family: string, count: number): HTMLElement {
  const root = el('div', 'dag-node run-node family-node');
  root.dataset.taskId = id;
  root.dataset.family = family;
  root.dataset.group = String(count);
  root.tabIndex = 0;
  root.setAttribute('role', 'button');
  root.title = `${family}: ${count} instances (click to show each)`;
  const title = el('div', 'node-title');
  title.append(el('span', 'status-icon'), breakableName(family, 'node-family'));
  root.append(title, el('div', 'run-params', `×${count} instances`), el('div', 'run-meta'));
  return root;
}

export function updateFamilyNode(
  root: HTMLElement,
  instances: (FamilyInstance & { status: TaskStatus })[],
): void {
  const statuses = instances.map((i) => i.status);
  const status = groupStatus(statuses);
  if (root.dataset.status !== status) {
    root.dataset.status = status;
    const icon = root.querySelector<HTMLElement>('.status-icon')!;
    icon.dataset.status = status;
    icon.replaceChildren(codicon(STATUS_ICON[status]));
  }
  const checks = familyCheckBadge(instances);
  const sla = familySlaMark(instances);
  // Marks first, then the counts, most urgent first: what does not fit is dropped whole (runNodeMeta).
  const parts: MetaPart[] = [];
  if (checks) {
    const badge = el('span', `check-badge check-${checks.kind}`, checks.text);
    badge.dataset.checks = checks.kind;
    badge.title = checks.title;
    parts.push({ text: checks.text, element: badge });
  }
  if (sla) {
    const mark = el('span', 'sla-mark');
    mark.append(codicon('watch'), ` ${sla.text}`);
    mark.title = sla.title;
    parts.push({ text: mark.textContent ?? '', element: mark });
  }
  for (const count of statusCounts(statuses).split(' · ')) if (count) parts.push({ text: count });
  fillMeta(root.querySelector<HTMLElement>('.run-meta')!, parts);
  root.classList.toggle('sla-missed', sla !== undefined);
}
