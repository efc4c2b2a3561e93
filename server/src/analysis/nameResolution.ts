// Follows a name written in one file to what it denotes: a class in some file of the program, or an
// export of a module that did not resolve (then we know it only by module specifier and name).
// Goes through imports, re-exports (`export *`, `export { A as B } from`), namespace imports and
// module-level aliases, with a guard against import cycles.
import type { ClassSummary, FileSummary, NamePath } from './model';

export type Resolved =
  | { kind: 'class'; file: FileSummary; cls: ClassSummary }
  /** A module-level `const X = 'text'` (read into target paths of the files importing it). */
  | { kind: 'constant'; file: FileSummary; text: string }
  /** A module we could not resolve (e.g. 'plumb-pipelines' not installed): known by specifier and name. */
  | { kind: 'unresolved'; module: string; name: string };

export interface ModuleLookup {
  /** The summary of the module `specifier` imported from `fromFile`, or undefined when it does not resolve. */
  summaryOfModule(specifier: string, fromFile: FileSummary): FileSummary | undefined;
  /** Whether a summary is still the one the program holds for its file (the file was not edited since). */
  isCurrent(summary: FileSummary): boolean;
}

interface CachedResolution {
  result: Resolved | undefined;
  /** Every summary the resolution looked into: it holds while all of them are current. */
  deps: FileSummary[];
}

/** Resolutions kept across analyses, per file summary; dropped whole when files appear or vanish. */
export type ResolutionCache = WeakMap<FileSummary, Map<string, CachedResolution>>;

const MAX_STEPS = 64;

export class NameResolver {
  private visited: Set<FileSummary> | undefined;
  /** Open `track` calls: each collects the summaries its resolutions depended on. */
  private readonly trackers: Set<FileSummary>[] = [];

  constructor(
    private readonly modules: ModuleLookup,
    private readonly cache: ResolutionCache = new WeakMap(),
  ) {}

  resolve(file: FileSummary, path: NamePath): Resolved | undefined {
    const key = path.length === 1 ? path[0]! : path.join('.');
    let perFile = this.cache.get(file);
    if (!perFile) this.cache.set(file, (perFile = new Map()));
    let entry = perFile.get(key);
    if (!entry || !this.allCurrent(entry.deps)) {
      this.visited = new Set([file]);
      const result = this.resolveIn(file, path, 0);
      entry = { result, deps: [...this.visited] };
      this.visited = undefined;
      perFile.set(key, entry);
    }
    this.touch(entry.deps);
    return entry.result;
  }

  /** Runs `fn` and returns, with its value, every summary the resolutions inside it depended on. */
  track<T>(fn: () => T): { value: T; deps: FileSummary[] } {
    const deps = new Set<FileSummary>();
    this.trackers.push(deps);
    try {
      return { value: fn(), deps: [...deps] };
    } finally {
      this.trackers.pop();
    }
  }

  /** Records dependencies of work reused from a cache in every open `track`. */
  touch(deps: readonly FileSummary[]): void {
    for (const t of this.trackers) for (const d of deps) t.add(d);
  }

  allCurrent(deps: readonly FileSummary[]): boolean {
    for (const d of deps) if (!this.modules.isCurrent(d)) return false;
    return true;
  }

  private resolveIn(file: FileSummary, path: NamePath, depth: number): Resolved | undefined {
    if (depth > MAX_STEPS || path.length === 0) return undefined;
    const [head, ...rest] = path as [string, ...string[]];
    const cls = file.classes.get(head);
    if (cls) return rest.length === 0 ? { kind: 'class', file, cls } : undefined;
    const text = file.constants?.get(head);
    if (text !== undefined) return rest.length === 0 ? { kind: 'constant', file, text } : undefined;
    const alias = file.aliases.get(head);
    if (alias) return this.resolveIn(file, [...alias, ...rest], depth + 1);
    const imported = file.imports.get(head);
    if (!imported) return undefined;
    if (imported.name === '*') {
      if (rest.length === 0) return undefined;
      const [member, ...more] = rest as [string, ...string[]];
      return this.resolveExport(file, imported.module, member, more, depth + 1);
    }
    return this.resolveExport(file, imported.module, imported.name, rest, depth + 1);
  }

  private resolveExport(
    fromFile: FileSummary,
    specifier: string,
    name: string,
    rest: string[],
    depth: number,
  ): Resolved | undefined {
    if (depth > MAX_STEPS) return undefined;
    const target = this.modules.summaryOfModule(specifier, fromFile);
    if (target) this.visited?.add(target);
    const byName = rest.length === 0 ? ({ kind: 'unresolved', module: specifier, name } as const) : undefined;
    if (!target) return byName;
    // A runtime that resolves but does not (yet) declare the name, or ships only bundled JavaScript,
    // is still recognised by the name imported from it.
    return this.exportOf(target, name, rest, depth) ?? (isRuntimeSpecifier(specifier) ? byName : undefined);
  }

  private exportOf(file: FileSummary, name: string, rest: string[], depth: number): Resolved | undefined {
    if (depth > MAX_STEPS) return undefined;
    const binding = file.exports.get(name);
    if (binding) {
      if ('local' in binding) return this.resolveIn(file, [...binding.local, ...rest], depth + 1);
      if (binding.name === '*') {
        const [member, ...more] = rest;
        return member === undefined
          ? undefined
          : this.resolveExport(file, binding.module, member, more, depth + 1);
      }
      return this.resolveExport(file, binding.module, binding.name, rest, depth + 1);
    }
    for (const star of file.starExports) {
      const target = this.modules.summaryOfModule(star, file);
      if (target) this.visited?.add(target);
      const found = target
        ? this.exportOf(target, name, rest, depth + 1)
        : isRuntimeSpecifier(star) && rest.length === 0
          ? ({ kind: 'unresolved', module: star, name } as const)
          : undefined;
      if (found) return found;
    }
    return undefined;
  }
}

export function isRuntimeSpecifier(specifier: string): boolean {
  return specifier === 'plumb-pipelines' || specifier.startsWith('plumb-pipelines/');
}
