// Asks the runtime CLI for a JSON listing (plumb backfill --list, plumb rerun --list --json) before a
// command runs: its stderr goes to the Plumb Run output, a failure is one error message.
import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import type { Ctx } from './context';

/** The parsed listing, or undefined after telling the user why there is none (`what`: "backfill"). */
export function cliListing<T>(ctx: Ctx, args: string[], cwd: string, what: string): Promise<T | undefined> {
  ctx.runOutput.appendLine(`[plumb] ${ctx.nodePath} ${ctx.cliPath} ${args.join(' ')}`);
  return new Promise((resolve) => {
    execFile(
      ctx.nodePath,
      [ctx.cliPath, ...args],
      { cwd, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (stderr) ctx.runOutput.append(stderr);
        if (error) {
          const why = stderr.trim().split('\n').at(-1) ?? error.message;
          void vscode.window.showErrorMessage(`Plumb: the ${what} cannot start: ${why}`);
          return resolve(undefined);
        }
        try {
          resolve(JSON.parse(stdout) as T);
        } catch {
          void vscode.window.showErrorMessage(
            `Plumb: the runtime did not list the ${what} (see the Plumb Run output).`,
          );
          resolve(undefined);
        }
      },
    );
  });
}
