// Where relative target paths live: the nearest directory at or above the pipeline module holding
// plumb.toml (set by whoever loads the pipeline), else the current working directory.
import { existsSync } from 'node:fs';
import path from 'node:path';

let projectRoot: string | undefined;

export function getProjectRoot(): string {
  return projectRoot ?? process.cwd();
}

export function setProjectRoot(dir: string | undefined): void {
  projectRoot = dir === undefined ? undefined : path.resolve(dir);
}

/** The nearest directory at or above `start` that contains plumb.toml, or undefined. */
export function findProjectRoot(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    if (existsSync(path.join(dir, 'plumb.toml'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
