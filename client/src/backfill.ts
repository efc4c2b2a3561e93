// "Backfill…" on a task with a date-like parameter: asks for the window (and the task's other
// parameters), asks the runtime which instances are missing (`plumb backfill … --list`), shows
// them, and runs the backfill in the Run view like Run does.
import * as vscode from 'vscode';
import type { TaskInfo, TaskParamInfo } from '../../server/src/protocol';
import { backfillListArguments, backfillWindow, WINDOW_FORMS, type BackfillListing } from './backfillWindow';
import { cliListing } from './cliListing';
import type { Ctx } from './context';
import { prepareRunRequest, refuseIfUntrusted, runCwd, startRun } from './run';
import type { RunRequest } from './runCommandLine';
import { RunPanel } from './runPanel';
import { resolveTask } from './taskArgument';

/** The parameter kinds a range can go over (runtime/src/operations/range.ts). */
const RANGED = ['date', 'datetime', 'hour'];

export function rangedParams(task: TaskInfo): TaskParamInfo[] {
  return task.params.filter((p) => RANGED.includes(p.type));
}

export async function backfillTask(ctx: Ctx, arg: unknown): Promise<void> {
  if (refuseIfUntrusted()) return;
  const task = await resolveTask(ctx, arg, 'Backfill');
  if (!task) return;
  const ranged = rangedParams(task);
  if (ranged.length === 0) {
    void vscode.window.showInformationMessage(
      `Plumb: ${task.family} has no date, datetime or hour parameter to backfill over.`,
    );
    return;
  }
  let param = ranged[0]!;
  if (ranged.length > 1) {
    const picked = await vscode.window.showQuickPick(
      ranged.map((p) => ({ label: p.name, description: p.type, param: p })),
      { title: `Plumb: Backfill ${task.family} over which parameter?`, ignoreFocusOut: true },
    );
    if (!picked) return;
    param = picked.param;
  }
  const typed = await vscode.window.showInputBox({
    title: `Plumb: Backfill ${task.family} — the ${param.name} window`,
    prompt: `Every ${param.name} of the window that is not complete runs. ${WINDOW_FORMS}.`,
    placeHolder: '2026-11',
    value: ctx.extension.workspaceState.get<string>(`plumb.backfill.${task.id}`) ?? '',
    ignoreFocusOut: true,
    validateInput: (value) => {
      const result = backfillWindow(value);
      return 'error' in result ? result.error : undefined;
    },
  });
  if (typed === undefined) return;
  const window = backfillWindow(typed);
  if ('error' in window) return;
  await ctx.extension.workspaceState.update(`plumb.backfill.${task.id}`, typed.trim());
  // The request checks trust, a run in progress and the export; the ranged parameter is not asked.
  const base = await prepareRunRequest(
    ctx,
    { ...task, params: task.params.filter((p) => p !== param) },
    false,
  );
  if (!base) return;
  const request: RunRequest = {
    ...base,
    backfill: [...window.args, ...(ranged.length > 1 ? ['--of-param', param.name] : [])],
  };
  const listing = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Plumb: which ${param.name}s of ${task.family} are missing…`,
    },
    () => listMissing(ctx, request),
  );
  if (!listing) return;
  if (listing.missing === 0) {
    void vscode.window.showInformationMessage(
      `Plumb: all ${listing.instances.length} instances of ${task.family} from ${listing.start} to ${listing.stop} are complete; nothing to backfill.`,
    );
    return;
  }
  if (!(await confirm(listing))) return;
  if (vscode.workspace.getConfiguration('plumb').get<boolean>('run.revealPanel', true))
    RunPanel.show(ctx, true);
  startRun(ctx, request, 'run');
}

/** The runtime's own answer: which instances exist, which are missing (one listing per folder). */
function listMissing(ctx: Ctx, request: RunRequest): Promise<BackfillListing | undefined> {
  return cliListing<BackfillListing>(ctx, backfillListArguments(request), runCwd(request.file), 'backfill');
}

/** Shows the missing instances (and the complete ones, greyed) with "Run" first. */
async function confirm(listing: BackfillListing): Promise<boolean> {
  const run: vscode.QuickPickItem = {
    label: `$(play) Backfill ${listing.runNow} missing ${listing.param}${listing.runNow === 1 ? '' : 's'}`,
    description: `${listing.complete} of ${listing.instances.length} already complete`,
  };
  const items: vscode.QuickPickItem[] = [
    run,
    { label: 'missing', kind: vscode.QuickPickItemKind.Separator },
    ...listing.instances
      .filter((i) => !i.complete)
      .map((i) => ({ label: `$(circle-outline) ${i.value}`, description: i.id })),
    { label: 'complete', kind: vscode.QuickPickItemKind.Separator },
    ...listing.instances
      .filter((i) => i.complete)
      .map((i) => ({ label: `$(pass) ${i.value}`, description: i.id })),
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: `Plumb: Backfill ${listing.family} ${listing.start} … ${listing.stop}: ${listing.missing} missing`,
    placeHolder: 'Enter runs the backfill; Escape cancels',
    matchOnDescription: true,
    ignoreFocusOut: true,
  });
  return picked === run;
}
