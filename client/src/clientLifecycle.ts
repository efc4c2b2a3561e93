// Starts, restarts and stops the language client, and forwards the server's graph notifications.
import * as vscode from 'vscode';
import type { Ctx } from './context';
import { onGraphChanged } from './lspRequests';

type ServerStateListener = (state: 'starting' | 'running' | 'stopped') => void;
let onServerState: ServerStateListener = () => {};

export async function startLanguageServer(ctx: Ctx, listener: ServerStateListener): Promise<void> {
  onServerState = listener;
  onServerState('starting');
  // Evaluated only now, after activate() returned: see languageClient.ts.
  const { createLanguageClient, State } = await import('./languageClient');
  const client = createLanguageClient(ctx.extensionUri, ctx.log);
  ctx.push(
    client.onDidChangeState((e) => {
      onServerState(
        e.newState === State.Running ? 'running' : e.newState === State.Starting ? 'starting' : 'stopped',
      );
    }),
    onGraphChanged(client, (params) => {
      ctx.graphChanged.fire(params);
      ctx.tasks.scheduleRefresh();
    }),
  );
  const started = Date.now();
  try {
    await client.start();
  } catch (error) {
    onServerState('stopped');
    ctx.log.error(`the language server did not start: ${(error as Error).message}`);
    return;
  }
  ctx.log.info(`language server started in ${Date.now() - started} ms`);
  ctx.clientStarted(client);
  await ctx.tasks.refresh();
}

/** Stops and starts the same client: the server re-reads the workspace from scratch. */
export async function restartLanguageServer(ctx: Ctx): Promise<void> {
  const client = ctx.client;
  if (!client) {
    void vscode.window.showInformationMessage('Plumb: the language server has not started yet.');
    return;
  }
  ctx.log.info('restarting the language server');
  onServerState('starting');
  if (client.isRunning()) await client.stop();
  await client.start();
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
