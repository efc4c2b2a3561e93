// plumb.toml's families checked against the project, once the pipeline is loaded: the loaded
// modules' task classes (keys and values checked), else any class the project's files declare (one
// plumb.toml serves every pipeline file of a project, so a [params.X] for another file's task is
// not a typo; those files are read only when plumb.toml names a family the loaded modules lack).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { loadedFamilies } from './cli-loader';
import { checkConfigFamilies, type PlumbConfig } from './config';

/** Throws a ConfigError (file:line, did-you-mean) for a family or parameter no task has. */
export function checkProjectConfig(config: PlumbConfig, projectRoot: string): void {
  const named = new Set([...Object.keys(config.params), ...Object.keys(config.tasks)]);
  // Nothing names a family (no plumb.toml, or none of its [params]/[tasks]): nothing to check, and
  // no loaded module read again for its class names.
  if (named.size === 0) return;
  const { schemas, declared } = loadedFamilies();
  const elsewhere = [...named].filter((f) => !schemas.has(f) && !declared.has(f));
  for (const family of declaredInProject(projectRoot, elsewhere)) declared.add(family);
  checkConfigFamilies(config, schemas, declared);
}

const SOURCE = /\.[cm]?[jt]sx?$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', 'out', 'build', 'coverage']);
const MAX_FILES = 5000;
const MAX_BYTES = 1 << 20;

/** The names among `wanted` that some source file under `projectRoot` declares as a class. */
export function declaredInProject(projectRoot: string, wanted: readonly string[]): Set<string> {
  const found = new Set<string>();
  if (wanted.length === 0) return found;
  const escape = (s: string) => s.replace(/[$]/g, '\\$');
  const pattern = new RegExp(`\\bclass\\s+(${wanted.map(escape).join('|')})\\b`, 'g');
  let files = 0;
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (files >= MAX_FILES || found.size === wanted.length) return;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.') && !SKIP_DIRS.has(entry.name)) walk(full);
      } else if (entry.isFile() && SOURCE.test(entry.name)) {
        files++;
        try {
          if (statSync(full).size > MAX_BYTES) continue;
          for (const m of readFileSync(full, 'utf8').matchAll(pattern)) found.add(m[1]!);
        } catch {
          /* unreadable: it declares nothing we can see */
        }
      }
    }
  };
  walk(projectRoot);
  return found;
}
