// Transpiled pipeline modules kept in `.plumb/cache/ts/` under the project root: a run whose .ts
// files did not change skips esbuild entirely (loading it and its first transform cost ~50–150 ms
// per process, and every isolated task attempt is a process). One entry per source file, keyed by
// a hash of its path and checked against a hash of everything that shapes the output.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

/**
 * The transpiled code of `filename` (whose text is `source`): from the cache when `recipe` (the
 * transpiler's version and options) and the source are unchanged, else from `transpile`, stored.
 * A cache that cannot be read or written is only a slower run, never an error.
 */
export function transpileCached(
  cacheDir: string,
  filename: string,
  source: string,
  recipe: string,
  transpile: () => string,
): string {
  const entry = path.join(cacheDir, `${sha1(filename)}.js`);
  const stamp = `// plumb-transpiled ${sha1(`${recipe}\0${filename}\0${source}`)}\n`;
  try {
    const cached = readFileSync(entry, 'utf8');
    if (cached.startsWith(stamp)) return cached.slice(stamp.length);
  } catch {
    /* not cached yet */
  }
  const code = transpile();
  try {
    mkdirSync(cacheDir, { recursive: true });
    const temp = `${entry}.${process.pid}.tmp`;
    writeFileSync(temp, stamp + code);
    renameSync(temp, entry); // readers see the old entry or the new one, never half of one
  } catch {
    /* read-only or full disk: next time transpiles again */
  }
  return code;
}
