// The status bar item: how many tasks the workspace has, and the progress of a run while one is going.
import * as vscode from 'vscode';
import type { Ctx } from './context';
import { runProgress } from './runState';
import { runStatusText, runStatusTooltip } from './runStatusText';

export class PlumbStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'plumb.status',
    vscode.StatusBarAlignment.Left,
    10,
  );
  private readonly disposables: vscode.Disposable[] = [];
  private serverState: 'starting' | 'running' | 'stopped' = 'starting';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastOutcome: { text: string; until: number } | undefined;

  constructor(private readonly ctx: Ctx) {
    this.item.name = 'Plumb';
    this.disposables.push(
      this.item,
      ctx.tasks.onDidChange(() => this.update()),
      ctx.runs.onDidStart(() => this.update()),
      ctx.runs.onDidUpdate(() => this.scheduleUpdate()),
      ctx.runs.onDidChangePause(() => this.update()),
      ctx.runs.onDidEnd((run) => {
        const finished = run.state.finished;
        const icon = finished?.outcome === 'success' ? '$(pass)' : '$(error)';
        this.lastOutcome = {
          text: `${icon} Plumb: ${run.request.family} ${finished?.outcome ?? 'ended'}`,
          until: Date.now() + 10_000,
        };
        setTimeout(() => this.update(), 10_050);
        this.update();
      }),
    );
    this.update();
    this.item.show();
  }

  setServerState(state: 'starting' | 'running' | 'stopped'): void {
    this.serverState = state;
    this.update();
  }

  private scheduleUpdate(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.update();
    }, 100);
  }

  private update(): void {
    const run = this.ctx.runs.current;
    if (run) {
      const status = {
        family: run.request.family,
        mode: run.mode,
        paused: run.paused,
        progress: runProgress(run.state),
      };
      this.item.text = runStatusText(status);
      this.item.tooltip = runStatusTooltip(status);
      this.item.command = 'plumb.showRun';
      return;
    }
    if (this.lastOutcome && Date.now() < this.lastOutcome.until) {
      this.item.text = this.lastOutcome.text;
      this.item.tooltip = 'The latest Plumb run. Click to show it.';
      this.item.command = 'plumb.showRun';
      return;
    }
    if (this.serverState !== 'running') {
      this.item.text = this.serverState === 'starting' ? '$(loading~spin) Plumb' : '$(circle-slash) Plumb';
      this.item.tooltip =
        this.serverState === 'starting'
          ? 'Plumb: the language server is starting.'
          : 'Plumb: the language server is stopped. Click to see its log.';
      this.item.command = 'plumb.showLog';
      return;
    }
    // Abstract base classes are not tasks anyone runs: the count matches the tree.
    const count = this.ctx.tasks.all.filter((t) => !t.abstract).length;
    this.item.text = `$(type-hierarchy) Plumb: ${count} ${count === 1 ? 'task' : 'tasks'}`;
    this.item.tooltip = 'Plumb: task families in this workspace. Click to show the pipeline graph.';
    this.item.command = 'plumb.showGraph';
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
