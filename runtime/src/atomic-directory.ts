// Directory outputs appear whole or not at all, like files: a task fills a temporary directory
// beside the output (`.name.<pid>-<n>.plumb-tmp`), renamed into place on success. A killed task
// leaves only the temporary directory, which never counts as the output and is swept, like temp
// files, the next time anyone writes in that folder once its process is gone.
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import path from 'node:path';
import { isDurable, mayCommit, openTemps, prepareDir, tempPathFor } from './atomic-write';

export class AtomicDirectory {
  /** The temporary directory to write into; it becomes `dir` on commit(). */
  readonly path: string;
  private finished = false;

  constructor(readonly dir: string) {
    prepareDir(path.dirname(dir));
    this.path = tempPathFor(dir);
    openTemps.add(this.path);
    mkdirSync(this.path);
  }

  /** Renames the filled directory into place (replacing an older one whole). */
  commit(): void {
    if (this.finished) throw new Error(`writer for ${this.dir} already finished`);
    this.finished = true;
    try {
      if (isDurable()) syncTree(this.path);
      mayCommit(this.dir);
      let old: string | undefined;
      try {
        renameSync(this.path, this.dir);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'EISDIR') throw e;
        // An older output is there: move it aside (a temp name, swept if we die now), then swap.
        old = tempPathFor(this.dir);
        renameSync(this.dir, old);
        renameSync(this.path, this.dir);
      }
      if (isDurable()) syncDir(path.dirname(this.dir));
      if (old) rmSync(old, { recursive: true, force: true });
    } catch (e) {
      rmSync(this.path, { recursive: true, force: true });
      throw e;
    } finally {
      openTemps.delete(this.path);
    }
  }

  abort(): void {
    if (this.finished) return;
    this.finished = true;
    rmSync(this.path, { recursive: true, force: true });
    openTemps.delete(this.path);
  }
}

/** Fills a new directory through `fill` (given the temporary path); commits when it resolves, discards when it throws. */
export async function atomicWriteDirectory(
  dir: string,
  fill: (tempDir: string) => Promise<void> | void,
): Promise<void> {
  const writer = new AtomicDirectory(dir);
  try {
    await fill(writer.path);
  } catch (e) {
    writer.abort();
    throw e;
  }
  writer.commit();
}

/** Durable mode: every file and folder of the tree on disk before the rename makes it count. */
function syncTree(dir: string): void {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) syncTree(full);
    else syncFile(full);
  }
  syncDir(dir);
}

function syncFile(file: string): void {
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function syncDir(dir: string): void {
  try {
    syncFile(dir);
  } catch {
    /* some file systems refuse fsync on directories */
  }
}
