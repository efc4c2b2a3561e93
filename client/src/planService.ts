// The extension's plans (planQueue.ts) for the graph and the Run lens: the runtime spawned like a
// run, plans marked stale when a file is saved, appears or goes away, or a run ends, and never a
// plan that would need a prompt or an untrusted workspace's code.
import * as vscode from 'vscode';
import type { TaskInfo } from '../../server/src/protocol';
import type { Ctx } from './context';
import { ParamMemory } from './paramMemory';
import { planParams, type PlanResult } from './planModel';
import { PlanQueue, spawnPlan, type PlanChange, type PlanPriority } from './planQueue';
import { runCwd } from './run';
import type { RunRequest } from './runCommandLine';
import { StalePacer } from './stalePacer';

/** plumb.plan.enabled: plans load the pipeline and call complete(), as a run does, so they can be off. */
export function plansEnabled(): boolean {
  return vscode.workspace.getConfiguration('plumb').get<boolean>('plan.enabled', true);
}

/** The run request a plan stands for, or why there is none (it never prompts for parameters). */
export function planRequestFor(ctx: Ctx, task: TaskInfo, unit = false): RunRequest | { reason: string } {
  if (!plansEnabled()) return { reason: 'plans are off (plumb.plan.enabled)' };
  if (!vscode.workspace.isTrusted) return { reason: 'a plan runs the workspace’s code: trust the workspace' };
  if (task.kind === 'external') return { reason: `${task.family} is external data: nothing to run` };
  if (!task.exported) return { reason: `${task.family} is not exported: the runtime cannot run it` };
  const values = planParams(task.params, new ParamMemory(ctx.extension.workspaceState).recall(task));
  if ('missing' in values)
    return {
      reason: `Run ${task.family} once to give ${values.missing.join(', ')}: then the plan shows here`,
    };
  return { file: vscode.Uri.parse(task.uri).fsPath, family: task.family, params: values.params, unit };
}

const services = new WeakMap<Ctx, PlanService>();

/**
 * Files of Plumb's own (run logs, an atomic write's temp file or folder), of git and of packages say nothing
 * about what is complete.
 */
const NOT_DATA = /[\\/](\.plumb|\.git|node_modules)[\\/]|\.plumb-tmp([\\/]|$)/;

/**
 * Calls `changed` when a file in the workspace appears or goes away outside a run: an output deleted
 * by hand, data landing for an external task; soon after one change, at most every few seconds while
 * they keep coming (stalePacer.ts). Completeness is existence, so a file's content changing says
 * nothing. A live run's writes are not counted: its end makes every plan stale anyway (writes
 * reported a moment after it cost one more plan, which draws nothing new).
 */
function watchOutputsAppearing(ctx: Ctx, changed: () => void): vscode.Disposable {
  const watcher = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
  const pacer = new StalePacer(changed);
  const onFile = (uri: vscode.Uri) => {
    if (!ctx.runs.current && !NOT_DATA.test(uri.fsPath)) pacer.changed();
  };
  const subscriptions = [watcher, watcher.onDidCreate(onFile), watcher.onDidDelete(onFile), pacer];
  return { dispose: () => subscriptions.forEach((d) => d.dispose()) };
}

export class PlanService implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<PlanChange>();
  readonly onDidChange = this.changed.event;
  private readonly queue: PlanQueue;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  /** The context's one service, made on first use. */
  static of(ctx: Ctx): PlanService {
    let service = services.get(ctx);
    if (!service) {
      service = new PlanService(ctx);
      services.set(ctx, service);
      ctx.push(service);
    }
    return service;
  }

  private constructor(ctx: Ctx) {
    this.queue = new PlanQueue(
      (request) => {
        ctx.log.debug(`plan: ${request.family} in ${request.file}`);
        return spawnPlan(
          { nodePath: ctx.nodePath, cliPath: ctx.cliPath, cwd: runCwd(request.file) },
          request,
        );
      },
      (change) => this.changed.fire(change),
    );
    this.disposables.push(
      vscode.workspace.onDidSaveTextDocument(() => this.queue.invalidate()),
      watchOutputsAppearing(ctx, () => this.queue.invalidate()),
      ctx.runs.onDidEnd(() => this.queue.invalidate()),
      // Whether there may be plans at all changed: what is shown is asked for again.
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.queue.invalidate()),
      vscode.workspace.onDidChangeConfiguration(
        (e) => e.affectsConfiguration('plumb.plan') && this.queue.invalidate(),
      ),
    );
  }

  peek(request: RunRequest): { result: PlanResult; stale: boolean } | undefined {
    return this.queue.peek(request);
  }

  request(request: RunRequest, priority: PlanPriority): Promise<PlanResult | undefined> {
    return this.queue.request(request, priority);
  }

  dispose(): void {
    this.queue.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
