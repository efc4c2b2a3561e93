// Fresh copies of the workspaces the suite opens, under this run's folder, so runs start
// with no outputs and no run history and never write into the repository's own folders. The copies
// stay inside the project so `plumb-pipelines` still resolves through its node_modules.
import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { runDir } from './paths';

/** Outputs and run state of earlier runs (gitignored, so a fresh clone has none either). */
const notCopied = new Set(['data', '.plumb', 'node_modules']);

export function freshCopy(source: string, name: string): string {
  const target = path.join(runDir, 'workspaces', name);
  rmSync(target, { recursive: true, force: true });
  cpSync(source, target, { recursive: true, filter: (from) => !notCopied.has(path.basename(from)) });
  return target;
}

/** Removes the folders of suite runs whose process has ended (a run's own folder stays for a look). */
export function removeFinishedRuns(runsDir: string): void {
  for (const pid of existsSync(runsDir) ? readdirSync(runsDir) : []) {
    if (Number(pid) === process.pid) continue;
    try {
      process.kill(Number(pid), 0);
    } catch {
      rmSync(path.join(runsDir, pid), { recursive: true, force: true });
    }
  }
}
