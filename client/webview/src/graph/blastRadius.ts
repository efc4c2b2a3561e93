// Blast radius: before a rerun, the tasks it would run again highlighted on the graph (per family:
// how many tasks, how many outputs replaced), the rest dimmed, and a banner with the counts. Also
// gives each node the data VS Code's webview context menu passes to the Rerun commands.
import type { BlastRadius } from '../messages';
import { el } from '../shared/dom';
import './blastRadius.css';

export interface RadiusNode {
  id: string;
  family: string;
  uri: string;
  kind: string;
}

/** "3 tasks · 3 outputs" for one family's badge. */
export function familyRadiusText(entry: { tasks: number; outputs: number }): string {
  const n = (k: number, w: string) => `${k} ${w}${k === 1 ? '' : 's'}`;
  return `rerun ${n(entry.tasks, 'task')} · ${n(entry.outputs, 'output')}`;
}

export class BlastRadiusOverlay {
  readonly banner = el('div', 'blast-banner');
  private radius: BlastRadius | null = null;

  constructor() {
    this.banner.hidden = true;
    this.banner.setAttribute('role', 'status');
  }

  set(radius: BlastRadius | null): void {
    this.radius = radius;
    this.banner.hidden = radius === null;
    this.banner.textContent = radius ? radius.text : '';
    if (radius) this.banner.dataset.mode = radius.mode;
  }

  /** Marks every node (call after each render); every node also gets its context-menu data. */
  apply(nodes: readonly RadiusNode[], elementOf: (id: string) => HTMLElement | undefined): void {
    const radius = this.radius;
    for (const node of nodes) {
      const element = elementOf(node.id);
      if (!element) continue;
      // VS Code's webview/context menu passes this object to the command (package.json menus).
      element.dataset.vscodeContext = JSON.stringify({
        webviewSection: node.kind === 'external' ? 'externalTask' : 'task',
        family: node.family,
        uri: node.uri,
        preventDefaultContextMenuItems: true,
      });
      const entry = radius?.families[node.family];
      if (!radius) {
        delete element.dataset.blast;
        element.removeAttribute('data-blast-label');
      } else {
        element.dataset.blast = entry ? (radius.seeds.includes(node.family) ? 'seed' : 'affected') : 'none';
        if (entry) element.setAttribute('data-blast-label', familyRadiusText(entry));
        else element.removeAttribute('data-blast-label');
      }
    }
  }
}
