// Whether the runtime a workspace's pipelines import (plumb-pipelines) is installed where Node would
// find it, and the command that installs it with the project's own package manager. Pure: paths and
// an `exists` probe in, answers out (no vscode), so it is unit-tested on real folders.
import path from 'node:path';

export const RUNTIME_PACKAGE = 'plumb-pipelines';

export type Exists = (file: string) => boolean;

export interface MissingRuntime {
  /** The project folder the runtime should be installed into. */
  folder: string;
  /** What to type there, e.g. `npm install plumb-pipelines`. */
  command: string;
}

/** Folders from `dir` up to the filesystem root. */
function upwards(dir: string): string[] {
  const out: string[] = [];
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    out.push(d);
    if (path.dirname(d) === d) return out;
  }
}

/** Where `require('plumb-pipelines')` from `dir` would find the package, if anywhere. */
export function findRuntime(dir: string, exists: Exists): string | undefined {
  return upwards(dir)
    .map((d) => path.join(d, 'node_modules', RUNTIME_PACKAGE))
    .find((candidate) => exists(path.join(candidate, 'package.json')));
}

/**
 * The project a pipeline file belongs to: the nearest folder with a package.json, else with a
 * plumb.toml, within its workspace folder; else the workspace folder itself.
 */
export function projectFolder(fileDir: string, workspaceFolder: string, exists: Exists): string {
  const inside = upwards(fileDir).filter(
    (d) => d === workspaceFolder || d.startsWith(workspaceFolder + path.sep),
  );
  return (
    inside.find((d) => exists(path.join(d, 'package.json'))) ??
    inside.find((d) => exists(path.join(d, 'plumb.toml'))) ??
    workspaceFolder
  );
}

/** The install command in the project's package manager, known by its lock file (npm by default). */
export function installCommand(folder: string, exists: Exists): string {
  for (const d of upwards(folder)) {
    if (exists(path.join(d, 'pnpm-lock.yaml'))) return `pnpm add ${RUNTIME_PACKAGE}`;
    if (exists(path.join(d, 'yarn.lock'))) return `yarn add ${RUNTIME_PACKAGE}`;
    if (exists(path.join(d, 'package-lock.json'))) break;
  }
  return `npm install ${RUNTIME_PACKAGE}`;
}

/** The projects whose pipeline files cannot resolve the runtime, one entry per project folder. */
export function foldersMissingRuntime(
  pipelineFiles: readonly string[],
  workspaceFolders: readonly string[],
  exists: Exists,
): MissingRuntime[] {
  const missing = new Map<string, MissingRuntime>();
  for (const file of pipelineFiles) {
    const dir = path.dirname(file);
    if (findRuntime(dir, exists)) continue;
    const workspace =
      workspaceFolders.find((w) => dir === w || dir.startsWith(w + path.sep)) ?? path.dirname(file);
    const folder = projectFolder(dir, workspace, exists);
    if (!missing.has(folder)) missing.set(folder, { folder, command: installCommand(folder, exists) });
  }
  return [...missing.values()];
}
