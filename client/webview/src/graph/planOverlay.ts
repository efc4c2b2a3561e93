// The plan overlay: before Run, each family's node marked with what the runtime's plan says Run
// would do with its tasks (complete, will run, blocked, skipped, broken; families the run would not
// touch dimmed), a legend with the counts, and the focus node's Run button saying how many will run.
import type { PlanTaskState } from '../../../../runtime/src/events';
import type { GraphPlan } from '../messages';
import { el } from '../shared/dom';
import './planOverlay.css';

const LABELS: Record<PlanTaskState, string> = {
  complete: 'complete',
  'will-run': 'will run',
  blocked: 'blocked',
  skipped: 'skipped',
  broken: 'broken',
};
const ORDER: PlanTaskState[] = ['will-run', 'complete', 'blocked', 'skipped', 'broken'];
const COUNT_KEYS: Record<PlanTaskState, 'willRun' | 'complete' | 'blocked' | 'skipped' | 'broken'> = {
  'will-run': 'willRun',
  complete: 'complete',
  blocked: 'blocked',
  skipped: 'skipped',
  broken: 'broken',
};

/** "3 will run · 1 complete": a family's tasks by state, for its badge's tooltip. */
export function familyCountsText(counts: Partial<Record<PlanTaskState, number>>): string {
  return ORDER.filter((s) => counts[s])
    .map((s) => `${counts[s]} ${LABELS[s]}`)
    .join(' · ');
}

/** The planned button's words for the plan's target: "Run (3 of 7 will run)". */
export function runButtonTitle(plan: GraphPlan): string {
  const base = runLabel(plan.unit);
  if (plan.status !== 'ready' || !plan.counts) return base;
  const { willRun, total, complete } = plan.counts;
  return total > 0 && complete === total
    ? `${base} (all complete)`
    : `${base} (${willRun} of ${total} will run)`;
}

/** The node button a plan is of: Run, or Run this task only (unit mode). */
function runLabel(unit: boolean): string {
  return unit ? 'Run this task only' : 'Run';
}

export interface OverlayNode {
  id: string;
  family: string;
}

export class PlanOverlay {
  readonly legend = el('div', 'plan-legend');
  private plan: GraphPlan | null = null;

  /** `choose`: the legend's switch between the plan of Run and of Run this task only. */
  constructor(private readonly choose: (unit: boolean) => void = () => undefined) {
    this.legend.hidden = true;
    this.legend.setAttribute('role', 'status');
  }

  set(plan: GraphPlan | null): void {
    this.plan = plan;
    this.drawLegend();
  }

  /** Marks every node (call after each render: nodes are new elements then). */
  apply(nodes: readonly OverlayNode[], elementOf: (id: string) => HTMLElement | undefined): void {
    const plan = this.plan;
    for (const node of nodes) {
      const element = elementOf(node.id);
      if (!element) continue;
      const entry = plan && plan.status !== 'unavailable' ? plan.families[node.family] : undefined;
      if (!plan || plan.status === 'unavailable') {
        delete element.dataset.plan;
        delete element.dataset.planLabel;
        element.removeAttribute('data-plan-counts');
      } else {
        element.dataset.plan = entry?.state ?? 'none';
        element.dataset.planLabel = entry ? LABELS[entry.state] : '';
        if (entry) element.setAttribute('data-plan-counts', familyCountsText(entry.counts));
        else element.removeAttribute('data-plan-counts');
      }
      element.classList.toggle('plan-pending', plan?.status === 'pending');
      // The node's own Run buttons (others add buttons to the same row): "Run (…)" once planned.
      for (const button of element.querySelectorAll<HTMLButtonElement>('.node-actions .icon-button')) {
        const label = button.getAttribute('aria-label') ?? '';
        const unit = /^Run this task only( \(|$)/.test(label);
        if (!unit && !/^Run( \(|$)/.test(label)) continue;
        const planned = plan && node.family === plan.target && plan.unit === unit;
        const title = planned ? runButtonTitle(plan) : runLabel(unit);
        button.title = title;
        button.setAttribute('aria-label', title);
      }
    }
  }

  private drawLegend(): void {
    const plan = this.plan;
    this.legend.replaceChildren();
    this.legend.hidden = plan === null;
    if (!plan) return;
    this.legend.dataset.status = plan.status;
    const modes = el('span', 'plan-modes');
    for (const unit of [false, true]) {
      const button = el('button', 'plan-mode', runLabel(unit));
      button.type = 'button';
      button.setAttribute('aria-pressed', String(plan.unit === unit));
      button.addEventListener('click', () => plan.unit !== unit && this.choose(unit));
      modes.append(button);
    }
    const head = el('div', 'plan-legend-text');
    head.append(
      modes,
      el('span', 'plan-text', plan.status === 'ready' ? `${plan.target}: ${plan.text}` : plan.text),
    );
    this.legend.append(head);
    if (plan.status === 'unavailable' || !plan.counts) return;
    const swatches = el('div', 'plan-legend-states');
    for (const state of ORDER) {
      const n = plan.counts[COUNT_KEYS[state]];
      if (state !== 'will-run' && state !== 'complete' && n === 0) continue;
      const item = el('span', 'plan-legend-item');
      item.dataset.plan = state;
      item.append(el('span', 'plan-swatch'), el('span', 'plan-legend-count', `${n} ${LABELS[state]}`));
      swatches.append(item);
    }
    this.legend.append(swatches);
  }
}
