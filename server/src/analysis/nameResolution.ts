// Follows a name written in one file to what it denotes: a class in some file of the program, or an
// export of a module that did not resolve (then we know it only by module specifier and name).
// Goes through imports, re-exports (`export *`, `export { A as B } from`), namespace imports and
// module-level aliases, with a guard against import cycles.
import type { ClassSummary, FileSummary, NamePath } from './model';

export type Resolved =
  | { kind: 'class'; file: FileSummary; cls: ClassSummary }
  /** A module we could not resolve (e.g. '@plumb/runtime' not installed): known by specifier and name. */
  | { kind: 'unresolved'; module: string; name: string };

export interface ModuleLookup {
  /** The summary of the module `specifier` imported from `fromFile`, or undefined when it does not resolve. */
  summaryOfModule(specifier: string, fromFile: string): FileSummary | undefined;
}

const MAX_STEPS = 64;

export class NameResolver {
  constructor(private readonly modules: ModuleLookup) {}

  resolve(file: FileSummary, path: NamePath): Resolved | undefined {
    return this.resolveIn(file, path, 0);
  }

  private resolveIn(file: FileSummary, path: NamePath, depth: number): Resolved | undefined {
    if (depth > MAX_STEPS || path.length === 0) return undefined;
    const [head, ...rest] = path as [string, ...string[]];
    const cls = file.classes.get(head);
    if (cls) return rest.length === 0 ? { kind: 'class', file, cls } : undefined;
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
    const target = this.modules.summaryOfModule(specifier, fromFile.fileName);
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
      const target = this.modules.summaryOfModule(star, file.fileName);
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
  return specifier === '@plumb/runtime' || specifier.startsWith('@plumb/runtime/');
}
