// Where the end-to-end suite reads and writes: the project's .vsix, fixture workspaces, and
// test-output/e2e (screenshots, logs, fresh copies of workspaces; gitignored).
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const projectRoot = path.resolve(import.meta.dirname, '../../..');
const manifest = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  publisher: string;
};
export const extensionId = `${manifest.publisher}.${manifest.name}`;
/**
 * Made by `npm run package` (scripts/package.mjs), which `npm run e2e:setup` runs;
 * PLUMB_E2E_VSIX=<file> runs the workbench suite against another build (e.g. an older commit's).
 */
export const vsixPath =
  process.env.PLUMB_E2E_VSIX ?? path.join(projectRoot, 'dist', `${manifest.name}-${manifest.version}.vsix`);
export const outputDir = path.join(projectRoot, 'test-output', 'e2e');
/**
 * This suite process's own folder under test-output/e2e/runs (workspace copies, code-server's
 * state): two suites running at once in one checkout must not write into each other's workspaces.
 */
export const runDir = path.join(outputDir, 'runs', String(process.pid));
export const exampleWorkspace = path.join(projectRoot, 'examples', 'top-artists');
export const fixtureWorkspaces = path.join(projectRoot, 'test', 'e2e', 'workspaces');
