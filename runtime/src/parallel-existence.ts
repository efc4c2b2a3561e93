// Existence checks of many paths spread over worker threads, as git's preload-index spreads its
// lstats: an all-complete rerun of 100,000 outputs is otherwise one existsSync after another on
// the main thread, and that alone takes longer than the rest of the rerun.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { workerThreadsModule } from './builtins-on-demand';

/**
 * Fewer paths than this are checked on the main thread: a thread's start (a Node environment,
 * ~30–60 ms of CPU) costs about what 6,000 checks save the main thread, and more on a busy machine.
 */
export const PARALLEL_FROM = 20_000;

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
 * Up to `capacity` paths, added one by one while the caller computes them (threads check the
 * first chunks meanwhile); `allExist()` then checks what no thread has taken and waits for the rest.
 * Answers exactly what existsSync would, path by path.
 */
export class ParallelExistence {
  /** How many were made in this process (a run's threads are started at most once a check). */
  static made = 0;
  private readonly ctrl = new Int32Array(new SharedArrayBuffer(8 * 4));
  private readonly ends: Int32Array;
  private readonly bytes: Buffer;
  private readonly found: Uint8Array;
  private readonly chunkState: Int32Array;
  private count = 0;
  private used = 0;
  /** Paths that did not fit the shared buffer: checked on the main thread. */
  private readonly spill: string[] = [];

  /** `capacity`: how many paths at most; `typicalBytes`: a path's UTF-8 length, to size the buffer. */
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
    ParallelExistence.made++;
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
    if (this.count >= this.capacity) throw new RangeError('more paths than the capacity given');
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
