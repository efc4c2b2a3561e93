// Finds a pipeline's project root the way the runtime does: the nearest folder with plumb.toml.
import { existsSync } from 'node:fs';
import path from 'node:path';

/** The nearest directory at or above `file`'s folder containing plumb.toml, else `fallback`. */
export function projectRootOf(file: string, fallback: string): string {
  let dir = path.dirname(path.resolve(file));
  for (;;) {
    if (existsSync(path.join(dir, 'plumb.toml'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return fallback;
    dir = parent;
  }
}

/** Where the runtime keeps the event logs of past runs. */
export function runsDirOf(projectRoot: string): string {
  return path.join(projectRoot, '.plumb', 'runs');
}
