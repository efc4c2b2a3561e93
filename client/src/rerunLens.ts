// Two client lenses over each runnable task class: "Rerun…" (downstream, upstream or failed, then
// the blast radius and a confirmation: rerun.ts) and, once it has run, its typical duration with the
// trend of its last runs in the tooltip (durations.ts). Both come from the task index and the run
// logs, not from the language server.
import * as vscode from 'vscode';
import type { NodeDuration } from '../webview/src/messages';
import { durationTooltip } from '../webview/src/graph/durationText';
import type { Ctx } from './context';
import { durationLensTitle, familyDurations } from './durations';
import { readRunTimings } from './durationsHistory';
import { workspaceRunsDirs } from './history';
import { PauseLog } from './pauseLog';
import { rerunTask } from './rerun';

export const RERUN_PICK = 'plumb.rerunPick';

class RerunLenses implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private durations: Record<string, NodeDuration> = {};

  constructor(private readonly ctx: Ctx) {}

  refresh(): void {
    this.changed.fire();
  }

  async reloadDurations(): Promise<void> {
    try {
      const runs = await readRunTimings(await workspaceRunsDirs());
      this.durations = familyDurations(runs, new PauseLog(this.ctx.extension.workspaceState).pauses);
      this.changed.fire();
    } catch (error) {
      this.ctx.log.debug(`duration lenses: ${(error as Error).message}`);
    }
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.getConfiguration('plumb').get<boolean>('codeLens.enabled', true)) return [];
    const uri = document.uri.toString();
    const lenses: vscode.CodeLens[] = [];
    for (const task of this.ctx.tasks.all) {
      if (task.uri !== uri || task.abstract || task.kind === 'external') continue;
      const { line, character } = task.nameRange.start;
      const range = new vscode.Range(line, character, line, character);
      if (vscode.workspace.isTrusted && task.exported) {
        lenses.push(
          new vscode.CodeLens(range, {
            title: '$(debug-rerun) Rerun…',
            tooltip:
              'Run it again with what it affects (downstream, upstream or the failed), after showing what would be replaced',
            command: RERUN_PICK,
            arguments: [{ uri: task.uri, family: task.family }],
          }),
        );
      }
      const d = this.durations[task.family];
      if (d) {
        lenses.push(
          new vscode.CodeLens(range, {
            title: durationLensTitle(d),
            tooltip: durationTooltip(task.family, d),
            command: 'plumb.showTaskGraph',
            arguments: [{ uri: task.uri, family: task.family }],
          }),
        );
      }
    }
    return lenses;
  }
}

export function registerRerunLenses(ctx: Ctx): vscode.Disposable[] {
  const lenses = new RerunLenses(ctx);
  void lenses.reloadDurations();
  return [
    vscode.languages.registerCodeLensProvider(
      [
        { scheme: 'file', language: 'typescript' },
        { scheme: 'file', language: 'javascript' },
      ],
      lenses,
    ),
    ctx.tasks.onDidChange(() => lenses.refresh()),
    ctx.runs.onDidEnd(() => void lenses.reloadDurations()),
    vscode.commands.registerCommand(RERUN_PICK, async (arg: unknown) => {
      const picked = await vscode.window.showQuickPick(
        [
          {
            label: '$(arrow-down) Rerun downstream…',
            detail: 'It and every task that depends on it',
            mode: 'downstream' as const,
          },
          {
            label: '$(arrow-up) Rerun upstream…',
            detail: 'It and everything it requires',
            mode: 'upstream' as const,
          },
          {
            label: '$(error) Rerun failed…',
            detail: 'The tasks under it whose last run failed, and what depends on them',
            mode: 'failed' as const,
          },
        ],
        { title: 'Plumb: Rerun' },
      );
      try {
        if (picked) await rerunTask(ctx, arg, picked.mode);
      } catch (error) {
        ctx.log.error(`rerun failed: ${(error as Error).stack ?? error}`);
        void vscode.window.showErrorMessage(`Plumb: ${(error as Error).message}`);
      }
    }),
  ];
}
