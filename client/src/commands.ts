// Every Plumb command, in one table: id → what it does, given the shared context.
import * as vscode from 'vscode';
import { ClientCommands } from '../../server/src/protocol';
import type { Ctx } from './context';
import { startDebugRun } from './debug';
import { GraphPanel } from './graphPanel';
import { pickPastRun } from './history';
import { newPipelineProject } from './newProject';
import { restartLanguageServer } from './clientLifecycle';
import { backfillTask } from './backfill';
import { RUN_ON_CLUSTER, runOnCluster } from './clusterRun';
import { refreshSchedules } from './schedulesTree';
import { prepareRunRequest, refuseIfUntrusted, startRun } from './run';
import type { RunRequest } from './runCommandLine';
import { rerunTask } from './rerun';
import { RunPanel } from './runPanel';
import { resolveTask, revealTask } from './taskArgument';

type CommandHandler = (ctx: Ctx, ...args: unknown[]) => unknown;

function revealRunPanel(ctx: Ctx): void {
  if (vscode.workspace.getConfiguration('plumb').get<boolean>('run.revealPanel', true))
    RunPanel.show(ctx, true);
}

async function runCommand(ctx: Ctx, arg: unknown, mode: 'run' | 'unit' | 'debug'): Promise<void> {
  if (refuseIfUntrusted()) return;
  const purpose = { run: 'Run Task', unit: 'Run This Task Only', debug: 'Debug Task' }[mode];
  const task = await resolveTask(ctx, arg, purpose);
  if (!task) return;
  const request = await prepareRunRequest(ctx, task, mode === 'unit');
  if (!request) return;
  revealRunPanel(ctx);
  if (mode === 'debug') await startDebugRun(ctx, request);
  else startRun(ctx, request, mode);
}

export const commands: Record<string, CommandHandler> = {
  'plumb.showGraph': (ctx) => GraphPanel.show(ctx, null),
  [ClientCommands.graph]: async (ctx, arg) => {
    const task = await resolveTask(ctx, arg, 'Show Task Graph');
    if (task) GraphPanel.show(ctx, { uri: task.uri, family: task.family });
  },
  'plumb.findTaskInGraph': (ctx) => (GraphPanel.active ?? GraphPanel.show(ctx, null)).focusSearch(),
  [ClientCommands.run]: (ctx, arg) => runCommand(ctx, arg, 'run'),
  [ClientCommands.runUnit]: (ctx, arg) => runCommand(ctx, arg, 'unit'),
  [ClientCommands.debug]: (ctx, arg) => runCommand(ctx, arg, 'debug'),
  [RUN_ON_CLUSTER]: (ctx, arg) => runOnCluster(ctx, arg),
  [ClientCommands.backfill]: (ctx, arg) => backfillTask(ctx, arg),
  'plumb.refreshSchedules': () => refreshSchedules(),
  /** Internal (Schedules view): a past run by id, replayed in the Run panel (an SLA miss's run). */
  'plumb.showPastRun': (ctx, runId) => RunPanel.show(ctx, false).replay(String(runId)),
  // Blast radius: what the rerun replaces is shown on the graph and confirmed first (rerun.ts).
  'plumb.rerunDownstream': (ctx, arg) => rerunTask(ctx, arg, 'downstream'),
  'plumb.rerunUpstream': (ctx, arg) => rerunTask(ctx, arg, 'upstream'),
  'plumb.rerunFailed': (ctx, arg) => rerunTask(ctx, arg, 'failed'),
  /** Internal (Run panel): the same root and parameters as a past run. */
  'plumb.rerun': (ctx, arg) => {
    if (refuseIfUntrusted()) return;
    if (ctx.runs.current) {
      void vscode.window.showWarningMessage('Plumb: a run is still going; cancel it first.');
      return;
    }
    revealRunPanel(ctx);
    const request = arg as RunRequest;
    startRun(ctx, request, request.unit ? 'unit' : 'run');
  },
  'plumb.cancelRun': (ctx) => {
    if (ctx.runs.current) ctx.runs.current.cancel();
    else void vscode.window.showInformationMessage('Plumb: no run is going.');
  },
  'plumb.showRun': (ctx) => RunPanel.show(ctx, false),
  'plumb.openRunHistory': async (ctx) => {
    const runId = await pickPastRun(ctx);
    if (runId) await RunPanel.show(ctx, false).replay(runId);
  },
  /** Internal (Run panel): go to a task's class by family name. */
  'plumb.revealTask': async (ctx, family) => {
    const tasks = ctx.tasks.byFamily(String(family));
    const task = tasks[0] ?? (await ctx.tasks.refresh()).find((t) => t.family === family);
    if (task) await revealTask(task);
    else void vscode.window.showWarningMessage(`Plumb: no class ${String(family)} in this workspace.`);
  },
  'plumb.refreshTasks': (ctx) => ctx.tasks.refresh(),
  'plumb.restartServer': (ctx) => restartLanguageServer(ctx),
  'plumb.showLog': (ctx) => ctx.log.show(true),
  'plumb.newProject': (ctx) => newPipelineProject(ctx),
};

export function registerCommands(ctx: Ctx): void {
  for (const [id, handler] of Object.entries(commands)) {
    ctx.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          ctx.ensureServer();
          return await handler(ctx, ...args);
        } catch (error) {
          ctx.log.error(`${id} failed: ${(error as Error).stack ?? error}`);
          void vscode.window.showErrorMessage(`Plumb: ${(error as Error).message}`);
          return undefined;
        }
      }),
    );
  }
}
