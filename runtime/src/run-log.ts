// Appends a run's event lines to `.plumb/runs/<runId>.jsonl`: buffered, so a run of 100,000 tasks
// costs a few hundred writes, not a million, and flushed on a short timer so the file follows the run.
// The writes themselves go to the thread pool (~690 bytes a task cost the run's thread 6 µs a task
// on this disk), each at its own place in the file, so flush() can still finish the file at once.
// At the end of each run the folder is trimmed to its retention: the newest `[run] keep_run_logs`
// runs (default 200) within `[run] keep_run_logs_mb` megabytes (default 200), never the current one.
import {
  closeSync,
  constants,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  statSync,
  unlinkSync,
  write,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { recordsDir, recordsDirOf } from './operations/test-mode';

/** `.plumb/runs` of the project, or of the test area in test mode (test runs keep their own history). */
export function runLogDir(projectRoot: string): string {
  return path.join(recordsDir(projectRoot), 'runs');
}

/** Where the run `runId` of another process logs: the project's, or its test area's, `.plumb/runs`. */
export function runLogFileOf(projectRoot: string, testArea: string | undefined, runId: string): string {
  return path.join(recordsDirOf(projectRoot, testArea), 'runs', `${runId}.jsonl`);
}

/** Names newRunId() gives: they sort by start time. */
const RUN_LOG_NAME = /^\d{8}T\d{9}Z-[0-9a-f]+\.jsonl$/;

export interface RunLogRetention {
  /** Logs kept, newest first (0 = no count limit). */
  maxRuns: number;
  /** Total bytes kept (0 = no size limit). */
  maxBytes: number;
}

/**
 * Deletes the oldest run logs in `dir` beyond `retention`; `current` (this run's log) is always
 * kept and counts first. Only files named like run logs are touched. Returns the deleted names.
 */
export function pruneRunLogs(dir: string, retention: RunLogRetention, current?: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => RUN_LOG_NAME.test(n));
  } catch {
    return [];
  }
  const currentName = current === undefined ? undefined : path.basename(current);
  const sizeOf = (name: string) => {
    try {
      return statSync(path.join(dir, name)).size;
    } catch {
      return 0;
    }
  };
  let runs = 0;
  let bytes = 0;
  if (currentName !== undefined && names.includes(currentName)) {
    runs = 1;
    bytes = sizeOf(currentName);
  }
  const deleted: string[] = [];
  // Newest first; from the first log that does not fit on, every older one goes too.
  let full = false;
  for (const name of names.sort().reverse()) {
    if (name === currentName) continue;
    const size: number = full ? 0 : sizeOf(name);
    full ||=
      (retention.maxRuns > 0 && runs >= retention.maxRuns) ||
      (retention.maxBytes > 0 && bytes + size > retention.maxBytes);
    if (!full) {
      runs++;
      bytes += size;
      continue;
    }
    try {
      unlinkSync(path.join(dir, name));
      deleted.push(name);
    } catch {
      /* removed by another run's trim */
    }
  }
  return deleted;
}

const FLUSH_CHARS = 256 * 1024;
const FLUSH_MS = 200;
/** Chunks on the thread pool at most; beyond, the run's thread writes (a disk slower than the run). */
const MAX_IN_FLIGHT = 4;

export class RunLogWriter {
  readonly file: string;
  readonly dir: string;
  // One growing string (V8 concatenates without copying until it is written), not an array to join.
  private buffer = '';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private fd: number | undefined;
  /** Where the next chunk goes: the file's end when it was opened, plus every chunk since. */
  private end = 0;
  /** Chunks handed to the thread pool and not yet known written, by their place in the file. */
  private readonly unwritten = new Map<number, Buffer>();
  private inFlight = 0;
  private closing = false;
  /** A process that exits mid-run (a second Ctrl-C) still leaves every line it emitted. */
  private readonly onExit = () => this.flush();
  private listening = false;

  constructor(projectRoot: string, runId: string) {
    this.dir = runLogDir(projectRoot);
    mkdirSync(this.dir, { recursive: true });
    this.file = path.join(this.dir, `${runId}.jsonl`);
  }

  append(line: string): void {
    if (!this.listening) {
      this.listening = true;
      process.on('exit', this.onExit);
    }
    this.buffer += `${line}\n`;
    if (this.buffer.length >= FLUSH_CHARS) this.handOff();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.handOff(), FLUSH_MS);
      this.timer.unref();
    }
  }

  /** Trims the folder to `retention`, keeping this run's log (call after the last flush). */
  applyRetention(retention: RunLogRetention): string[] {
    return pruneRunLogs(this.dir, retention, this.file);
  }

  /** Every line appended so far is in the file when this returns (written here, synchronously). */
  flush(): void {
    this.take();
    if (this.unwritten.size === 0) return;
    const fd = this.open();
    // A chunk the thread pool may be writing too: the same bytes at the same place, either way.
    for (const [at, bytes] of this.unwritten) writeSync(fd, bytes, 0, bytes.length, at);
    this.unwritten.clear();
  }

  /** flush(), then the file is closed (once the thread pool's last write has returned). */
  close(): void {
    this.flush();
    this.closing = true;
    if (this.inFlight === 0) this.release();
  }

  /** The buffered lines become the next chunk, at the end of the file: its place. */
  private take(): number | undefined {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer.length === 0) return undefined;
    const bytes = Buffer.from(this.buffer);
    this.buffer = '';
    this.open();
    const at = this.end;
    this.unwritten.set(at, bytes);
    this.end += bytes.length;
    return at;
  }

  private handOff(): void {
    const at = this.take();
    if (at === undefined) return;
    if (this.inFlight >= MAX_IN_FLIGHT) return this.flush();
    const bytes = this.unwritten.get(at)!;
    this.inFlight++;
    write(this.fd!, bytes, 0, bytes.length, at, (error, written) => {
      this.inFlight--;
      // A failed or short write stays unwritten: the next flush() writes it whole.
      if (!error && written === bytes.length && this.unwritten.get(at) === bytes) this.unwritten.delete(at);
      if (this.inFlight === 0 && this.closing) this.release();
    });
  }

  /** Opened once, not for appending: every chunk is written at its own place (see flush()). */
  private open(): number {
    if (this.fd === undefined) {
      this.closing = false;
      // Not O_APPEND: Linux would append every write wherever it was meant to go.
      this.fd = openSync(this.file, constants.O_WRONLY | constants.O_CREAT);
      this.end = fstatSync(this.fd).size;
    }
    return this.fd;
  }

  private release(): void {
    this.listening = false;
    process.removeListener('exit', this.onExit);
    if (this.fd === undefined) return;
    this.flush(); // lines a late write left (a failed one), or appended meanwhile
    closeSync(this.fd);
    this.fd = undefined;
    this.closing = false;
  }
}
