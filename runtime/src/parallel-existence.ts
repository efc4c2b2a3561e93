// Existence checks of many paths: a folder holding many of them is listed once (directory-listing.ts)
// and the rest are spread over worker threads, as git's preload-index spreads its lstats: an
// all-complete rerun of 100,000 outputs is otherwise one existsSync after another on the main
// thread, and that alone takes longer than the rest of the rerun.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { workerThreadsModule } from './builtins-on-demand';
import { existsIn, listFolder } from './directory-listing';

/**
 * Fewer paths than this are checked on the main thread: a thread's start (a Node environment,
 * ~30–60 ms of CPU) costs about what 6,000 checks save the main thread, and more on a busy machine.
 */
export const PARALLEL_FROM = 20_000;

/** This many paths in a row in one folder and the folder is listed: its other paths are looked up. */
export const LIST_FROM = 64;
/**
 * Listings read at most this many entries a path (all listings of a check together, and each one
 * a path still to come), then the folder's paths are asked one by one: an entry costs ~1/3 of an
 * existsSync, so a folder full of other files costs at most ~1.7× asking every path.
 */
const ENTRIES_PER_PATH = 2;

/** Paths handed over at a time: a thread claims a chunk of them, the main thread takes what is left. */
const CHUNK = 1024;
/** Control slots (Int32) of the shared buffer. */
const PUBLISHED = 0; // paths written into the shared buffer so far
const NEXT = 1; // the next chunk to claim
const STATE = 2; // 0 while paths are being added, then ALL_PUBLISHED or STOPPED
const MISSING = 3; // 1 once some path was found missing
const BY_THREADS = 4; // paths the threads checked (the main thread checks the rest)
const ALL_PUBLISHED = 1;
const STOPPED = 2;
/** A chunk's slot in `chunkState`: claimed by someone, then checked. */
const CLAIMED = 1;
const CHECKED = 2;
/**
 * How long the main thread waits for a chunk a thread holds before checking it itself: about what
 * a chunk takes a running thread. On a busy machine a thread may wait far longer for a core (or
 * it may have died): checking 1,024 paths twice costs less than waiting.
 */
const TAKE_OVER_MS = 10;

// The threads' code (CommonJS, evaluated): no file to ship beside the bundle. Paths arrive as UTF-8
// in one shared buffer (no message, no clone of 100,000 strings); answers go back as one byte each.
const CHECKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { existsSync } = require('node:fs');
const { ctrl, ends, bytes, found, chunkState, total } = workerData;
const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
for (;;) {
  const state = Atomics.load(ctrl, ${STATE});
  if (state === ${STOPPED}) break;
  const published = Atomics.load(ctrl, ${PUBLISHED});
  const limit = state === ${ALL_PUBLISHED} ? published : total;
  const chunk = Atomics.load(ctrl, ${NEXT});
  const start = chunk * ${CHUNK};
  if (start >= limit) break;
  const end = Math.min(start + ${CHUNK}, limit);
  if (published < end) {
    Atomics.wait(ctrl, ${PUBLISHED}, published, 5);
    continue;
  }
  if (Atomics.compareExchange(ctrl, ${NEXT}, chunk, chunk + 1) !== chunk) continue;
  Atomics.store(chunkState, chunk, ${CLAIMED});
  let missing = false;
  for (let i = start; i < end; i++) {
    const ok = existsSync(text.toString('utf8', i === 0 ? 0 : ends[i - 1], ends[i]));
    found[i] = ok ? 1 : 2;
    if (!ok) missing = true;
  }
  if (missing) Atomics.store(ctrl, ${MISSING}, 1);
  Atomics.add(ctrl, ${BY_THREADS}, end - start);
  Atomics.store(chunkState, chunk, ${CHECKED});
  Atomics.notify(chunkState, chunk);
}
`;

/**
 * Up to `capacity` paths, added one by one while the caller computes them; `allExist()` then says
 * whether they all exist, exactly as existsSync would, path by path. A run of LIST_FROM paths in
 * one folder has the folder listed then and there, and its later paths are looked up as they
 * come; a name the listing lacks is asked again. So each answer is what the disk held at some
 * moment of this one check, as with existsSync here (a listing is never kept for a later check).
 * The other paths go to threads once there are a chunk of them, checked while the caller goes on;
 * the main thread takes what is left.
 */
export class ParallelExistence {
  /** How many were made in this process. */
  static made = 0;
  /** How many of them started threads (at most once each). */
  static threaded = 0;
  /** Folders listed, in all of them. */
  static listed = 0;
  private added = 0;
  /** The folder of the last paths added (its length is where their names start). */
  private runDir: string | undefined;
  /** Its listing, once listed; until then its paths, in `run`. */
  private runNames: Set<string> | undefined;
  private run: string[] = [];
  /** Folders listed so far (undefined: could not be, or not worth it): none is listed twice. */
  private readonly listings = new Map<string, Set<string> | undefined>();
  /** Some path of a listed folder is missing. */
  private missingListed = false;
  /** Entries listings may still read. */
  private entriesLeft: number;
  /** Paths no listing answers, until there are a chunk of them for threads. */
  private loose: string[] = [];
  private threads: ThreadChecks | undefined;

  /** `capacity`: how many paths at most; `typicalBytes`: a path's UTF-8 length, to size the buffer. */
  constructor(
    private readonly capacity: number,
    private readonly typicalBytes: number,
  ) {
    ParallelExistence.made++;
    this.entriesLeft = ENTRIES_PER_PATH * capacity;
  }

  add(file: string): void {
    if (this.added >= this.capacity) throw new RangeError('more paths than the capacity given');
    this.added++;
    const dir = this.runDir;
    // Same folder as the last path? (Known without making a string: most outputs come folder by folder.)
    const at = file.lastIndexOf(path.sep);
    if (dir === undefined || at !== dir.length || !file.startsWith(dir)) {
      this.endRun();
      this.runDir = file.slice(0, at);
      this.runNames = this.listings.get(this.runDir);
      if (at < 0) {
        // Not an absolute path: no folder to list.
        this.run.push(file);
        return this.endRun();
      }
    }
    if (this.runNames !== undefined) {
      if (!this.missingListed && !existsIn(this.runNames, file, this.runDir!.length + 1))
        this.missingListed = true;
      return;
    }
    this.run.push(file);
    if (this.run.length < LIST_FROM) return;
    if (!this.listings.has(this.runDir!)) this.list();
    // A folder not worth listing (or not listable): its paths go on to the threads as they come.
    if (this.runNames === undefined) this.handOver();
  }

  /** How many paths the threads have checked so far. */
  get checkedByThreads(): number {
    return this.threads?.checkedByThreads ?? 0;
  }

  /** True once some path was found missing: the caller may stop adding. */
  get missingSeen(): boolean {
    return this.missingListed || this.threads?.missingSeen === true;
  }

  /** Whether every path added exists; the main thread checks alongside the threads, then waits. */
  allExist(): boolean {
    this.endRun();
    if (this.missingListed) {
      this.stop();
      return false;
    }
    if (this.threads !== undefined) return this.threads.allExist();
    for (const file of this.loose) if (!existsSync(file)) return false;
    return true;
  }

  /** Ends the threads' work (they exit at their next chunk). */
  stop(): void {
    this.threads?.stop();
  }

  /** Lists the run's folder (LIST_FROM paths in it so far) and checks the run against it. */
  private list(): void {
    const dir = this.runDir!;
    // Every path still to come might be in this folder: a listing longer than that does not pay.
    const budget = ENTRIES_PER_PATH * (this.capacity - this.added + this.run.length);
    // With its separator: '' is the root and 'C:' would be drive C's current folder, not its root.
    const { names, entries } = listFolder(dir + path.sep, Math.min(budget, this.entriesLeft));
    this.entriesLeft -= entries;
    this.listings.set(dir, names);
    if (names === undefined) return; // its paths go to the threads
    ParallelExistence.listed++;
    for (const file of this.run)
      if (!existsIn(names, file, dir.length + 1)) {
        this.missingListed = true;
        break;
      }
    this.run = [];
    this.runNames = names;
  }

  /** The last folder's paths that no listing answered go to the threads. */
  private endRun(): void {
    this.handOver();
    this.runDir = undefined;
    this.runNames = undefined;
  }

  /** The run's paths so far go to the threads (held as loose until there are enough for them). */
  private handOver(): void {
    if (this.run.length === 0) return;
    if (this.threads !== undefined) for (const file of this.run) this.threads.add(file);
    else {
      for (const file of this.run) this.loose.push(file);
      // Enough for a thread's start to pay (one chunk for it and one for the main thread).
      if (this.loose.length >= 2 * CHUNK) {
        this.threads = new ThreadChecks(this.capacity, this.typicalBytes);
        for (const file of this.loose) this.threads.add(file);
        this.loose = [];
      }
    }
    this.run = [];
  }
}

/**
 * Paths checked by worker threads (started at once) while more are added; `allExist()` checks
 * what no thread has taken and waits for the rest.
 */
class ThreadChecks {
  private readonly ctrl = new Int32Array(new SharedArrayBuffer(8 * 4));
  private readonly ends: Int32Array;
  private readonly bytes: Buffer;
  private readonly found: Uint8Array;
  private readonly chunkState: Int32Array;
  private count = 0;
  private used = 0;
  /** Paths that did not fit the shared buffer: checked on the main thread. */
  private readonly spill: string[] = [];

  constructor(
    private readonly capacity: number,
    typicalBytes: number,
  ) {
    this.ends = new Int32Array(new SharedArrayBuffer(capacity * 4));
    // Twice the first path's length a path: pages never written are never resident.
    const size = Math.min(capacity * Math.max(64, 2 * typicalBytes), 0x7fff_0000);
    this.bytes = Buffer.from(new SharedArrayBuffer(size));
    this.found = new Uint8Array(new SharedArrayBuffer(capacity));
    this.chunkState = new Int32Array(new SharedArrayBuffer(Math.ceil(capacity / CHUNK) * 4));
    ParallelExistence.threaded++;
    const threads = Math.max(1, Math.min(3, availableParallelism() - 1));
    const workerData = {
      ctrl: this.ctrl,
      ends: this.ends,
      bytes: new Uint8Array(this.bytes.buffer, 0, size),
      found: this.found,
      chunkState: this.chunkState,
      total: capacity,
    };
    try {
      const { Worker } = workerThreadsModule();
      for (let k = 0; k < threads; k++) {
        const worker = new Worker(CHECKER_SOURCE, {
          eval: true,
          workerData,
          stdout: false,
          stderr: false,
          // It holds one path at a time: a small heap keeps its memory small.
          resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 16 },
        });
        worker.unref(); // it ends by itself once every chunk is claimed, or at stop()
        worker.on('error', () => undefined); // the main thread checks what a failed thread left
      }
    } catch {
      // No thread could start (a limit on threads, say): the main thread checks every path.
    }
  }

  add(path: string): void {
    const i = this.count;
    const room = this.bytes.length - this.used;
    // Up to 3 bytes a UTF-16 unit; a path that might not fit goes to the spill (and so does every
    // later one: the shared list stays in order).
    if (this.spill.length === 0 && path.length * 3 <= room) {
      this.used = writeUtf8(this.bytes, path, this.used);
      this.ends[i] = this.used;
      this.count++;
      if (this.count % CHUNK === 0) {
        Atomics.store(this.ctrl, PUBLISHED, this.count);
        Atomics.notify(this.ctrl, PUBLISHED);
      }
    } else this.spill.push(path);
  }

  /** How many paths the threads have checked so far. */
  get checkedByThreads(): number {
    return Atomics.load(this.ctrl, BY_THREADS);
  }

  /** True once a thread has found some path missing: the caller may stop adding. */
  get missingSeen(): boolean {
    return Atomics.load(this.ctrl, MISSING) === 1;
  }

  /** Whether every path added exists; the main thread checks alongside the threads, then waits. */
  allExist(): boolean {
    const ctrl = this.ctrl;
    Atomics.store(ctrl, PUBLISHED, this.count);
    Atomics.store(ctrl, STATE, ALL_PUBLISHED);
    Atomics.notify(ctrl, PUBLISHED);
    try {
      for (const p of this.spill) if (!existsSync(p)) return false;
      // Take chunks no thread has claimed yet, exactly as a thread does.
      for (;;) {
        if (this.missingSeen) return false;
        const chunk = Atomics.load(ctrl, NEXT);
        if (chunk * CHUNK >= this.count) break;
        if (Atomics.compareExchange(ctrl, NEXT, chunk, chunk + 1) !== chunk) continue;
        if (!this.checkChunk(chunk)) return false;
      }
      // Wait for chunks the threads hold; one held too long is checked here (its thread may be gone).
      const claimed = Atomics.load(ctrl, NEXT);
      for (let chunk = 0; chunk < claimed; chunk++) {
        while (Atomics.load(this.chunkState, chunk) !== CHECKED) {
          if (
            Atomics.wait(this.chunkState, chunk, Atomics.load(this.chunkState, chunk), TAKE_OVER_MS) ===
            'timed-out'
          ) {
            if (!this.checkChunk(chunk)) return false;
            break;
          }
        }
      }
      if (this.missingSeen) return false;
      for (let i = 0; i < this.count; i++) if (this.found[i] !== 1) return false;
      return true;
    } finally {
      this.stop();
    }
  }

  /** Ends the threads' work (they exit at their next chunk). */
  stop(): void {
    Atomics.store(this.ctrl, STATE, STOPPED);
    Atomics.notify(this.ctrl, PUBLISHED);
  }

  private checkChunk(chunk: number): boolean {
    const start = chunk * CHUNK;
    const end = Math.min(start + CHUNK, this.count);
    for (let i = start; i < end; i++) {
      const ok = existsSync(this.bytes.toString('utf8', i === 0 ? 0 : this.ends[i - 1], this.ends[i]));
      this.found[i] = ok ? 1 : 2;
      if (!ok) return false;
    }
    Atomics.store(this.chunkState, chunk, CHECKED);
    return true;
  }
}

const encoder = new TextEncoder();

/**
 * Writes `text` as UTF-8 at `at`, returning the end: ASCII byte by byte (Buffer's write() costs
 * ~0.8 µs a call in argument checks, more than the rest of a path's way to the threads), the rest
 * by the encoder.
 */
function writeUtf8(bytes: Buffer, text: string, at: number): number {
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c >= 0x80) return at - k + encoder.encodeInto(text, bytes.subarray(at - k)).written;
    bytes[at++] = c;
  }
  return at;
}
