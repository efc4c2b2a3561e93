// Transpiled pipeline modules, cached: a run whose .ts files did not change skips esbuild entirely
// (loading it and its first transform cost ~50–150 ms per process, and every isolated task attempt
// is a process). One entry per source file and recipe, keyed by a hash of both, holding the source
// it was made from: a start compares the file's text with it instead of hashing the text.
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
 *
 * An entry is a header line naming its recipe, file and the source's length, then the source, then
 * the code. Comparing the source is a memcmp; hashing it was a cold JS SHA-1 at every start
 * (~0.8 ms for 2.5 KB, ~6 ms for 50 KB, and a background optimising compile of the hash).
 */
export function transpileCached(
  cacheDir: string,
  filename: string,
  source: string,
  recipe: string,
  transpile: () => string,
): string {
  // `source`: entries written before they held their source (a stamp of hashes) have other names.
  const entry = path.join(cacheDir, `${sha1(`source\0${recipe}\0${filename}`)}.js`);
  const header = `// plumb-transpiled ${JSON.stringify([recipe, filename, source.length])}\n`;
  try {
    const cached = readFileSync(entry, 'utf8');
    if (cached.startsWith(header) && cached.startsWith(source, header.length))
      return cached.slice(header.length + source.length);
  } catch {
    /* not cached yet */
  }
  const code = transpile();
  try {
    mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    const temp = `${entry}.${process.pid}.tmp`;
    writeFileSync(temp, header + source + code);
    renameSync(temp, entry); // readers see the old entry or the new one, never half of one
  } catch {
    /* read-only or full disk: next time transpiles again */
  }
  return code;
}
