// A family's node in the run graph's family view: the family, how many instances it stands for and
// how they stand; a click expands it into its instances.
import type { TaskStatus } from '../../../../runtime/src/events';
import { breakableName } from '../dag/nameBreaks';
import { codicon, el } from '../shared/dom';
import { groupStatus, statusCounts } from './familyView';
import { STATUS_ICON } from './statusIcons';

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

export function updateFamilyNode(root: HTMLElement, statuses: TaskStatus[]): void {
  const status = groupStatus(statuses);
  if (root.dataset.status !== status) {
    root.dataset.status = status;
    const icon = root.querySelector<HTMLElement>('.status-icon')!;
    icon.dataset.status = status;
    icon.replaceChildren(codicon(STATUS_ICON[status]));
  }
  const meta = root.querySelector<HTMLElement>('.run-meta')!;
  const text = statusCounts(statuses);
  if (meta.textContent !== text) meta.textContent = text;
}
