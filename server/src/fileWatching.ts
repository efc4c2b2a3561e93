// Keeps the analysis told about files created, changed and deleted on disk, so a missing-data
// warning clears when the data lands. Uses the client's watchers (registered dynamically, by us)
// when it supports that and accepts them; otherwise watches the workspace directories itself.
import fs from 'node:fs';
import path from 'node:path';
import type { FileChange } from './analysis/workspaceAnalysis';

const SKIPPED = new Set(['node_modules', '.git', '.hg', '.svn']);
const MAX_WATCHED_DIRS = 8000;

/** Watches every directory under the roots (one non-recursive watcher each, dependencies skipped). */
export class DirectoryWatcher {
  private readonly watchers = new Map<string, fs.FSWatcher>();
  private pending = new Map<string, FileChange['kind']>();
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(
    roots: string[],
    private readonly onChanges: (changes: FileChange[]) => void,
    private readonly log: (message: string) => void,
  ) {
    for (const root of roots) this.watchTree(root);
  }

  dispose(): void {
    clearTimeout(this.flushTimer);
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }

  private watchTree(dir: string): void {
    const stack = [dir];
    while (stack.length > 0 && this.watchers.size < MAX_WATCHED_DIRS) {
      const current = stack.pop()!;
      if (this.watchers.has(current)) continue;
      try {
        const watcher = fs.watch(
          current,
          (_event, name) => name && this.noticed(path.join(current, name.toString())),
        );
        watcher.on('error', () => this.unwatch(current));
        this.watchers.set(current, watcher);
        for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
          if (entry.isDirectory() && !SKIPPED.has(entry.name)) stack.push(path.join(current, entry.name));
        }
      } catch (error) {
        this.log(`cannot watch ${current}: ${(error as Error).message}`);
      }
    }
  }

  private unwatch(dir: string): void {
    for (const [d, w] of this.watchers) {
      if (d === dir || d.startsWith(dir + path.sep)) {
        w.close();
        this.watchers.delete(d);
      }
    }
  }

  private noticed(file: string): void {
    let stat: fs.Stats | undefined;
    try {
      // lstat: a link to a directory is not walked (it may lead out of the workspace, or to /).
      stat = fs.lstatSync(file);
    } catch {
      stat = undefined;
    }
    if (stat?.isDirectory()) {
      if (!SKIPPED.has(path.basename(file))) {
        this.watchTree(file);
        // Files that landed in the new directory before its watcher existed.
        for (const entry of safeReaddir(file))
          if (entry.isFile()) this.queue(path.join(file, entry.name), 'created');
      }
      return;
    }
    if (!stat) {
      if (this.watchers.has(file)) this.unwatch(file);
      this.queue(file, 'deleted');
    } else this.queue(file, 'changed');
  }

  private queue(file: string, kind: FileChange['kind']): void {
    // 'changed' of a file we never saw is reported as 'changed'; the analysis treats it as present.
    this.pending.set(file, kind === 'changed' && this.pending.get(file) === 'created' ? 'created' : kind);
    clearTimeout(this.flushTimer);
    this.flushTimer = setTimeout(() => {
      const changes = [...this.pending].map(([f, k]) => ({ file: f, kind: k }));
      this.pending = new Map();
      this.onChanges(changes);
    }, 50);
  }
}

function safeReaddir(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}
