// Feeds the graph view each family's typical duration (durations.ts) from the run logs and the
// debugger pauses this workspace recorded: when the view is ready and after every run.
import type * as vscode from 'vscode';
import type { GraphHostMessage } from '../webview/src/messages';
import type { Ctx } from './context';
import { familyDurations } from './durations';
import { readRunTimings } from './durationsHistory';
import { workspaceRunsDirs } from './history';
import { PauseLog } from './pauseLog';

export class GraphDurationsFeed implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[];
  private readonly pauses: PauseLog;
  private seq = 0;

  constructor(
    private readonly ctx: Ctx,
    private readonly post: (message: GraphHostMessage) => void,
  ) {
    this.pauses = new PauseLog(ctx.extension.workspaceState);
    this.disposables = [ctx.runs.onDidEnd(() => void this.resend())];
  }

  async resend(): Promise<void> {
    const seq = ++this.seq;
    try {
      const runs = await readRunTimings(await workspaceRunsDirs());
      if (seq !== this.seq) return;
      this.post({ type: 'durations', durations: familyDurations(runs, this.pauses.pauses) });
    } catch (error) {
      this.ctx.log.debug(`durations: ${(error as Error).message}`);
    }
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** Records debugger pauses for the whole session (graph open or not). */
export function recordDebuggerPauses(ctx: Ctx): vscode.Disposable[] {
  return new PauseLog(ctx.extension.workspaceState).follow(ctx.runs);
}
