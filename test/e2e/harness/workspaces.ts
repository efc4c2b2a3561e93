// Fresh copies of the workspaces the suite opens, under test-output/e2e/workspaces, so runs start
// with no outputs and no run history and never write into the repository's own folders. The copies
// stay inside the project so `@plumb/runtime` still resolves through its node_modules.
import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';
import { outputDir } from './paths';

/** Outputs and run state of earlier runs (gitignored, so a fresh clone has none either). */
const notCopied = new Set(['data', '.plumb', 'node_modules']);

export function freshCopy(source: string, name: string): string {
  const target = path.join(outputDir, 'workspaces', name);
  rmSync(target, { recursive: true, force: true });
  cpSync(source, target, { recursive: true, filter: (from) => !notCopied.has(path.basename(from)) });
  return target;
}
