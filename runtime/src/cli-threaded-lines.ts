// Event lines written by a worker thread: the main thread copies each line into a shared ring
// buffer (no syscall), the writer thread writes what has accumulated every few milliseconds. Large
// runs stay batched (a few hundred writes a second at most), and a run() that blocks the main
// thread — a breakpoint, a CPU-bound loop — cannot hold back the events written before it. With
// nothing to write the writer sleeps until a line comes (no wake-up every few ms for nothing: on
// 2 cores busy with isolated tasks those wake-ups were a third of the run's own CPU).
import { type Worker } from 'node:worker_threads';
import { workerThreadsModule } from './builtins-on-demand';

/** Control slots (Int32) at the start of the shared buffer. */
const WRITTEN = 0; // bytes the main thread has put in the ring (wrapping 32-bit counter)
const TAKEN = 1; // bytes the writer has written out
const KICK = 2; // bumped to wake the writer now (flush, ring full, close)
const CLOSED = 3; // 1: write what is left, then stop; FAILED: the writer gave up
const IDLE = 4; // 1: the writer found the ring empty and sleeps until kicked
const FAILED = 2;
const HEADER_BYTES = 20;
const RING_BYTES = 8 * 1024 * 1024; // a power of two: positions are counters masked by size − 1
const PERIOD_MS = 5;
/** flush() gives up on a writer that takes nothing for this long (never started, a stalled reader). */
const STALL_MS = 10_000;

// The writer thread's code (CommonJS, evaluated): no file to ship beside the bundle.
const WRITER_SOURCE = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const ctrl = new Int32Array(workerData.shared, 0, 5);
const ring = new Uint8Array(workerData.shared, ${HEADER_BYTES});
const mask = ring.length - 1;
const nap = new Int32Array(new SharedArrayBuffer(4));
function writeAll(fd, bytes) {
  for (let at = 0; at < bytes.length; ) {
    try {
      at += fs.writeSync(fd, bytes, at, bytes.length - at);
    } catch (e) {
      if (e.code !== 'EAGAIN') throw e;
      Atomics.wait(nap, 0, 0, 1); // a full non-blocking pipe: let the reader catch up
    }
  }
}
try {
  const fd = workerData.file === undefined ? workerData.fd : fs.openSync(workerData.file, 'a');
  for (;;) {
    const kick = Atomics.load(ctrl, ${KICK});
    const closed = Atomics.load(ctrl, ${CLOSED}) === 1;
    const taken = Atomics.load(ctrl, ${TAKEN}) >>> 0;
    const count = ((Atomics.load(ctrl, ${WRITTEN}) >>> 0) - taken) >>> 0;
    if (count > 0) {
      const start = taken & mask;
      const first = Math.min(count, ring.length - start);
      writeAll(fd, ring.subarray(start, start + first));
      if (count > first) writeAll(fd, ring.subarray(0, count - first));
      Atomics.store(ctrl, ${TAKEN}, (taken + count) | 0);
      Atomics.notify(ctrl, ${TAKEN});
      Atomics.wait(ctrl, ${KICK}, kick, ${PERIOD_MS}); // lines that come meanwhile go out together
    } else if (closed) break;
    else {
      Atomics.store(ctrl, ${IDLE}, 1);
      // A line pushed before IDLE was set did not kick: look once more before sleeping.
      if (((Atomics.load(ctrl, ${WRITTEN}) >>> 0) - taken) >>> 0 === 0) Atomics.wait(ctrl, ${KICK}, kick);
      Atomics.store(ctrl, ${IDLE}, 0);
    }
  }
  if (workerData.file !== undefined) fs.closeSync(fd);
} catch (e) {
  // The reader went away (EPIPE) or the file cannot be written: the run goes on without this sink.
  Atomics.store(ctrl, ${CLOSED}, ${FAILED});
  Atomics.notify(ctrl, ${TAKEN});
}
`;

export class ThreadedLines {
  private readonly ctrl: Int32Array;
  private readonly ring: Uint8Array;
  private readonly worker: Worker;
  /** The process exits mid-run (a second Ctrl-C): its thread stops with it, so write what is left first. */
  private readonly onExit = () => this.flush();

  /** Writes to file descriptor `target` (1 = stdout), or appends to the file at path `target`. */
  constructor(target: number | string) {
    const shared = new SharedArrayBuffer(HEADER_BYTES + RING_BYTES);
    this.ctrl = new Int32Array(shared, 0, 5);
    this.ring = new Uint8Array(shared, HEADER_BYTES);
    this.worker = new (workerThreadsModule().Worker)(WRITER_SOURCE, {
      eval: true,
      workerData: typeof target === 'number' ? { shared, fd: target } : { shared, file: target },
      stdout: false,
      stderr: false,
    });
    this.worker.unref(); // it never keeps the process alive: close() waits for what matters
    this.worker.on('error', () => Atomics.store(this.ctrl, CLOSED, FAILED));
    process.on('exit', this.onExit);
  }

  private get failed(): boolean {
    return Atomics.load(this.ctrl, CLOSED) === FAILED;
  }

  push(line: string): void {
    if (this.failed) return;
    const bytes = Buffer.from(`${line}\n`);
    const mask = this.ring.length - 1;
    let at = 0;
    while (at < bytes.length) {
      const written = Atomics.load(this.ctrl, WRITTEN) >>> 0;
      const free = this.ring.length - (((written - (Atomics.load(this.ctrl, TAKEN) >>> 0)) >>> 0) as number);
      if (free === 0) {
        if (this.failed) return;
        this.waitForWriter(written);
        continue;
      }
      const start = written & mask;
      const count = Math.min(bytes.length - at, free, this.ring.length - start);
      this.ring.set(bytes.subarray(at, at + count), start);
      at += count;
      Atomics.store(this.ctrl, WRITTEN, (written + count) | 0);
    }
    if (Atomics.load(this.ctrl, IDLE) === 1) this.kick(); // the writer sleeps until told
  }

  /** Returns once everything pushed so far has been written. */
  flush(): void {
    const written = Atomics.load(this.ctrl, WRITTEN) >>> 0;
    let taken = Atomics.load(this.ctrl, TAKEN) >>> 0;
    let since = Date.now();
    while (!this.failed && taken !== written) {
      this.waitForWriter(written);
      const now = Atomics.load(this.ctrl, TAKEN) >>> 0;
      if (now !== taken) {
        taken = now;
        since = Date.now();
      } else if (Date.now() - since > STALL_MS) Atomics.store(this.ctrl, CLOSED, FAILED); // no hang at exit
    }
  }

  /** Writes what is left and stops the writer thread. */
  close(): void {
    process.removeListener('exit', this.onExit);
    this.flush();
    if (this.failed) return;
    Atomics.store(this.ctrl, CLOSED, 1);
    this.kick();
  }

  private kick(): void {
    Atomics.add(this.ctrl, KICK, 1);
    Atomics.notify(this.ctrl, KICK);
  }

  /** Wakes the writer and sleeps until it has taken more (or a moment has passed). */
  private waitForWriter(written: number): void {
    const taken = Atomics.load(this.ctrl, TAKEN);
    if (taken >>> 0 === written) return;
    this.kick();
    Atomics.wait(this.ctrl, TAKEN, taken, 50);
  }
}
