// Transpiled pipeline modules, cached: a run whose .ts files did not change skips esbuild entirely
// (loading it and its first transform cost ~50–150 ms per process, and every isolated task attempt
// is a process). One entry per source file, keyed by a hash of its path and checked against a hash
// of everything that shapes the output.
//
// The cache lives in the user's cache directory, never in the workspace: whatever a repository
// carries (a planted `.plumb/cache/ts/` included) is only ever read as source and transpiled, so
// no code runs that is not in the pipeline's own files.
import { mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sha1Hex as sha1 } from './sha1';
import { userCacheHome } from './user-cache-home';

/** `<user cache>/plumb/ts/<hash of the project root's real path>`: one folder per project. */
const dirs = new Map<string, string>();
export function transpileCacheDir(projectRoot: string): string {
  const known = dirs.get(projectRoot);
  if (known) return known;
  let real = path.resolve(projectRoot);
  try {
    real = realpathSync.native(real); // one system call; node:fs's own walks each part in JS
  } catch {
    /* not there (yet): its resolved path keys it */
  }
  const dir = path.join(userCacheHome(), 'plumb', 'ts', sha1(real).slice(0, 16));
  dirs.set(projectRoot, dir);
  return dir;
}

/**
 * The transpiled code of `filename` (whose text is `source`): from the cache when `recipe` (the
 * transpiler's version and options) and the source are unchanged, else from `transpile`, stored.
 * A cache that cannot be read or written is only a slower run, never an error. Each recipe has its
 * own entry: two plumb builds used on one project (the editor's and the project's, a before/after
 * benchmark) would otherwise overwrite each other's and load esbuild at every other start.
 */
export function transpileCached(
  cacheDir: string,
  filename: string,
  source: string,
  recipe: string,
  transpile: () => string,
): string {
  const entry = path.join(cacheDir, `${sha1(`${recipe}\0${filename}`)}.js`);
  const stamp = `// plumb-transpiled ${sha1(`${recipe}\0${filename}\0${source}`)}\n`;
  try {
    const cached = readFileSync(entry, 'utf8');
    if (cached.startsWith(stamp)) return cached.slice(stamp.length);
  } catch {
    /* not cached yet */
  }
  const code = transpile();
  try {
    mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    const temp = `${entry}.${process.pid}.tmp`;
    writeFileSync(temp, stamp + code);
    renameSync(temp, entry); // readers see the old entry or the new one, never half of one
  } catch {
    /* read-only or full disk: next time transpiles again */
  }
  return code;
}
