// @vscode/test-cli configuration: the same extension-host Mocha suites the end-to-end suite runs
// inside code-server (test/e2e/extension-host/*.suite.ts), run by @vscode/test-electron in a
// downloaded VS Code desktop, on machines that can download it: `npm run build && npx vscode-test`.
// Here (no download route) `npm test` runs them through code-server instead.
import { defineConfig } from '@vscode/test-cli';
import { buildExtensionHostTests, extensionHostOutDir } from './scripts/e2e/extension-host-tests.mjs';

await buildExtensionHostTests();

export default defineConfig({
  label: 'extension-host',
  files: `${extensionHostOutDir}/*.suite.js`,
  workspaceFolder: './examples/top-artists',
  extensionDevelopmentPath: '.',
  mocha: { ui: 'bdd', timeout: 30_000, color: true },
  // Only Plumb and the built-in extensions, as in a clean install.
  launchArgs: ['--disable-extensions'],
});
