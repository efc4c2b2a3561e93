// Outputs appear whole or not at all: every write goes to a temporary file in the same directory,
// then one rename. Temp files of a killed process are swept the next time anyone writes there.
import {
  closeSync,
  createWriteStream,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  rename,
  renameSync,
  rmSync,
  unlink,
  writeSync,
  type WriteStream,
} from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { fsPromisesModule } from './builtins-on-demand';
import { fsyncAndClose, syncDirBatched } from './durable-sync';
import { exited, pidExists } from './process-identity';

// node:fs's own, not node:fs/promises': a streamed output's commit then loads nothing more (fs/promises
// brings readline and stream modules, several ms of a CLI start); only large writes need its handles.
const renameAsync = promisify(rename);
const unlinkAsync = promisify(unlink);

const TEMP_SUFFIX = '.plumb-tmp';
const TEMP_PATTERN = /\.(\d+)-\d+\.plumb-tmp$/;

let durable = false;
let tempCounter = 0;
const preparedDirs = new Set<string>();
/** Temp files being written by this process, so a cancelled run can remove them. */
export const openTemps = new Set<string>();

/**
 * Durable mode: an output counts only once its data and its directory entry are on disk (off by
 * default: ~2–6× the cost). The fsyncs run on the thread pool, concurrently across attempts; see
 * deferCommit for synchronous writes.
 */
export function setDurableWrites(on: boolean): void {
  durable = on;
}

export function isDurable(): boolean {
  return durable;
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

/**
 * Throws when `file` must not appear now: its task was cancelled or timed out (the last step of
 * every atomic write asks), or this isolated process's run is gone. `attempt`: the writing attempt,
 * when the caller already looked it up (an AsyncLocalStorage lookup: one a write, not two).
 */
export function mayCommit(file: string, attempt: Attempt | undefined = currentAttempt()): void {
  if (attempt?.stopped) {
    const reason: unknown = attempt.signal.reason;
    throw reason instanceof Error ? reason : new Error(`${attempt.taskId} was stopped`);
  }
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
  const attempt = currentAttempt();
  const writes = durable ? writesOf(attempt) : undefined;
  if (writes) {
    openTemps.add(temp);
    return deferCommit(writes, file, temp, dir, data);
  }
  // Not in openTemps: no other code runs between its creation and its rename or removal here.
  try {
    const fd = openTempSync(temp, dir);
    try {
      if (typeof data === 'string') writeSync(fd, data);
      else writeSync(fd, data);
      if (durable) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    mayCommit(file, attempt);
    renameSync(temp, file);
    if (durable) syncDir(dir);
  } catch (e) {
    removeQuietly(temp);
    throw e;
  }
  noteCommitted(attempt, file);
}

/**
 * Large outputs: the same promise, without blocking the event loop while bytes go out. Durable:
 * the file is in place when this resolves (its fsync waited for on the thread pool); its directory
 * entry is synced before the attempt counts.
 */
export async function atomicWriteFile(file: string, data: string | Uint8Array): Promise<void> {
  const small = data.length < 1 << 20;
  if (small && !durable) return atomicWriteFileSync(file, data);
  const dir = path.dirname(file);
  prepareDir(dir);
  const temp = tempPathFor(file, dir);
  openTemps.add(temp);
  try {
    if (small) {
      await fsyncAndClose(writeTempSync(temp, dir, data), temp);
    } else {
      closeSync(openTempSync(temp, dir)); // made (with its directory, if that went) before the slow write
      const handle = await fsPromisesModule().open(temp, 'w');
      try {
        await handle.writeFile(data);
        if (durable) await handle.sync();
      } finally {
        await handle.close();
      }
    }
    mayCommit(file);
    await renameAsync(temp, file);
    noteCommitted(currentAttempt(), file);
    if (durable) await entrySynced(dir);
  } catch (e) {
    await unlinkAsync(temp).catch(() => undefined);
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
        const handle = await fsPromisesModule().open(this.temp, 'r+');
        try {
          await handle.sync();
        } finally {
          await handle.close();
        }
      }
      mayCommit(this.file);
      await renameAsync(this.temp, this.file);
      noteCommitted(currentAttempt(), this.file);
      if (durable) await entrySynced(path.dirname(this.file));
    } catch (e) {
      await unlinkAsync(this.temp).catch(() => undefined);
      throw e;
    } finally {
      openTemps.delete(this.temp);
    }
  }

  async abort(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    this.stream.destroy();
    await unlinkAsync(this.temp).catch(() => undefined);
    openTemps.delete(this.temp);
  }
}

/** Removes every temp file this process has open (a cancelled run calls this before exiting). */
export function removeOpenTemps(): void {
  for (const temp of openTemps) removeQuietly(temp);
  openTemps.clear();
  pendingTemps.clear();
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

/** Writes `data` into a new temp file and returns its open descriptor (the temp is removed on failure by the caller). */
function writeTempSync(temp: string, dir: string, data: string | Uint8Array): number {
  const fd = openTempSync(temp, dir);
  try {
    if (typeof data === 'string') writeSync(fd, data);
    else writeSync(fd, data);
  } catch (e) {
    closeSync(fd);
    throw e;
  }
  return fd;
}

// Durable synchronous writes inside a task: the caller cannot wait, so the commit is deferred to
// the end of the attempt (worker.ts awaits endAttemptWrites before the attempt counts). The data
// is written now and its fsync starts on the thread pool at once; the rename that makes it visible
// under its final name comes only after that fsync (never a complete-looking empty file after a
// crash) and only if the attempt succeeded; then each directory is synced once for all its renames.

/** What the running attempt is: task-context.ts installs the lookup (this module knows no tasks). */
interface Attempt {
  readonly taskId: string;
  readonly stopped: boolean;
  readonly signal: AbortSignal;
}
let currentAttempt: () => Attempt | undefined = () => undefined;
export function setAttemptLookup(lookup: () => Attempt | undefined): void {
  currentAttempt = lookup;
}

interface DeferredCommit {
  file: string;
  temp: string;
  dir: string;
  /** Resolves with the fsync's error, or undefined once the data is on disk (never rejects). */
  synced: Promise<unknown>;
  /** Puts `temp` in `file`'s place (absent: one rename); returns what to remove once the entry is on disk. */
  place?: () => string | undefined;
}
interface AttemptWrites {
  commits: DeferredCommit[];
  /** Directories where this attempt renamed outputs whose entries are still to sync. */
  dirs: Set<string>;
}
const WRITES = Symbol('plumb.durableWrites');
/** The attempt's writes are over (its end ran): a late write commits synchronously instead. */
const ENDED = Symbol('plumb.durableWritesEnded');
type WithWrites = Attempt & { [WRITES]?: AttemptWrites | typeof ENDED };

// The files an attempt's own code put in place (renamed into their final name in this process),
// kept on the attempt: the check after its run() reads them instead of asking the disk again
// (scheduler.ts). One path for the usual single output, a list beyond.
const COMMITTED = Symbol('plumb.committed');
type WithCommits = Attempt & { [COMMITTED]?: string | string[] };

function noteCommitted(attempt: Attempt | undefined, file: string): void {
  if (!attempt) return;
  const a = attempt as WithCommits;
  const slot = a[COMMITTED];
  if (slot === undefined) a[COMMITTED] = file;
  else if (typeof slot === 'string') {
    if (slot !== file) a[COMMITTED] = [slot, file];
  } else if (!slot.includes(file)) slot.push(file);
}

/** Whether `attempt`'s code committed `file` itself (its rename into place succeeded). */
export function committedBy(attempt: object, file: string): boolean {
  const slot = (attempt as WithCommits)[COMMITTED];
  return slot === file || (Array.isArray(slot) && slot.includes(file));
}

/** Final path → the temp file holding its deferred data: reads of one's own output go there. */
const pendingTemps = new Map<string, string>();

/** Where `file`'s content is while its durable commit is deferred (undefined: at `file`). */
export function pendingTempOf(file: string): string | undefined {
  return pendingTemps.size === 0 ? undefined : pendingTemps.get(file);
}

function writesOf(attempt: Attempt | undefined): AttemptWrites | undefined {
  if (!attempt) return undefined;
  const slot = (attempt as WithWrites)[WRITES];
  if (slot === ENDED) return undefined;
  return slot ?? ((attempt as WithWrites)[WRITES] = { commits: [], dirs: new Set() });
}

function deferCommit(
  writes: AttemptWrites,
  file: string,
  temp: string,
  dir: string,
  data: string | Uint8Array,
): void {
  let fd: number;
  try {
    fd = writeTempSync(temp, dir, data);
  } catch (e) {
    removeQuietly(temp);
    openTemps.delete(temp);
    throw e;
  }
  const synced = fsyncAndClose(fd, temp).then(
    () => undefined,
    (e: unknown) => e ?? new Error(`fsync of ${temp} failed`),
  );
  writes.commits.push({ file, temp, dir, synced });
  pendingTemps.set(file, temp);
}

/**
 * Durable mode inside a task, for writes that cannot wait (AtomicDirectory.commit()): `sync()`
 * starts now and `temp` takes `file`'s place through `place` when the attempt has succeeded, after
 * it, like a synchronous file write. False outside a task (nothing started).
 */
export function deferToAttemptEnd(
  file: string,
  temp: string,
  sync: () => Promise<void>,
  place: () => string | undefined,
): boolean {
  const writes = writesOf(currentAttempt());
  if (!writes) return false;
  const synced = sync().then(
    () => undefined,
    (e: unknown) => e ?? new Error(`syncing ${temp} failed`),
  );
  writes.commits.push({ file, temp, dir: path.dirname(file), synced, place });
  pendingTemps.set(file, temp);
  return true;
}

/** A durable write's directory entry: synced before the attempt counts (batched), or now outside a task. */
export async function entrySynced(dir: string): Promise<void> {
  const writes = writesOf(currentAttempt());
  if (writes) writes.dirs.add(dir);
  else await syncDirBatched(dir);
}

/**
 * The attempt's code is over: `ok` commits its deferred writes (after their fsyncs: rename, then
 * one directory sync per directory) and resolves once all is on disk; otherwise they are thrown
 * away (a failed attempt leaves no output it wrote synchronously). Undefined: nothing to wait for.
 */
export function endAttemptWrites(attempt: Attempt, ok: boolean): Promise<void> | undefined {
  const slot = (attempt as WithWrites)[WRITES];
  (attempt as WithWrites)[WRITES] = ENDED;
  if (slot === undefined || slot === ENDED) return undefined;
  if (!ok) {
    for (const c of slot.commits) discard(c);
    return undefined;
  }
  return commitWrites(attempt, slot);
}

async function commitWrites(attempt: Attempt, writes: AttemptWrites): Promise<void> {
  const { commits, dirs } = writes;
  const replaced: string[] = [];
  let i = 0;
  try {
    for (const c of commits) {
      const error = await c.synced;
      if (error) throw error;
    }
    for (; i < commits.length; i++) {
      const c = commits[i]!;
      if (attempt.stopped) throw stopReason(attempt);
      mayCommit(c.file);
      if (!c.place) {
        renameSync(c.temp, c.file);
        noteCommitted(attempt, c.file);
      } else {
        const old = c.place();
        if (old) replaced.push(old); // removed once the new entry is on disk
      }
      release(c);
      dirs.add(c.dir);
    }
  } catch (e) {
    for (; i < commits.length; i++) discard(commits[i]!);
    throw e;
  }
  await Promise.all(Array.from(dirs, syncDirBatched));
  await Promise.all(replaced.map((old) => fsPromisesModule().rm(old, { recursive: true, force: true })));
}

function stopReason(attempt: Attempt): Error {
  const reason: unknown = attempt.signal.reason;
  return reason instanceof Error
    ? reason
    : new Error('the task was stopped before its outputs were committed');
}

function release(c: DeferredCommit): void {
  openTemps.delete(c.temp);
  if (pendingTemps.get(c.file) === c.temp) pendingTemps.delete(c.file);
}

function discard(c: DeferredCommit): void {
  removeQuietly(c.temp);
  release(c);
}
