// The Run lens says how many tasks would run ("▶ Run (3 of 7 will run)"), from the runtime's plan
// of that task as last cached (planService.ts): a lens never waits for a plan. A lens without a
// fresh one asks for it in the background (one process at a time, once per save or run), and the
// lenses are drawn again when it arrives.
import type * as vscode from 'vscode';
import { ClientCommands, type TaskCommandArgs } from '../../server/src/protocol';
import type { Ctx } from './context';
import { runTitle } from './planModel';
import { planRequestFor, PlanService } from './planService';

function isTaskArgs(arg: unknown): arg is TaskCommandArgs {
  const a = arg as TaskCommandArgs | undefined;
  return typeof a?.uri === 'string' && typeof a.family === 'string';
}

/** For the language client's lens middleware: the Run lens with its count, others as they are. */
export function withPlanCount(ctx: Ctx, lens: vscode.CodeLens): vscode.CodeLens {
  const command = lens.command;
  if (command?.command !== ClientCommands.run || !isTaskArgs(command.arguments?.[0])) return lens;
  const args = command.arguments[0] as TaskCommandArgs;
  const task = ctx.tasks.find(args.uri, args.family);
  if (!task) return lens;
  const request = planRequestFor(ctx, task);
  if ('reason' in request) return lens;
  const service = PlanService.of(ctx);
  const cached = service.peek(request);
  if (!cached || cached.stale) void service.request(request, 'lens');
  if (cached?.result.kind === 'plan') command.title = runTitle(command.title, cached.result.plan.counts);
  return lens;
}

/** Draws the lenses again when a plan arrives or plans went stale (at most every half second). */
export function redrawLensesOnPlans(ctx: Ctx, redraw: () => void): vscode.Disposable {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const subscription = PlanService.of(ctx).onDidChange((change) => {
    if (timer) return;
    // Stale: a lens asks for its new plan only when drawn, and keeps the old count meanwhile.
    timer = setTimeout(
      () => {
        timer = undefined;
        redraw();
      },
      change === 'plan' ? 500 : 100,
    );
  });
  return { dispose: () => (clearTimeout(timer), subscription.dispose()) };
}
