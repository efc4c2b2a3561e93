// Walks the workspace folders once: every file goes into the data-file set; TypeScript and
// JavaScript sources (outside build output and dependencies) become program roots. Only regular
// files count (a FIFO or a device is not data and must never be opened), links to directories are
// not walked, and a link to a file counts only when it stays inside the workspace.
import fs from 'node:fs';
import path from 'node:path';
import { WorkspaceFiles } from './workspaceFiles';

/** Directories never walked: dependencies and version control. */
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn']);
/** Build output: data files may live there, but its compiled .js would duplicate the tasks. */
const NON_SOURCE_DIRS = new Set(['dist', 'out', 'build', '.tsbuild', 'coverage', '.plumb']);
const SOURCE = /\.(?:[cm]?tsx?|[cm]?jsx?)$/;
/** Files listed at most (over every folder); a listing that reaches it is cut short. */
export const MAX_FILES = 200_000;

export function isSourceFile(file: string): boolean {
  return SOURCE.test(file) && !file.endsWith('.d.ts') && !/\.d\.[cm]ts$/.test(file);
}

/** A file whose appearance can change what an import specifier resolves to. */
export function isModuleFile(file: string): boolean {
  return SOURCE.test(file) || /\.d\.[cm]?ts$/.test(file) || /\.json$/.test(file);
}

export function isInNonSourceDir(file: string, root: string): boolean {
  return path
    .relative(root, file)
    .split(path.sep)
    .some((part) => NON_SOURCE_DIRS.has(part) || SKIPPED_DIRS.has(part));
}

export function isSkippedPath(file: string, root: string): boolean {
  return path
    .relative(root, file)
    .split(path.sep)
    .some((part) => SKIPPED_DIRS.has(part));
}

export function scanWorkspace(
  roots: string[],
  workspace = new WorkspaceFiles(roots),
): { sources: string[]; files: string[] } {
  const sources: string[] = [];
  const files: string[] = [];
  for (const root of roots) {
    const stack: { dir: string; source: boolean }[] = [{ dir: root, source: true }];
    while (stack.length > 0 && files.length < MAX_FILES) {
      const { dir, source } = stack.pop()!;
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const entry of entries) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          if (!SKIPPED_DIRS.has(entry.name)) {
            stack.push({ dir: full, source: source && !NON_SOURCE_DIRS.has(entry.name) });
          }
        } else if (entry.isFile() || (entry.isSymbolicLink() && workspace.isAcceptable(full))) {
          files.push(full);
          if (source && isSourceFile(entry.name)) sources.push(full);
        }
      }
    }
  }
  return { sources, files };
}
