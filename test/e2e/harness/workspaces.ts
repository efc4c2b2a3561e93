// Fresh copies of the workspaces the suite opens, under test-output/e2e/workspaces, so runs start
// with no outputs and no run history and never write into the repository's own folders. The copies
// stay inside the project so `@plumb/runtime` still resolves through its node_modules.
import { cpSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { outputDir } from './paths';

const notCopied = new Set(['data', '.plumb', 'node_modules']);

export function freshCopy(source: string, name: string): string {
  const target = path.join(outputDir, 'workspaces', name);
  rmSync(target, { recursive: true, force: true });
  cpSync(source, target, { recursive: true, filter: (from) => !notCopied.has(path.basename(from)) });
  return target;
}

/** The workspace-relative path of the .ts file declaring class `family`. */
export function fileDeclaring(workspace: string, family: string): string {
  const declaration = new RegExp(`class\\s+${family}\\b`);
  const found = readdirSync(workspace, { recursive: true, encoding: 'utf8' }).find(
    (f) => f.endsWith('.ts') && declaration.test(readFileSync(path.join(workspace, f), 'utf8')),
  );
  if (!found) throw new Error(`no file in ${workspace} declares class ${family}`);
  return found;
}
