// Which workspace sources can hold task classes: those importing the runtime (plumb-pipelines, or a
// file of its package), directly or through other files or packages. Read from each file's import
// specifiers alone (TypeScript's pre-processor scans the text and builds no syntax tree), so the
// rest of a large repository is never parsed.
import ts from 'typescript';
import { isRuntimeSpecifier } from './nameResolution';

export interface ImportHost {
  /** The text whose imports count (a file over the size cap: its beginning), or undefined. */
  importText(file: string): { text: string; whole: boolean } | undefined;
  resolve(specifier: string, fromFile: string): string | undefined;
  /** A file of the plumb-pipelines package itself. */
  isRuntimeFile(file: string): boolean;
  /** A dependency's file (under node_modules): whether its package depends on plumb-pipelines. */
  isDependencyOfRuntime(file: string): boolean | undefined;
  /** One of the workspace's own sources (a scan of the folders would list it), however it was found. */
  isWorkspaceSource(file: string): boolean;
}

interface Entry {
  specifiers: string[];
  /** A task is a class with `extends`; a file without the word cannot declare one. */
  mayDeclareTask: boolean;
  /** Resolved targets, per specifier (null: unresolved); dropped when resolutions may have changed. */
  targets?: (string | null)[];
  /** Not one of the workspace's own sources: a module they import (followed, never a root). */
  followed: boolean;
}

const EXTENDS = /\bextends\b/;

export class TaskFileSet {
  private readonly entries = new Map<string, Entry>();
  private reaching: Set<string> | undefined;

  constructor(private readonly host: ImportHost) {}

  /** A source appeared or its text changed (on disk or in the editor). */
  update(file: string): void {
    const before = this.entries.get(file);
    const entry = this.read(file, false);
    if (!entry) {
      this.delete(file);
      return;
    }
    this.entries.set(file, entry);
    if (
      before &&
      !before.followed &&
      before.mayDeclareTask === entry.mayDeclareTask &&
      sameList(before.specifiers, entry.specifiers)
    ) {
      entry.targets = before.targets;
      return;
    }
    this.reaching = undefined;
  }

  delete(file: string): void {
    if (this.entries.delete(file)) this.reaching = undefined;
  }

  /** Files appeared or vanished, or module settings changed: resolve every specifier again. */
  forgetResolutions(): void {
    for (const [file, entry] of this.entries) {
      if (entry.followed) this.entries.delete(file);
      else entry.targets = undefined;
    }
    this.reaching = undefined;
  }

  /**
   * The sources that may declare a task: they may, and reach the runtime through their imports. The
   * runtime's own files (this repository's runtime/src, a vendored copy) declare its bases, not tasks.
   */
  taskFiles(): string[] {
    const reaching = this.reach();
    const files: string[] = [];
    for (const [file, entry] of this.entries)
      if (!entry.followed && entry.mayDeclareTask && reaching.has(file) && !this.host.isRuntimeFile(file))
        files.push(file);
    return files;
  }

  /** Whether a source reaches the runtime through its imports (for tests and logs). */
  reachesRuntime(file: string): boolean {
    return this.reach().has(file);
  }

  get size(): number {
    return this.entries.size;
  }

  private read(file: string, followed: boolean): Entry | undefined {
    const outcome = this.host.importText(file);
    if (!outcome) return undefined;
    const info = ts.preProcessFile(outcome.text, true, true);
    return {
      specifiers: info.importedFiles.map((f) => f.fileName),
      // A file read only in part may declare one further down.
      mayDeclareTask: !outcome.whole || EXTENDS.test(outcome.text),
      followed,
    };
  }

  private targetsOf(file: string, entry: Entry): (string | null)[] {
    entry.targets ??= entry.specifiers.map((s) => this.host.resolve(s, file) ?? null);
    return entry.targets;
  }

  /** Every file that reaches the runtime: the importers of runtime-reaching modules, transitively. */
  private reach(): Set<string> {
    if (this.reaching) return this.reaching;
    const importers = new Map<string, string[]>();
    const reaching = new Set<string>();
    const queue: string[] = [];
    const seed = (file: string) => {
      if (!reaching.has(file)) {
        reaching.add(file);
        queue.push(file);
      }
    };
    // Modules outside the sources are read when first imported; the list grows while we walk it.
    const pending = [...this.entries.keys()];
    for (let i = 0; i < pending.length; i++) {
      const file = pending[i]!;
      const entry = this.entries.get(file)!;
      const targets = this.targetsOf(file, entry);
      entry.specifiers.forEach((specifier, k) => {
        const target = targets[k];
        if (target === null || target === undefined) {
          if (isRuntimeSpecifier(specifier)) seed(file);
          return;
        }
        if (this.host.isRuntimeFile(target)) return seed(file);
        if (!this.entries.has(target)) {
          const dependency = this.host.isDependencyOfRuntime(target);
          if (dependency !== undefined) {
            if (dependency) seed(file);
            return;
          }
          // A source of the workspace no event told us of (its watcher missed it) is still one of
          // ours, as a fresh scan would find it: its classes are tasks, not a followed module's.
          const followed = this.read(target, !this.host.isWorkspaceSource(target));
          if (!followed) return;
          this.entries.set(target, followed);
          pending.push(target);
        }
        let list = importers.get(target);
        if (!list) importers.set(target, (list = []));
        list.push(file);
      });
    }
    while (queue.length > 0) for (const importer of importers.get(queue.pop()!) ?? []) seed(importer);
    this.reaching = reaching;
    return reaching;
  }
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
