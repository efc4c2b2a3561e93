// Starts, restarts and stops the language client, and forwards the server's graph notifications.
import * as vscode from 'vscode';
import type { Ctx } from './context';
import { onGraphChanged } from './lspRequests';
import { redrawLensesOnPlans, withPlanCount } from './planLens';

type ServerStateListener = (state: 'starting' | 'running' | 'stopped') => void;
let onServerState: ServerStateListener = () => {};

export async function startLanguageServer(ctx: Ctx, listener: ServerStateListener): Promise<void> {
  onServerState = listener;
  onServerState('starting');
  // Evaluated only now, after activate() returned: see languageClient.ts.
  const { createLanguageClient, State } = await import('./languageClient');
  const client = createLanguageClient(ctx.extensionUri, ctx.log, (lens) => withPlanCount(ctx, lens));
  // Known before it has started, so Restart can retry a start that failed.
  ctx.client = client;
  ctx.push(
    client.onDidChangeState((e) => {
      onServerState(
        e.newState === State.Running ? 'running' : e.newState === State.Starting ? 'starting' : 'stopped',
      );
    }),
    redrawLensesOnPlans(ctx, () => void refreshLenses(ctx)),
    onGraphChanged(client, (params) => {
      ctx.graphChanged.fire(params);
      ctx.tasks.scheduleRefresh();
    }),
  );
  const started = Date.now();
  if (!(await startClient(ctx))) return;
  ctx.log.info(`language server started in ${Date.now() - started} ms`);
  await ctx.tasks.refresh();
}

/** Starts the client; a failure is logged and shown, not thrown (the user can restart it). */
async function startClient(ctx: Ctx): Promise<boolean> {
  const client = ctx.client!;
  try {
    await client.start();
  } catch (error) {
    onServerState('stopped');
    ctx.log.error(`the language server did not start: ${(error as Error).message}`);
    void vscode.window
      .showErrorMessage('Plumb: the language server did not start.', 'Show Log', 'Restart')
      .then((choice) => {
        if (choice === 'Show Log') ctx.log.show(true);
        if (choice === 'Restart') void restartLanguageServer(ctx);
      });
    return false;
  }
  ctx.serverGeneration++;
  ctx.clientStarted(client);
  return true;
}

let restarting: Promise<void> | undefined;

/**
 * Stops and starts the same client: the server re-reads the workspace from scratch. Clicking Restart
 * again while one is under way waits for it; a server that does not stop in time is terminated by
 * the client library, and the start goes ahead anyway.
 */
export function restartLanguageServer(ctx: Ctx): Promise<void> {
  restarting ??= restart(ctx).finally(() => (restarting = undefined));
  return restarting;
}

async function restart(ctx: Ctx): Promise<void> {
  const client = ctx.client;
  if (!client) {
    // Never started (the workspace did not look like a Plumb one): start it now.
    ctx.ensureServer();
    return;
  }
  ctx.log.info('restarting the language server');
  onServerState('starting');
  if (client.isRunning()) {
    try {
      await client.stop(2000);
    } catch (error) {
      ctx.log.warn(`the language server did not stop cleanly: ${(error as Error).message}`);
    }
  }
  if (!(await startClient(ctx))) return;
  await ctx.tasks.refresh();
  ctx.graphChanged.fire({ version: -1, taskCount: ctx.tasks.all.length });
}

export async function stopLanguageServer(ctx: Ctx): Promise<void> {
  if (ctx.client?.isRunning()) await ctx.client.stop(2000);
}

/** Redraws the code lenses of the visible editors (they read differently once the workspace is trusted). */
export async function refreshLenses(ctx: Ctx): Promise<void> {
  if (!ctx.client?.isRunning()) return;
  const { refreshCodeLenses } = await import('./languageClient');
  refreshCodeLenses(ctx.client);
}
