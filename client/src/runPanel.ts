// The "Plumb Run" panel: the live run (or a replayed past one) streamed into the run webview.
import path from 'node:path';
import * as vscode from 'vscode';
import type { RunEvent } from '../../runtime/src/events';
import type { RunHostMessage, RunViewMessage, RunViewState } from '../webview/src/messages';
import type { Ctx } from './context';
import { EventBatcher } from './eventBatcher';
import { findRunFile, workspaceRunsDirs } from './history';
import { readRunEvents, readRunHistory } from './runHistory';
import { runToShow } from './runToShow';
import { revealTask } from './taskArgument';
import { fillWebview, webviewOptions } from './webviewContent';
import { createPanelReplacingRestored } from './hiddenRestoredTabs';
import { fileInsideFolders } from './workspaceContainment';
import { layoutSettingMessage, onLayoutSettingChange } from './layoutSetting';

export const runViewType = 'plumb.run';
const title = 'Plumb Run';
/** Big replays go in slices so no single message is huge. */
const replaySlice = 5000;
/** workspaceState key: the past run the person opened in the view (null once it follows a run). */
const openedRunKey = 'plumb.runView.openedRun';

export class RunPanel implements vscode.Disposable {
  private static current: RunPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly batcher: EventBatcher<RunEvent>;
  /** The run on show: the live one, or a replay of a past one. */
  private shown: { runId: string; live: boolean } | null = null;
  /** False while the user looks at a past run: live events then do not pull the view away. */
  private followingLive = true;
  private ready = false;
  /** A past run asked for before the page was ready: shown once it is. */
  private pendingReplay: string | null = null;

  static show(ctx: Ctx, preserveFocus = true): RunPanel {
    if (RunPanel.current) {
      RunPanel.current.panel.reveal(undefined, preserveFocus);
      return RunPanel.current;
    }
    const panel = createPanelReplacingRestored(runViewType, title, preserveFocus, webviewOptions(ctx));
    return new RunPanel(ctx, panel);
  }

  static restore(ctx: Ctx, panel: vscode.WebviewPanel, state: RunViewState | undefined): RunPanel {
    ctx.log.info(`run view restored (its saved state names run ${state?.runId ?? 'none'})`);
    RunPanel.current?.dispose();
    return new RunPanel(ctx, panel);
  }

  private constructor(
    private readonly ctx: Ctx,
    readonly panel: vscode.WebviewPanel,
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
      onLayoutSettingChange((message) => this.ready && this.post(message)),
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
    this.rememberOpened(null);
    this.batcher.dispose();
    this.shown = { runId: run.runId, live: true };
    this.post({ type: 'run-reset', runId: run.runId, live: !run.ended });
    if (run.paused) this.post({ type: 'run-paused', runId: run.runId, paused: true });
    this.postSliced(run.runId, run.events);
  }

  /**
   * Shows a past run: one the person opened (kept across reloads), the one shown before the page was
   * rebuilt ('again'), or the one a view with nothing of this session to show opens on ('restore').
   */
  async replay(runId: string, reason: 'opened' | 'again' | 'restore' = 'opened'): Promise<void> {
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
      if (reason === 'opened') this.pendingReplay = runId;
      return;
    }
    // A run started (or one was opened) while the log was read: the view shows that instead.
    if (reason === 'restore' && (this.shown || this.ctx.runs.latest)) return;
    if (reason === 'opened') this.rememberOpened(runId);
    this.batcher.dispose();
    this.followingLive = false;
    this.shown = { runId, live: false };
    this.post({ type: 'run-reset', runId, live: false });
    this.postSliced(runId, events);
  }

  /**
   * A view with no run of this session to show (after a reload, or opened before any run here)
   * shows the past run the person had opened, else the newest run on disk: never "No run yet"
   * while a run exists, whatever VS Code restored of the view's own state.
   */
  private async showLastOnDisk(): Promise<void> {
    try {
      const opened = this.ctx.extension.workspaceState.get<string | null>(openedRunKey);
      const choice = await runToShow(await workspaceRunsDirs(), this.ctx.runs.latest !== undefined, opened);
      if (choice.kind === 'past') await this.replay(choice.runId, 'restore');
      else if (choice.kind === 'live') this.showLive();
    } catch (error) {
      this.ctx.log.warn(`finding the last run failed: ${(error as Error).message}`);
    }
  }

  private rememberOpened(runId: string | null): void {
    const state = this.ctx.extension.workspaceState;
    if (state.get(openedRunKey) !== runId) void state.update(openedRunKey, runId);
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
        // Before the run's graph: its first layout is made with the engine the setting chose.
        this.post(layoutSettingMessage());
        this.shown = null;
        const pending = this.pendingReplay;
        this.pendingReplay = null;
        if (pending && !this.ctx.runs.current) await this.replay(pending, 'opened');
        else if (previous && !this.followingLive && !this.ctx.runs.current)
          await this.replay(previous.runId, 'again');
        else if (this.ctx.runs.latest) this.showLive();
        else await this.showLastOnDisk();
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
