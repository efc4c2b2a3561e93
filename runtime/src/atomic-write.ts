// Outputs appear whole or not at all: every write goes to a temporary file in the same directory,
// then one rename. Temp files of a killed process are swept the next time anyone writes there.
import {
  closeSync,
  createWriteStream,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  writeSync,
  type WriteStream,
} from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { exited, pidExists } from './process-identity';

const TEMP_SUFFIX = '.plumb-tmp';
const TEMP_PATTERN = /\.(\d+)-\d+\.plumb-tmp$/;

let durable = false;
let tempCounter = 0;
const preparedDirs = new Set<string>();
/** Temp files being written by this process, so a cancelled run can remove them. */
export const openTemps = new Set<string>();

/** Durable mode: fsync each output and its directory before the write counts (off by default: ~6× cost). */
export function setDurableWrites(on: boolean): void {
  durable = on;
}

export function isDurable(): boolean {
  return durable;
}

/** A guard the task context installs: throws when the writing task was cancelled or timed out. */
let commitGuard: (() => void) | undefined;
export function setCommitGuard(guard: (() => void) | undefined): void {
  commitGuard = guard;
}

/**
 * An isolated task's process commits only while the run that started it is alive: once its parent
 * is gone (killed, OOM) nobody will record the task, and a rerun may already be writing the same
 * output. `process.ppid` changes when the parent dies (the child is re-parented).
 */
let requiredParent: number | undefined;
export function setRequiredParent(pid: number | undefined): void {
  requiredParent = pid;
}

export function mayCommit(file: string): void {
  commitGuard?.();
  if (requiredParent !== undefined && process.ppid !== requiredParent) {
    throw new Error(`not writing ${file}: the run that started this task (pid ${requiredParent}) is gone`);
  }
}

/**
 * Whether the writer of a temp file may still commit it. A zombie counts as dead: it has exited and
 * only waits to be reaped, which an orphan's new parent (pid 1 in a container without an init) may
 * never do, and kill(pid, 0) succeeds on it.
 */
function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  return pidExists(pid) && !exited(pid);
}

/** Creates the directory once per process and removes temp files that dead processes left there. */
export function prepareDir(dir: string): void {
  if (preparedDirs.has(dir)) return;
  mkdirSync(dir, { recursive: true });
  sweepStaleTemps(dir);
  preparedDirs.add(dir);
}

/** Removes `*.plumb-tmp` files in `dir` whose writing process is gone. Returns how many. */
export function sweepStaleTemps(dir: string): number {
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    if (!name.endsWith(TEMP_SUFFIX)) continue;
    const m = TEMP_PATTERN.exec(name);
    if (m && !pidAlive(Number(m[1]))) {
      try {
        rmSync(path.join(dir, name), { recursive: true }); // a temp file, or a temp directory (atomic-directory.ts)
        removed++;
      } catch {
        /* another process swept it first */
      }
    }
  }
  return removed;
}

/**
 * Opens a new temp file in `dir`. A long-lived process (a warm pool member, a cluster worker)
 * remembers the directories it prepared; when something else removed one since, it is made again
 * instead of failing the task with ENOENT.
 */
function openTempSync(temp: string, dir: string): number {
  try {
    return openSync(temp, 'w');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    preparedDirs.delete(dir);
    prepareDir(dir);
    return openSync(temp, 'w');
  }
}

/** `dir/.name.<pid>-<n>.plumb-tmp` beside `file` (`dir` is path.dirname(file): already normal, no join). */
export function tempPathFor(file: string, dir = path.dirname(file)): string {
  const name = `.${path.basename(file)}.${process.pid}-${++tempCounter}${TEMP_SUFFIX}`;
  return dir.endsWith(path.sep) ? dir + name : `${dir}${path.sep}${name}`;
}

/** Writes `data` to `file` atomically, synchronously (the cheapest path for small outputs). */
export function atomicWriteFileSync(file: string, data: string | Uint8Array): void {
  const dir = path.dirname(file);
  prepareDir(dir);
  const temp = tempPathFor(file, dir);
  openTemps.add(temp);
  try {
    const fd = openTempSync(temp, dir);
    try {
      if (typeof data === 'string') writeSync(fd, data);
      else writeSync(fd, data);
      if (durable) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    mayCommit(file);
    renameSync(temp, file);
    if (durable) syncDir(dir);
  } catch (e) {
    removeQuietly(temp);
    throw e;
  } finally {
    openTemps.delete(temp);
  }
}

/** Large outputs: the same promise, without blocking the event loop while bytes go out. */
export async function atomicWriteFile(file: string, data: string | Uint8Array): Promise<void> {
  if (data.length < 1 << 20) return atomicWriteFileSync(file, data);
  const dir = path.dirname(file);
  prepareDir(dir);
  const temp = tempPathFor(file, dir);
  openTemps.add(temp);
  try {
    closeSync(openTempSync(temp, dir)); // made (with its directory, if that went) before the slow write
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(data);
      if (durable) await handle.sync();
    } finally {
      await handle.close();
    }
    mayCommit(file);
    await rename(temp, file);
    if (durable) syncDir(path.dirname(file));
  } catch (e) {
    await unlink(temp).catch(() => undefined);
    throw e;
  } finally {
    openTemps.delete(temp);
  }
}

/** A streaming writer into a temp file; `commit()` renames it into place, `abort()` throws it away. */
export class AtomicWriter {
  private readonly stream: WriteStream;
  private readonly temp: string;
  private finished = false;

  constructor(readonly file: string) {
    const dir = path.dirname(file);
    prepareDir(dir);
    this.temp = tempPathFor(file, dir);
    openTemps.add(this.temp);
    // Opened synchronously: the temp file exists (and is ours) before the first write is awaited.
    this.stream = createWriteStream(this.temp, { fd: openTempSync(this.temp, dir) });
  }

  /** Writes a chunk, waiting when the stream asks for back-pressure. */
  async write(chunk: string | Uint8Array): Promise<void> {
    if (!this.stream.write(chunk)) await new Promise<void>((resolve) => this.stream.once('drain', resolve));
  }

  async commit(): Promise<void> {
    if (this.finished) throw new Error(`writer for ${this.file} already finished`);
    this.finished = true;
    try {
      await new Promise<void>((resolve, reject) => {
        this.stream.once('error', reject);
        this.stream.end(() => resolve());
      });
      if (durable) {
        const fd = openSync(this.temp, 'r+');
        try {
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
      }
      mayCommit(this.file);
      await rename(this.temp, this.file);
      if (durable) syncDir(path.dirname(this.file));
    } catch (e) {
      await unlink(this.temp).catch(() => undefined);
      throw e;
    } finally {
      openTemps.delete(this.temp);
    }
  }

  async abort(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    this.stream.destroy();
    await unlink(this.temp).catch(() => undefined);
    openTemps.delete(this.temp);
  }
}

/** Removes every temp file this process has open (a cancelled run calls this before exiting). */
export function removeOpenTemps(): void {
  for (const temp of openTemps) removeQuietly(temp);
  openTemps.clear();
}

function removeQuietly(file: string): void {
  try {
    rmSync(file, { recursive: true }); // a temp directory too (atomic-directory.ts)
  } catch {
    /* already gone */
  }
}

function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* some file systems refuse fsync on directories */
  }
}
