// "Rerun downstream…", "Rerun upstream…", "Rerun failed…" on a task (graph context menu, Plumb tree,
// command palette): asks the runtime what the rerun would run again and replace (`plumb rerun
// --list --json`), shows it on the graph, asks for confirmation, then runs it in the Run view.
import * as vscode from 'vscode';
import type { TaskInfo } from '../../server/src/protocol';
import { cliListing } from './cliListing';
import type { Ctx } from './context';
import { GraphPanel } from './graphPanel';
import { LiveRun } from './liveRun';
import { requestGraph } from './lspRequests';
import { askTaskParams } from './paramPrompt';
import {
  blastRadiusOf,
  downstreamRoots,
  rerunArguments,
  rerunWindow,
  type RerunListing,
  type RerunMode,
  type RerunRequest,
} from './rerunModel';
import { refuseIfUntrusted, reportRunEnd, runCwd } from './run';
import { RunPanel } from './runPanel';
import { RunProcess } from './runProcess';
import { resolveTask } from './taskArgument';

const DATED = ['date', 'hour', 'datetime', 'dateInterval'];
/** A root's parameter of these kinds, left out, runs for each day (hour) of the window (rerun-cli.ts). */
const EXPANDED = ['date', 'hour'];
const TITLES: Record<RerunMode, string> = {
  downstream: 'Rerun Downstream',
  upstream: 'Rerun Upstream',
  failed: 'Rerun Failed',
};

export async function rerunTask(ctx: Ctx, arg: unknown, mode: RerunMode): Promise<void> {
  if (refuseIfUntrusted()) return;
  if (ctx.runs.current) {
    void vscode.window.showWarningMessage('Plumb: a run is still going; cancel it first.');
    return;
  }
  const task = await resolveTask(ctx, arg, TITLES[mode]);
  if (!task) return;
  const roots = mode === 'downstream' ? await pickRoots(ctx, task) : [task];
  if (!roots) return;
  const window = await askWindow(ctx, task, roots);
  if (!window) return;
  const request: RerunRequest = { file: vscode.Uri.parse(task.uri).fsPath, mode, roots: [], ...window };
  if (mode === 'downstream') request.from = task.family;
  for (const root of roots) {
    if (!root.exported) {
      void vscode.window.showWarningMessage(
        `Plumb: ${root.family} is not exported: the runtime cannot run it.`,
      );
      return;
    }
    // With a window, a root's date parameter is left to the runtime: it runs each day of the window.
    const asked = window.since
      ? {
          ...root,
          params: root.params.filter((p) => !EXPANDED.includes(p.type) || p.defaultText !== undefined),
        }
      : root;
    const params = await askTaskParams(ctx.extension.workspaceState, asked);
    if (!params) return;
    request.roots.push({ family: root.family, params });
  }
  const listing = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Plumb: what would ${TITLES[mode].toLowerCase()} replace…`,
    },
    () => listRerun(ctx, request),
  );
  if (!listing) return;
  const radius = blastRadiusOf(listing, task.family);
  const panel = GraphPanel.show(ctx, { uri: task.uri, family: task.family }, -1);
  panel.showBlastRadius(radius);
  try {
    if (listing.counts.tasks === 0) {
      void vscode.window.showInformationMessage(`Plumb: ${radius.text}. Nothing to rerun.`);
      return;
    }
    if (listing.unmovable.length > 0) {
      void vscode.window.showErrorMessage(
        `Plumb: cannot rerun: ${listing.unmovable.map((u) => u.output).join(', ')} cannot be moved aside (only files and directories can).`,
      );
      return;
    }
    if (!(await confirm(listing, radius.text))) return;
  } finally {
    // Shown until the answer: the run's own statuses colour the graph from here on.
    panel.showBlastRadius(null);
  }
  if (vscode.workspace.getConfiguration('plumb').get<boolean>('run.revealPanel', true))
    RunPanel.show(ctx, true);
  startRerun(ctx, request);
}

/** The roots a downstream rerun looks in: the families downstream of `task` that nothing requires. */
async function pickRoots(ctx: Ctx, task: TaskInfo): Promise<TaskInfo[] | undefined> {
  const client = await ctx.readyClient();
  const graph = await requestGraph(client, { focus: { uri: task.uri, family: task.family }, depth: -1 });
  const ids = graph ? downstreamRoots(graph, task.id) : [task.id];
  const candidates = (graph?.nodes ?? []).filter((n) => ids.includes(n.id) && !n.abstract);
  if (candidates.length <= 1) return candidates.length ? candidates : [task];
  const picked = await vscode.window.showQuickPick(
    candidates.map((t) => ({
      label: t.family,
      description: vscode.workspace.asRelativePath(vscode.Uri.parse(t.uri)),
      picked: true,
      task: t,
    })),
    {
      title: `Plumb: Rerun downstream of ${task.family} — within which pipelines?`,
      placeHolder: 'The tasks downstream of it that nothing else requires',
      canPickMany: true,
      ignoreFocusOut: true,
    },
  );
  return picked?.length ? picked.map((p) => p.task) : undefined;
}

/** A date window when the task or a root has a date-like parameter; {} for every date. */
async function askWindow(
  ctx: Ctx,
  task: TaskInfo,
  roots: TaskInfo[],
): Promise<{ since?: string; until?: string } | undefined> {
  if (![task, ...roots].some((t) => t.params.some((p) => DATED.includes(p.type)))) return {};
  const key = `plumb.rerun.window.${task.id}`;
  const typed = await vscode.window.showInputBox({
    title: `Plumb: rerun ${task.family} — which dates?`,
    prompt:
      'Only tasks whose date falls in the window rerun; roots without a date run for each day of it. Empty: every date.',
    placeHolder: '2026-11-01..2026-11-07',
    value: ctx.extension.workspaceState.get<string>(key) ?? '',
    ignoreFocusOut: true,
    validateInput: (value) => {
      const result = rerunWindow(value);
      return 'error' in result ? result.error : undefined;
    },
  });
  if (typed === undefined) return undefined;
  const window = rerunWindow(typed);
  if ('error' in window) return undefined;
  await ctx.extension.workspaceState.update(key, typed.trim());
  return window;
}

/** The runtime's own answer: the tasks, and the outputs that would be replaced. Changes nothing. */
function listRerun(ctx: Ctx, request: RerunRequest): Promise<RerunListing | undefined> {
  return cliListing<RerunListing>(ctx, rerunArguments(request, 'list'), runCwd(request.file), 'rerun');
}

/** A modal with the counts and the first outputs that would be replaced. */
async function confirm(listing: RerunListing, text: string): Promise<boolean> {
  const shown = listing.outputs.slice(0, 12).map((o) => `• ${vscode.workspace.asRelativePath(o.path)}`);
  const more = listing.outputs.length - shown.length;
  const detail = [
    `${listing.counts.tasks} tasks run again: ${listing.tasks
      .slice(0, 6)
      .map((t) => t.id)
      .join(', ')}${listing.tasks.length > 6 ? ', …' : ''}`,
    '',
    listing.outputs.length
      ? 'Outputs replaced (moved aside first, put back if the rerun fails or is cancelled):'
      : 'No output exists yet: nothing is replaced.',
    ...shown,
    ...(more > 0 ? [`… and ${more} more`] : []),
  ].join('\n');
  const choice = await vscode.window.showWarningMessage(text, { modal: true, detail }, 'Rerun');
  return choice === 'Rerun';
}

/** Runs `plumb rerun … --events jsonl` in the Run view, as Run does with `plumb run`. */
function startRerun(ctx: Ctx, request: RerunRequest): LiveRun {
  const cwd = runCwd(request.file);
  const args = rerunArguments(request, 'events');
  ctx.runOutput.appendLine(`[plumb] ${ctx.nodePath} ${ctx.cliPath} ${args.join(' ')}  (in ${cwd})`);
  const graceMs = vscode.workspace.getConfiguration('plumb').get<number>('run.cancelGraceMs', 5000);
  const started: { process?: RunProcess } = {};
  const root = request.roots[0]!;
  const live = new LiveRun(
    { file: request.file, family: root.family, params: root.params, unit: false },
    'run',
    cwd,
    () => started.process?.cancel(graceMs),
  );
  started.process = new RunProcess({
    nodePath: ctx.nodePath,
    cliPath: ctx.cliPath,
    args,
    cwd,
    onEvents: (events) => live.feed(events),
    onOutput: (text) => ctx.runOutput.append(text),
  });
  ctx.runs.begin(live);
  void started.process.exited.then((exit) => {
    ctx.runs.end(live);
    reportRunEnd(ctx, live, exit);
    reportPutBack(live);
  });
  return live;
}

/** Says what a rerun that did not succeed put back (the runtime's rerun-settled event). */
function reportPutBack(live: LiveRun): void {
  const settled = live.events.find((e) => e.type === 'rerun-settled');
  if (settled?.type !== 'rerun-settled') return;
  if (settled.stuck.length > 0) {
    void vscode.window.showErrorMessage(
      `Plumb: the rerun did not succeed and ${settled.stuck.length} replaced outputs could not be put back; run \`plumb rerun --recover\` in the project.`,
    );
  } else if (settled.restored.length > 0) {
    void vscode.window.showInformationMessage(
      `Plumb: the rerun did not succeed; the ${settled.restored.length} outputs it had not produced again were put back (${settled.replaced.length} new ones kept).`,
    );
  }
}
