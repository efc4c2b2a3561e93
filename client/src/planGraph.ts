// Feeds the graph view the plan of its focus task (what Run would do), from the runtime: asked when
// the graph is shown or its focus changes, again after a save or a run; a newer request supersedes
// an older one, and the last plan stays shown (marked pending) until its replacement arrives.
import type * as vscode from 'vscode';
import type { GraphHostMessage, GraphPlan } from '../webview/src/messages';
import type { Ctx } from './context';
import { graphPlan } from './planModel';
import { planRequestFor, plansEnabled, PlanService } from './planService';

export class GraphPlanFeed implements vscode.Disposable {
  private focus: { uri: string; family: string } | null = null;
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

  /** The graph shows `focus` now (null: the whole workspace, which has no one Run). */
  show(focus: { uri: string; family: string } | null): void {
    const same = focus?.uri === this.focus?.uri && focus?.family === this.focus?.family;
    // The graph changes with every keystroke; the plan only with a save, a run or another focus.
    if (same && this.shown) return;
    this.focus = focus;
    this.shown = null;
    void this.refresh();
  }

  /** The view was (re)loaded: it needs what was shown again. */
  resend(): void {
    this.post({ type: 'plan', plan: this.shown });
  }

  async refresh(): Promise<void> {
    const seq = ++this.seq;
    const focus = this.focus;
    if (!focus || !plansEnabled()) return this.send(seq, null);
    const task =
      this.ctx.tasks.find(focus.uri, focus.family) ??
      (await this.ctx.tasks.refresh()).find((t) => t.uri === focus.uri && t.family === focus.family);
    if (seq !== this.seq) return;
    if (!task) return this.send(seq, null);
    const request = planRequestFor(this.ctx, task);
    if ('reason' in request)
      return this.send(seq, {
        target: task.family,
        status: 'unavailable',
        families: {},
        text: request.reason,
      });
    const service = PlanService.of(this.ctx);
    const cached = service.peek(request);
    if (!cached || cached.stale) {
      const before = this.shown?.target === task.family ? this.shown : null;
      this.send(seq, {
        target: task.family,
        status: 'pending',
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
        : { target: task.family, status: 'unavailable', families: {}, text: result.reason },
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
