// Builds one task family's node: family, kind, key parameters, output template, up/downstream
// counts, and the actions shown when it is selected.
import type { GraphNodeInfo } from '../../../../server/src/protocol';
import { breakableName } from '../dag/nameBreaks';
import { codicon, el, iconButton } from '../shared/dom';
import { describeNode } from './nodeContent';

export interface NodeActions {
  run(node: GraphNodeInfo, mode: 'run' | 'debug' | 'unit'): void;
  focus(node: GraphNodeInfo): void;
}

export function nodeElement(node: GraphNodeInfo, compact: boolean, actions: NodeActions): HTMLElement {
  const content = describeNode(node);
  const root = el('div', 'dag-node task-node');
  root.dataset.taskId = node.id;
  root.dataset.family = node.family;
  root.dataset.kind = node.kind;
  root.dataset.status = 'none';
  root.tabIndex = 0;
  root.setAttribute('role', 'button');
  root.setAttribute('aria-label', `${node.family} (${content.kindLabel})`);
  root.classList.toggle('in-cycle', content.inCycle);
  root.classList.toggle('missing-external', content.missingExternal);
  root.classList.toggle('abstract', node.abstract);

  const title = el('div', 'node-title');
  title.append(
    codicon(
      content.icon,
      content.missingExternal ? 'External data not found in the workspace' : content.kindLabel,
    ),
  );
  title.append(breakableName(content.family, 'node-family'));
  if (content.inCycle) title.append(codicon('sync', 'Part of a dependency cycle'));
  root.append(title);
  // A compact card is its title: what the panel can show readably when full cards would not fit.
  root.classList.toggle('compact', compact);
  if (compact) return root;

  if (content.params.length > 0) {
    const params = el('div', 'node-params');
    for (const p of content.params) {
      const line = el('div', 'node-param');
      line.append(el('span', 'param-name', p.name));
      if (p.value === undefined) line.append(el('span', 'param-unset', `: ${p.type} (required)`));
      else line.append(el('span', 'param-value', ` = ${p.value}`));
      // A long value is cut at the card's edge: the hover has it whole.
      line.title = `${p.name}: ${p.type}${p.value === undefined ? ' (required)' : ` = ${p.value}`}`;
      params.append(line);
    }
    if (content.moreParams > 0) params.append(el('div', 'node-more', `+${content.moreParams} more`));
    root.append(params);
  }
  if (content.output) {
    const output = el('div', 'node-output');
    output.append(codicon(content.outputIcon), el('span', 'output-template', content.output));
    output.title = content.output;
    root.append(output);
  }
  const footer = el('div', 'node-footer');
  const counts = el('span', 'node-counts', `↑${content.upstream} ↓${content.downstream}`);
  counts.title = `${content.upstream} upstream, ${content.downstream} downstream task families`;
  const buttons = el('span', 'node-actions');
  if (node.kind !== 'external' && !node.abstract) {
    buttons.append(
      iconButton('play', 'Run', () => actions.run(node, 'run')),
      iconButton('debug-alt', 'Debug', () => actions.run(node, 'debug')),
      iconButton('run-below', 'Run this task only', () => actions.run(node, 'unit')),
    );
  }
  buttons.append(iconButton('target', 'Show the neighbourhood of this task', () => actions.focus(node)));
  footer.append(counts, buttons);
  root.append(footer);
  return root;
}
