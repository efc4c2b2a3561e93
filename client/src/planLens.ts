// The Run lens says how many tasks would run ("▶ Run (3 of 7 will run)"), from the runtime's plan
// of that task as last cached (planService.ts): a lens never waits for a plan. A lens without a
// fresh one asks for it in the background (one process at a time, once per save or run), and the
// lenses are drawn again when it arrives with another count. Only then: VS Code releases the
// commands of the lenses it asks for again, and a click on a row not yet redrawn runs nothing
// (microsoft/vscode#226936), so a redraw that changes no text is a click lost for nothing.
import * as vscode from 'vscode';
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
  countedLenses(ctx).add(`${args.uri}\n${args.family}`);
  const service = PlanService.of(ctx);
  const cached = service.peek(request);
  if (!cached || cached.stale) void service.request(request, 'lens');
  if (cached?.result.kind === 'plan') command.title = runTitle(command.title, cached.result.plan.counts);
  return lens;
}

/** The Run lenses that showed a count ("uri\nfamily"), per context: the ones to ask again when stale. */
const counted = new WeakMap<Ctx, Set<string>>();
function countedLenses(ctx: Ctx): Set<string> {
  let lenses = counted.get(ctx);
  if (!lenses) counted.set(ctx, (lenses = new Set()));
  return lenses;
}

/**
 * Plans went stale (a save, a run's end): the counted lenses of the visible editors ask for theirs
 * again, each keeping its old count meanwhile, without a redraw. True when one can have no plan
 * now (plans turned off, trust withdrawn, its task gone): its count must go, by a redraw.
 */
function askAgain(ctx: Ctx): boolean {
  let dropped = false;
  const visible = new Set(vscode.window.visibleTextEditors.map((e) => e.document.uri.toString()));
  const shownIn = (uri: string) => visible.has(vscode.Uri.parse(uri).toString());
  const lenses = countedLenses(ctx);
  for (const lens of lenses) {
    const [uri, family] = lens.split('\n') as [string, string];
    if (!shownIn(uri)) continue;
    const task = ctx.tasks.find(uri, family);
    const request = task && planRequestFor(ctx, task);
    if (request && !('reason' in request)) {
      void PlanService.of(ctx).request(request, 'lens');
      continue;
    }
    lenses.delete(lens);
    dropped = true;
  }
  return dropped;
}

/** Draws the lenses again when a plan arrives that changes a count (at most every half second). */
export function redrawLensesOnPlans(ctx: Ctx, redraw: () => void): vscode.Disposable {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const subscription = PlanService.of(ctx).onDidChange((change) => {
    if (change === 'same-plan' || (change === 'stale' && !askAgain(ctx)) || timer) return;
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
