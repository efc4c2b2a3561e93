// Feeds the graph view the plan of its task (what Run would do), from the runtime: the graph's focus,
// or on the whole-workspace graph the task last clicked. Asked when the graph is shown or that task
// changes, again after a save or a run; a newer request supersedes an older one, and the last plan
// stays shown (marked pending) until its replacement arrives.
import type * as vscode from 'vscode';
import type { Range } from '../../server/src/protocol';
import type { GraphHostMessage, GraphPlan } from '../webview/src/messages';
import type { Ctx } from './context';
import { graphPlan } from './planModel';
import { planRequestFor, plansEnabled, PlanService } from './planService';

export class GraphPlanFeed implements vscode.Disposable {
  private focus: { uri: string; family: string } | null = null;
  /** The plan of Run This Task Only (unit mode) instead of Run's, as the view's legend chose. */
  private unit = false;
  /** The task clicked last: the plan's task where the graph has no focus. */
  private selected: { uri: string; family: string } | null = null;
  private shown: GraphPlan | null = null;
  private seq = 0;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly ctx: Ctx,
    private readonly post: (message: GraphHostMessage) => void,
  ) {
    this.disposables.push(
      PlanService.of(ctx).onDidChange((change) => change === 'stale' && void this.refresh()),
    );
  }

  /** The graph shows `focus` now (null: the whole workspace: the plan is the clicked task's). */
  show(focus: { uri: string; family: string } | null): void {
    const before = this.target();
    this.focus = focus;
    this.retarget(before);
  }

  /** A task was clicked (its class name's range): the plan's task when the graph has no focus. */
  select(uri: string, nameRange: Range): void {
    const task = this.ctx.tasks.all.find(
      (t) =>
        t.uri === uri &&
        t.nameRange.start.line === nameRange.start.line &&
        t.nameRange.start.character === nameRange.start.character,
    );
    if (!task) return;
    const before = this.target();
    this.selected = { uri: task.uri, family: task.family };
    this.retarget(before);
  }

  private target(): { uri: string; family: string } | null {
    return this.focus ?? this.selected;
  }

  private retarget(before: { uri: string; family: string } | null): void {
    const now = this.target();
    // The graph changes with every keystroke; the plan only with a save, a run or another task.
    if (now?.uri === before?.uri && now?.family === before?.family && this.shown) return;
    this.shown = null;
    void this.refresh();
  }

  /** The legend switched between Run and Run This Task Only. */
  setUnit(unit: boolean): void {
    if (unit === this.unit) return;
    this.unit = unit;
    this.shown = null;
    void this.refresh();
  }

  /** The view was (re)loaded: it needs what was shown again. */
  resend(): void {
    this.post({ type: 'plan', plan: this.shown });
  }

  async refresh(): Promise<void> {
    const seq = ++this.seq;
    const focus = this.target();
    if (!focus || !plansEnabled()) return this.send(seq, null);
    const task =
      this.ctx.tasks.find(focus.uri, focus.family) ??
      (await this.ctx.tasks.refresh()).find((t) => t.uri === focus.uri && t.family === focus.family);
    if (seq !== this.seq) return;
    if (!task) return this.send(seq, null);
    const unit = this.unit;
    const request = planRequestFor(this.ctx, task, unit);
    if ('reason' in request)
      return this.send(seq, {
        target: task.family,
        status: 'unavailable',
        unit,
        families: {},
        text: request.reason,
      });
    const service = PlanService.of(this.ctx);
    const cached = service.peek(request);
    if (!cached || cached.stale) {
      const before = this.shown?.target === task.family && this.shown.unit === unit ? this.shown : null;
      this.send(seq, {
        target: task.family,
        status: 'pending',
        unit,
        families: before?.families ?? {},
        ...(before?.counts ? { counts: before.counts } : {}),
        text: 'Asking the runtime what Run would do…',
      });
    }
    const result = await service.request(request, 'graph');
    if (!result || seq !== this.seq) return;
    this.send(
      seq,
      result.kind === 'plan'
        ? graphPlan(task.family, result.plan)
        : { target: task.family, status: 'unavailable', unit, families: {}, text: result.reason },
    );
  }

  private send(seq: number, plan: GraphPlan | null): void {
    if (seq !== this.seq) return;
    this.shown = plan;
    this.post({ type: 'plan', plan });
  }

  dispose(): void {
    this.seq++;
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
