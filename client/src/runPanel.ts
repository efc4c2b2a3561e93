// The "Plumb Run" panel: the live run (or a replayed past one) streamed into the run webview.
import path from 'node:path';
import * as vscode from 'vscode';
import type { RunEvent } from '../../runtime/src/events';
import type { RunHostMessage, RunViewMessage, RunViewState } from '../webview/src/messages';
import type { Ctx } from './context';
import { EventBatcher } from './eventBatcher';
import { findRunFile, workspaceRunsDirs } from './history';
import { readRunEvents, readRunHistory } from './runHistory';
import { revealTask } from './taskArgument';
import { fillWebview, webviewOptions } from './webviewContent';
import { fileInsideFolders } from './workspaceContainment';

export const runViewType = 'plumb.run';
const title = 'Plumb Run';
/** Big replays go in slices so no single message is huge. */
const replaySlice = 5000;

export class RunPanel implements vscode.Disposable {
  private static current: RunPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly batcher: EventBatcher<RunEvent>;
  /** The run on show: the live one, or a replay of a past one. */
  private shown: { runId: string; live: boolean } | null = null;
  /** False while the user looks at a past run: live events then do not pull the view away. */
  private followingLive = true;
  private ready = false;

  static show(ctx: Ctx, preserveFocus = true): RunPanel {
    if (RunPanel.current) {
      RunPanel.current.panel.reveal(undefined, preserveFocus);
      return RunPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(
      runViewType,
      title,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
      webviewOptions(ctx),
    );
    return new RunPanel(ctx, panel, null);
  }

  static restore(ctx: Ctx, panel: vscode.WebviewPanel, state: RunViewState | undefined): RunPanel {
    RunPanel.current?.dispose();
    return new RunPanel(ctx, panel, state?.runId ?? null);
  }

  private constructor(
    private readonly ctx: Ctx,
    readonly panel: vscode.WebviewPanel,
    private restoredRunId: string | null,
  ) {
    RunPanel.current = this;
    fillWebview(ctx, panel.webview, 'run', title);
    this.batcher = new EventBatcher<RunEvent>((events) => {
      if (this.shown) this.post({ type: 'run-events', runId: this.shown.runId, events });
    });
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.onDidChangeViewState(() => {
        // A hidden webview's page is torn down: post nothing until it says ready again.
        if (!panel.visible) this.ready = false;
      }),
      panel.webview.onDidReceiveMessage((m: RunViewMessage) => void this.onMessage(m)),
      ctx.runs.onDidStart(() => {
        this.followingLive = true;
        this.showLive();
      }),
      ctx.runs.onDidUpdate(({ run, events }) => {
        if (!this.ready || !this.followingLive) return;
        // The first events name the run: (re)start showing it under its real id.
        if (this.shown?.live && this.shown.runId === run.runId) this.batcher.add(events);
        else this.showLive();
      }),
      ctx.runs.onDidChangePause((run) => {
        // The header says "paused" as the status bar does (a breakpoint before any task started too).
        if (this.ready && this.shown?.runId === run.runId)
          this.post({ type: 'run-paused', runId: run.runId, paused: run.paused });
      }),
      ctx.runs.onDidEnd(() => {
        this.batcher.flushNow();
        void this.postHistory();
      }),
    );
  }

  private post(message: RunHostMessage): void {
    void this.panel.webview.postMessage(message);
  }

  /**
   * Shows the run in progress (or the session's latest, if it already ended) from its first event:
   * a panel opened mid-run, or after a run shorter than the panel's start-up, catches up.
   */
  showLive(): void {
    const run = this.ctx.runs.latest;
    if (!run || !this.ready) return;
    this.followingLive = true;
    this.batcher.dispose();
    this.shown = { runId: run.runId, live: true };
    this.post({ type: 'run-reset', runId: run.runId, live: !run.ended });
    if (run.paused) this.post({ type: 'run-paused', runId: run.runId, paused: true });
    this.postSliced(run.runId, run.events);
  }

  async replay(runId: string): Promise<void> {
    const file = await findRunFile(runId);
    if (!file) {
      void vscode.window.showWarningMessage(`Plumb: run ${runId} is not in .plumb/runs any more.`);
      return;
    }
    let events: RunEvent[];
    try {
      events = await readRunEvents(file.path);
    } catch (error) {
      // A log too large to hold, or gone since it was listed: say so rather than fail silently.
      void vscode.window.showWarningMessage(
        `Plumb: cannot replay run ${runId}: ${(error as Error).message}.`,
      );
      return;
    }
    if (!this.ready) {
      this.restoredRunId = runId;
      return;
    }
    this.batcher.dispose();
    this.followingLive = false;
    this.shown = { runId, live: false };
    this.post({ type: 'run-reset', runId, live: false });
    this.postSliced(runId, events);
  }

  private postSliced(runId: string, events: readonly RunEvent[]): void {
    for (let i = 0; i < events.length; i += replaySlice) {
      this.post({ type: 'run-events', runId, events: events.slice(i, i + replaySlice) });
    }
  }

  async postHistory(): Promise<void> {
    if (!this.ready) return;
    try {
      const history = await readRunHistory(await workspaceRunsDirs());
      this.post({ type: 'run-history', runs: history.runs, durations: history.durations });
    } catch (error) {
      this.ctx.log.warn(`reading run history failed: ${(error as Error).message}`);
    }
  }

  private async onMessage(message: RunViewMessage): Promise<void> {
    switch (message.type) {
      case 'ready': {
        // Also after the panel was hidden and shown again: its page was rebuilt and shows nothing.
        const previous = this.shown;
        this.ready = true;
        this.shown = null;
        const replayId = this.restoredRunId ?? (previous && !this.followingLive ? previous.runId : null);
        this.restoredRunId = null;
        if (replayId && !this.ctx.runs.current) await this.replay(replayId);
        else this.showLive();
        await this.postHistory();
        break;
      }
      case 'cancel':
        if (this.ctx.runs.current?.runId === message.runId) this.ctx.runs.current.cancel();
        break;
      case 'open-task':
        await this.openTask(message.family);
        break;
      case 'open-run':
        await this.replay(message.runId);
        break;
      case 'rerun':
        await this.rerun(message.runId);
        break;
    }
  }

  /**
   * Reveals a task's class, only inside the workspace folders: the family name comes from a run log
   * (data), and the class the server finds for it could be in any open document.
   */
  private async openTask(family: string): Promise<void> {
    const task =
      this.ctx.tasks.byFamily(family)[0] ?? (await this.ctx.tasks.refresh()).find((t) => t.family === family);
    if (!task) {
      void vscode.window.showWarningMessage(`Plumb: no class ${family} in this workspace.`);
      return;
    }
    const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
    const checked = await fileInsideFolders(task.uri, folders);
    if ('refused' in checked) {
      this.ctx.log.warn(`run view asked to open ${family} at ${task.uri}: refused (${checked.refused})`);
      return;
    }
    await revealTask(task);
  }

  /**
   * Runs the same root with the same parameters again. Rerunning "failed" is the same command: the
   * runtime skips every task whose outputs exist, so only what failed or was blocked runs again.
   */
  private async rerun(runId: string): Promise<void> {
    const file = await findRunFile(runId);
    const started = file ? (await readRunEvents(file.path)).find((e) => e.type === 'run-started') : undefined;
    if (!started || started.type !== 'run-started') {
      void vscode.window.showWarningMessage(
        `Plumb: cannot rerun ${runId}: its log has no run-started event.`,
      );
      return;
    }
    const module = path.resolve(started.cwd, started.module);
    await vscode.commands.executeCommand('plumb.rerun', {
      file: module,
      family: started.family,
      params: started.params,
      unit: started.unit,
    });
  }

  dispose(): void {
    if (RunPanel.current === this) RunPanel.current = undefined;
    this.batcher.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}

export function registerRunSerializer(ctx: Ctx): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(runViewType, {
    async deserializeWebviewPanel(panel, state: RunViewState | undefined) {
      panel.webview.options = webviewOptions(ctx);
      RunPanel.restore(ctx, panel, state);
    },
  });
}
