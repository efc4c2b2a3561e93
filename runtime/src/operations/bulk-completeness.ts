// Completeness of many instances of one family at once: outputs that share a directory are
// looked up in one listing of it, not one existence check each (a range of 10,000 days in one
// folder is one readdir). Only where the listing answers exactly what complete() would.
import { type Dirent, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pendingTempOf } from '../atomic-write';
import { LocalTarget } from '../local-target';
import { outputsOf, Task } from '../task';

/** A directory with fewer candidate outputs than this is checked file by file. */
const LISTING_PAYS_FROM = 4;

/**
 * For each task, whether it is complete: true, false, or a promise for families whose
 * complete() answers asynchronously. Tasks whose completeness is "every output exists" and whose
 * outputs are plain LocalTargets are decided from directory listings; others ask complete().
 */
export function completeness(tasks: readonly Task[]): (boolean | Promise<boolean>)[] {
  return new CompletenessPlan(tasks).check();
}

/**
 * The work of completeness() that does not change between checks (which outputs, grouped by
 * directory: one id is one set of outputs), done once; each check() lists the directories again.
 */
export class CompletenessPlan {
  /** Tasks that are asked (own complete() or targets), by index. */
  private readonly asked: number[] = [];
  /** Tasks with no outputs: never complete, as Task.complete() says. */
  private readonly empty: number[] = [];
  private readonly byDir = new Map<string, { task: number; name: string; file: string }[]>();

  constructor(private readonly tasks: readonly Task[]) {
    for (let i = 0; i < tasks.length; i++) {
      const paths = plainOutputPaths(tasks[i]!);
      if (paths === undefined) this.asked.push(i);
      else if (paths.length === 0) this.empty.push(i);
      for (const p of paths ?? []) {
        // LocalTarget paths are absolute and resolved: the last separator splits directory and name.
        const at = p.lastIndexOf(path.sep);
        const dir = p.slice(0, at) || path.sep;
        let list = this.byDir.get(dir);
        if (!list) this.byDir.set(dir, (list = []));
        list.push({ task: i, name: p.slice(at + 1), file: p });
      }
    }
  }

  check(): (boolean | Promise<boolean>)[] {
    const out = new Array<boolean | Promise<boolean>>(this.tasks.length).fill(true);
    for (const i of this.empty) out[i] = false;
    for (const [dir, entries] of this.byDir) {
      const listing = entries.length >= LISTING_PAYS_FROM ? list(dir) : undefined;
      for (const { task, name, file } of entries) {
        if (out[task] === false) continue;
        // A durable write not yet committed counts, as LocalTarget.exists() says.
        if (!exists(dir, name, listing) && pendingTempOf(file) === undefined) out[task] = false;
      }
    }
    for (const i of this.asked) out[i] = this.tasks[i]!.complete();
    return out;
  }
}

/**
 * The output paths when the task's complete() is Task's own and every output is a LocalTarget
 * whose exists() is LocalTarget's own (existsSync of its path); undefined otherwise.
 */
function plainOutputPaths(task: Task): string[] | undefined {
  if (task.complete !== Task.prototype.complete) return undefined;
  const outputs = outputsOf(task);
  const paths: string[] = [];
  for (const t of outputs) {
    if (!(t instanceof LocalTarget) || t.exists !== LocalTarget.prototype.exists) return undefined;
    paths.push(t.path);
  }
  return paths;
}

/**
 * The directory's entries by name; empty when it does not exist; undefined when it cannot be read or
 * searched.
 */
function list(dir: string): Map<string, Dirent> | undefined {
  try {
    const entries = new Map<string, Dirent>();
    for (const d of readdirSync(dir, { withFileTypes: true })) entries.set(d.name, d);
    // A folder readable but not searchable (r without x) lists files existsSync cannot reach: one
    // existsSync of a listed file proves the way is open, as directory-listing.ts does.
    for (const d of entries.values())
      if (d.isFile() || d.isDirectory()) return existsSync(path.join(dir, d.name)) ? entries : undefined;
    return entries;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return new Map();
    return undefined; // unreadable but perhaps searchable (no r, only x): ask file by file
  }
}

function exists(dir: string, name: string, listing: Map<string, Dirent> | undefined): boolean {
  if (listing === undefined) return existsSync(path.join(dir, name));
  const entry = listing.get(name);
  if (entry === undefined) return false;
  // existsSync follows links (a dangling one does not exist); an entry of unknown type may be one.
  if (entry.isFile() || entry.isDirectory()) return true;
  return existsSync(path.join(dir, name));
}
