// Finds the workspace's run logs (.plumb/runs under each project root) and opens past runs.
import path from 'node:path';
import * as vscode from 'vscode';
import type { Ctx } from './context';
import { runsDirOf } from './projectRoot';
import {
  digestRun,
  listRunFiles,
  readLastRuns,
  readRunEvents,
  type LastRuns,
  type RunFile,
} from './runHistory';

/** Project roots are the workspace folders (runs started there) and every folder holding plumb.toml. */
export async function workspaceRunsDirs(): Promise<string[]> {
  const roots = new Set((vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath));
  const configs = await vscode.workspace.findFiles('**/plumb.toml', '**/node_modules/**', 100);
  for (const config of configs) roots.add(path.dirname(config.fsPath));
  return [...roots].map(runsDirOf);
}

export async function findRunFile(runId: string): Promise<RunFile | undefined> {
  return (await listRunFiles(await workspaceRunsDirs())).find((f) => f.runId === runId);
}

/** The latest runs on disk, so the tree and graph show last statuses before anything ran here. */
export async function lastRunsOnDisk(): Promise<LastRuns> {
  return readLastRuns(await workspaceRunsDirs());
}

/** "Plumb: Open Run History": pick a past run and replay it in the Run panel. */
export async function pickPastRun(ctx: Ctx): Promise<string | undefined> {
  const files = (await listRunFiles(await workspaceRunsDirs())).slice(0, 50);
  if (files.length === 0) {
    void vscode.window.showInformationMessage(
      'Plumb: no past runs in this workspace yet (.plumb/runs is empty).',
    );
    return undefined;
  }
  const items = await Promise.all(
    files.map(async (file) => {
      const { entry } = digestRun(file.runId, await readRunEvents(file.path).catch(() => []), file.mtimeMs);
      const when = new Date(entry.startedAt).toLocaleString();
      const duration =
        entry.durationMs !== undefined ? `${(entry.durationMs / 1000).toFixed(1)} s` : 'unfinished';
      return {
        label: `${entry.outcome === 'success' ? '$(pass)' : entry.outcome ? '$(error)' : '$(circle-outline)'} ${entry.root || file.runId}`,
        description: `${when} · ${duration} · ${entry.outcome ?? 'no outcome'}`,
        runId: file.runId,
      };
    }),
  );
  ctx.log.info(`run history: ${files.length} runs`);
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Plumb: Open Run History',
    matchOnDescription: true,
  });
  return picked?.runId;
}
