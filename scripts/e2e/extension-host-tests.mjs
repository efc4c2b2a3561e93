// Bundles the Mocha suites that run inside the extension host (test/e2e/extension-host/*.suite.ts)
// one file each, plus the runner the workbench payload loads, into test-output/e2e/extension-host.
// The same files serve @vscode/test-cli (.vscode-test.mjs). `vscode` and `mocha` stay external:
// the extension host provides the first, the project's node_modules the second.
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from './tools.mjs';

export const extensionHostSourceDir = path.join(projectRoot, 'test', 'e2e', 'extension-host');
export const extensionHostOutDir = path.join(projectRoot, 'test-output', 'e2e', 'extension-host');
export const extensionHostRunner = path.join(extensionHostOutDir, 'runner.js');

export async function buildExtensionHostTests() {
  const entries = readdirSync(extensionHostSourceDir).filter(
    (f) => f.endsWith('.suite.ts') || f === 'runner.ts',
  );
  rmSync(extensionHostOutDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: entries.map((f) => path.join(extensionHostSourceDir, f)),
    outdir: extensionHostOutDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return entries
    .filter((f) => f.endsWith('.suite.ts'))
    .map((f) => path.join(extensionHostOutDir, f.replace(/\.ts$/, '.js')));
}
