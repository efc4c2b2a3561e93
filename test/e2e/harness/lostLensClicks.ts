// VS Code releases the commands of a lens row when it asks for the lenses again, and a click that
// lands on the row before it is redrawn runs nothing: the extension host logs "Actual command not
// found" (microsoft/vscode#226936). A person clicks again; so does the harness, for that and nothing else.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator } from 'playwright-core';
import type { Workbench } from './workbench';

const LOST = 'Actual command not found, wanted to execute';

/** How many lens clicks the extension hosts of the code-server in `serverDir` have dropped so far. */
export function lostLensClicks(serverDir: string): number {
  const logs = path.join(serverDir, 'user-data', 'logs');
  let lost = 0;
  for (const session of existsSync(logs) ? readdirSync(logs) : []) {
    const dir = path.join(logs, session);
    for (const host of readdirSync(dir).filter((d) => d.startsWith('exthost'))) {
      const log = path.join(dir, host, 'remoteexthost.log');
      if (existsSync(log)) lost += readFileSync(log, 'utf8').split(LOST).length - 1;
    }
  }
  return lost;
}

/**
 * Clicks the lens (as `Workbench.clickCodeLens`) until `shown` appears; clicks again only when VS
 * Code dropped the click, at most twice. Any other failure to show `shown` in `timeoutMs` throws.
 */
export async function clickCodeLensUntil(
  workbench: Workbench,
  serverDir: string,
  lens: { line: number; label: RegExp; when?: RegExp },
  shown: Locator,
  timeoutMs: number,
  describe: () => Promise<string>,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const lostBefore = lostLensClicks(serverDir);
    await workbench.clickCodeLens(lens.line, lens.label, lens.when);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await shown.isVisible()) return;
      const dropped = lostLensClicks(serverDir) > lostBefore;
      if (dropped && attempt < 3) break;
      if (dropped || Date.now() > deadline)
        throw new Error(
          `${dropped ? 'VS Code dropped the lens click again' : `nothing shown ${timeoutMs} ms after the lens click`} ` +
            `(${lens.label} above line ${lens.line}); ${await describe()}`,
        );
      await workbench.page.waitForTimeout(250);
    }
    console.log(
      `e2e: VS Code dropped the click on ${lens.label} above line ${lens.line} (lenses redrawn): clicking again`,
    );
  }
}
