// Runs the Mocha suites inside the real extension host of a running code-server, the way
// @vscode/test-electron does on the desktop: the workbench's smoke-test payload names the
// extension under development and the tests' entry; the workbench reports the runner's output
// through codeAutomationLog and its exit code (0 pass, 1 fail) through codeAutomationExit.
import { format } from 'node:util';
import type { Browser } from 'playwright-core';
import type { CodeServer } from '../../../scripts/e2e/code-server.mjs';
import { extensionHostRunner } from '../../../scripts/e2e/extension-host-tests.mjs';

export interface ExtensionHostResult {
  exitCode: number;
  output: string;
}

export async function runExtensionHostTests(
  browser: Browser,
  server: CodeServer,
  folder: string,
  extensionDir: string,
  timeoutMs = 180_000,
): Promise<ExtensionHostResult> {
  const page = await browser.newPage();
  const lines: string[] = [];
  try {
    const exited = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      // The runner's console calls arrive as printf-style arguments.
      const text = format(...args);
      lines.push(type === 'error' ? `[error] ${text}` : text);
    });
    const payload = [
      ['extensionDevelopmentPath', server.remoteUri(extensionDir)],
      ['extensionTestsPath', server.remoteUri(extensionHostRunner)],
    ];
    await page.goto(`${server.folderUrl(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(`extension-host tests gave no exit code in ${timeoutMs} ms:\n${lines.join('\n')}`),
          ),
        timeoutMs,
      );
    });
    const exitCode = await Promise.race([exited, timedOut]).finally(() => clearTimeout(timer));
    return { exitCode, output: lines.join('\n') };
  } finally {
    await page.close();
  }
}
