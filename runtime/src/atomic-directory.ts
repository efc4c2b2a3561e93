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
import { fsPromisesModule } from './builtins-on-demand';
import {
  deferToAttemptEnd,
  entrySynced,
  isDurable,
  mayCommit,
  openTemps,
  prepareDir,
  tempPathFor,
} from './atomic-write';
import { syncTree } from './durable-sync';

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

  /**
   * Renames the filled directory into place (replacing an older one whole). Durable mode inside a
   * task: the tree's fsyncs start on the thread pool and the rename waits for them and for the
   * task's success (its own reads see the output through its LocalTarget meanwhile); outside a
   * task it syncs here, blocking (commitAsync() does not).
   */
  commit(): void {
    this.finish();
    if (isDurable() && deferToAttemptEnd(this.dir, this.path, () => syncTree(this.path), this.place)) return;
    try {
      if (isDurable()) syncTreeSync(this.path);
      mayCommit(this.dir);
      const old = this.place();
      if (isDurable()) syncDirSync(path.dirname(this.dir));
      if (old) rmSync(old, { recursive: true, force: true });
    } catch (e) {
      rmSync(this.path, { recursive: true, force: true });
      throw e;
    } finally {
      openTemps.delete(this.path);
    }
  }

  /**
   * The same without blocking the thread: durable mode's fsyncs run on the thread pool; the
   * directory is in place when this resolves, its entry on disk before the task counts (at once
   * outside a task).
   */
  async commitAsync(): Promise<void> {
    if (!isDurable()) return this.commit();
    this.finish();
    try {
      await syncTree(this.path);
      mayCommit(this.dir);
      const old = this.place();
      await entrySynced(path.dirname(this.dir));
      if (old) await fsPromisesModule().rm(old, { recursive: true, force: true });
    } catch (e) {
      await fsPromisesModule().rm(this.path, { recursive: true, force: true });
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

  private finish(): void {
    if (this.finished) throw new Error(`writer for ${this.dir} already finished`);
    this.finished = true;
  }

  /** Renames the temporary directory to `dir`; an older output there is moved aside first (returned, to remove). */
  private readonly place = (): string | undefined => {
    try {
      renameSync(this.path, this.dir);
      return undefined;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'EISDIR') throw e;
      // An older output is there: move it aside (a temp name, swept if we die now), then swap.
      const old = tempPathFor(this.dir);
      renameSync(this.dir, old);
      renameSync(this.path, this.dir);
      return old;
    }
  };
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
  await writer.commitAsync();
}

/** Durable mode outside a task, synchronously: every file and folder of the tree on disk before the rename. */
function syncTreeSync(dir: string): void {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) syncTreeSync(full);
    else syncFileSync(full);
  }
  syncDirSync(dir);
}

function syncFileSync(file: string): void {
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function syncDirSync(dir: string): void {
  try {
    syncFileSync(dir);
  } catch {
    /* some file systems refuse fsync on directories */
  }
}
