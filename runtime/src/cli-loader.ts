// Loads a pipeline module: TypeScript transpiled on the fly by esbuild with inline source maps (so
// stack traces and debugger breakpoints point into the .ts), and 'plumb-pipelines' resolved to this
// CLI's own runtime instance (same classes: `instanceof Task` and task ids hold).
import type * as Esbuild from 'esbuild';
import { readFileSync } from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import * as runtime from './index';
import { describeLoadError } from './cli-code-frame';
import { transpileCacheDir, transpileCached } from './cli-transpile-cache';
import { getProjectRoot } from './project-root';
import { type ParamSchema } from './parameter';
import { paramSchemaOf, Task } from './task';

interface ModuleInternals {
  _load(request: string, parent: unknown, isMain: boolean): unknown;
  _resolveFilename(request: string, parent: unknown, isMain: boolean, options?: unknown): string;
  _extensions: Record<
    string,
    (module: { _compile(code: string, file: string): void }, filename: string) => void
  >;
}

/** Resolves from the CLI's own location (its esbuild), whatever the user's working directory. */
const ownRequire = Module.createRequire(
  typeof __filename === 'string' ? __filename : path.resolve(process.argv[1] ?? 'plumb'),
);

/** This CLI's own bundle: its classes are not the project's, its frames not the user's. */
const ownFile = typeof __filename === 'string' ? __filename : '';

/** Frames of the runtime (this bundle, an installed plumb-pipelines, esbuild) are not the user's. */
const isRuntimeFile = (file: string) =>
  file === ownFile || /[\\/]node_modules[\\/](esbuild|plumb-pipelines)[\\/]/.test(file);

const TS_EXTENSIONS: Record<string, 'ts' | 'tsx'> = {
  '.ts': 'ts',
  '.mts': 'ts',
  '.cts': 'ts',
  '.tsx': 'tsx',
};
const loadedFiles: string[] = [];
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  process.setSourceMapsEnabled(true);
  // The package's entries (plumb-pipelines/dist/entry.*) hand out this instance: an ES module
  // pipeline's import, which _load below never sees, gets the same Task class.
  (globalThis as Record<symbol, unknown>)[Symbol.for('plumb-pipelines.runtime')] = runtime;
  const M = Module as unknown as ModuleInternals;
  const originalLoad = M._load;
  M._load = function (request, parent, isMain) {
    if (request === 'plumb-pipelines') return runtime;
    return originalLoad.call(this, request, parent, isMain);
  };
  const originalResolve = M._resolveFilename;
  M._resolveFilename = function (request, parent, isMain, options) {
    try {
      return originalResolve.call(this, request, parent, isMain, options);
    } catch (e) {
      // TypeScript sources import './x.js' meaning './x.ts'.
      if (/^\.\.?\//.test(request) && /\.[cm]?js$/.test(request)) {
        return originalResolve.call(this, request.replace(/\.([cm]?)js$/, '.$1ts'), parent, isMain, options);
      }
      throw e;
    }
  };
  // Loaded lazily, only when a file is not in the transpile cache: esbuild has a native binary.
  let esbuild: typeof Esbuild | undefined;
  const recipe = `${esbuildVersion()} ${JSON.stringify(TRANSFORM_OPTIONS)}`;
  for (const [ext, loader] of Object.entries(TS_EXTENSIONS)) {
    M._extensions[ext] = (module, filename) => {
      const source = readFileSync(filename, 'utf8');
      const cacheDir = transpileCacheDir(getProjectRoot());
      const code = transpileCached(cacheDir, filename, source, `${loader} ${recipe}`, () => {
        esbuild ??= ownRequire('esbuild') as typeof Esbuild;
        return esbuild.transformSync(source, { ...TRANSFORM_OPTIONS, loader, sourcefile: filename }).code;
      });
      loadedFiles.push(filename);
      module._compile(code, filename);
    };
  }
}

// The inline map names the .ts file and carries no copy of its text (sourcesContent): Node, with
// source maps on, scans every character of a module it compiles (its line lengths, in a cold JS
// loop: ~0.25 µs a character), so the copy cost each start as much as the code itself. Stack
// traces need only the mappings; a debugger reads the .ts from disk, where the map names it.
const TRANSFORM_OPTIONS = {
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  sourcesContent: false,
  keepNames: true,
} as const;

function esbuildVersion(): string {
  try {
    const manifest = readFileSync(ownRequire.resolve('esbuild/package.json'), 'utf8');
    return `esbuild@${(JSON.parse(manifest) as { version: string }).version}`;
  } catch {
    return 'esbuild@unknown';
  }
}

export type TaskClass = (new (params?: object) => Task) & { name: string };

export interface LoadedPipeline {
  file: string;
  exports: Record<string, unknown>;
  /** Exported task classes by family name. */
  families: Map<string, TaskClass>;
}

/** The pipeline file (or a module it imports) could not be loaded: a syntax error, a throw at import. */
export class PipelineLoadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PipelineLoadError';
  }
}

export function loadPipeline(file: string): LoadedPipeline {
  install();
  const abs = path.resolve(file);
  let exports: Record<string, unknown>;
  try {
    exports = ownRequire(abs) as Record<string, unknown>;
  } catch (e) {
    throw new PipelineLoadError(`cannot load ${file}: ${describeLoadError(e, isRuntimeFile)}`, { cause: e });
  }
  const families = new Map<string, TaskClass>();
  for (const value of Object.values(exports)) {
    if (isTaskClass(value)) families.set(value.name, value);
  }
  return { file: abs, exports, families };
}

/**
 * Every task family the loaded modules define, for checking plumb.toml: the task classes any
 * loaded module exports (with their parameter schemas), and the names of classes the project's own
 * files declare without exporting (known to exist, not checkable before they are constructed).
 */
export function loadedFamilies(): { schemas: Map<string, ParamSchema>; declared: Set<string> } {
  const schemas = new Map<string, ParamSchema>();
  const declared = new Set<string>();
  for (const [file, mod] of Object.entries(ownRequire.cache)) {
    const exports = mod?.exports as Record<string, unknown> | undefined;
    if (exports && typeof exports === 'object') {
      for (const value of Object.values(exports)) {
        if (isTaskClass(value)) schemas.set(value.name, paramSchemaOf(value));
      }
    }
    if (
      file === ownFile ||
      file.includes(`${path.sep}node_modules${path.sep}`) ||
      !/\.[cm]?[jt]sx?$/.test(file)
    )
      continue;
    try {
      for (const m of readFileSync(file, 'utf8').matchAll(/\bclass\s+([A-Za-z_$][\w$]*)/g))
        declared.add(m[1]!);
    } catch {
      /* gone since it was loaded: its exports above still count */
    }
  }
  return { schemas, declared };
}

export function isTaskClass(value: unknown): value is TaskClass {
  return typeof value === 'function' && value.prototype instanceof Task;
}

/** Where `class <family>` is declared among the loaded TypeScript files (1-based line). */
export function sourceLocator(): (family: string) => { file: string; line?: number } | undefined {
  const cache = new Map<string, { file: string; line?: number } | undefined>();
  const texts = new Map<string, string[]>();
  return (family) => {
    if (cache.has(family)) return cache.get(family);
    let found: { file: string; line?: number } | undefined;
    const pattern = new RegExp(`\\bclass\\s+${family}\\b`);
    for (const file of loadedFiles) {
      let lines = texts.get(file);
      if (!lines) {
        lines = readFileSync(file, 'utf8').split('\n');
        texts.set(file, lines);
      }
      const at = lines.findIndex((l) => pattern.test(l));
      if (at >= 0) {
        found = { file, line: at + 1 };
        break;
      }
    }
    cache.set(family, found);
    return found;
  };
}

/** Describes a family's parameters for `plumb list` and error messages. */
export function describeFamily(cls: TaskClass): {
  family: string;
  kind: string;
  params: {
    name: string;
    type: string;
    required: boolean;
    default?: string;
    significant: boolean;
    description?: string;
  }[];
} {
  const schema = paramSchemaOf(cls);
  const kind =
    cls.prototype instanceof runtime.ExternalTask
      ? 'external'
      : cls.prototype instanceof runtime.WrapperTask
        ? 'wrapper'
        : 'task';
  return {
    family: cls.name,
    kind,
    params: Object.entries(schema).map(([name, def]) => ({
      name,
      type: def.kind,
      required: !def.hasDefault,
      ...(def.hasDefault ? { default: def.format(def.default) } : {}),
      significant: def.significant,
      ...(def.description ? { description: def.description } : {}),
    })),
  };
}
