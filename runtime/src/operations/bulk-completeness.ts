// Completeness of many instances of one family at once: outputs that share a directory are
// looked up in one listing of it (directory-listing.ts), not one existence check each (a range of
// 10,000 days in one folder is one listing). A listing never answers more than complete() would.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pendingTempOf } from '../atomic-write';
import { existsInWhole, listWholeFolder } from '../directory-listing';
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
  /** Outputs by their directory, with its separator (a root's is '/' on POSIX, 'C:\\' on Windows). */
  private readonly byDir = new Map<string, { task: number; name: string; file: string }[]>();

  constructor(private readonly tasks: readonly Task[]) {
    for (let i = 0; i < tasks.length; i++) {
      const paths = plainOutputPaths(tasks[i]!);
      if (paths === undefined) this.asked.push(i);
      else if (paths.length === 0) this.empty.push(i);
      for (const p of paths ?? []) {
        // LocalTarget paths are absolute and resolved: the last separator splits directory and name.
        const at = p.lastIndexOf(path.sep) + 1;
        const dir = p.slice(0, at);
        let list = this.byDir.get(dir);
        if (!list) this.byDir.set(dir, (list = []));
        list.push({ task: i, name: p.slice(at), file: p });
      }
    }
  }

  check(): (boolean | Promise<boolean>)[] {
    const out = new Array<boolean | Promise<boolean>>(this.tasks.length).fill(true);
    for (const i of this.empty) out[i] = false;
    for (const [dir, entries] of this.byDir) {
      const listing = entries.length >= LISTING_PAYS_FROM ? listWholeFolder(dir) : undefined;
      for (const { task, name, file } of entries) {
        if (out[task] === false) continue;
        const exists = listing ? existsInWhole(listing, file, name) : existsSync(file);
        // A durable write not yet committed counts, as LocalTarget.exists() says.
        if (!exists && pendingTempOf(file) === undefined) out[task] = false;
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
