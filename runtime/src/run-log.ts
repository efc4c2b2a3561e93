// Appends a run's event lines to `.plumb/runs/<runId>.jsonl`: buffered, so a run of 100,000 tasks
// costs a few hundred writes, not a million, and flushed on a short timer so the file follows the run.
// A process that exits mid-run still writes what it buffered (an exit handler).
// At the end of each run the folder is trimmed to its retention: the newest `[run] keep_run_logs`
// runs (default 200) within `[run] keep_run_logs_mb` megabytes (default 200), never the current one.
import { appendFileSync, mkdirSync, readdirSync, statSync, unlinkSync } from 'node:fs';
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

export class RunLogWriter {
  readonly file: string;
  readonly dir: string;
  // One growing string (V8 concatenates without copying until it is written), not an array to join.
  private buffer = '';
  private timer: ReturnType<typeof setTimeout> | undefined;
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
    if (this.buffer.length >= FLUSH_CHARS) this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), FLUSH_MS);
      this.timer.unref();
    }
  }

  /** Trims the folder to `retention`, keeping this run's log (call after the last flush). */
  applyRetention(retention: RunLogRetention): string[] {
    return pruneRunLogs(this.dir, retention, this.file);
  }

  /** Every line appended so far is in the file when this returns. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer.length === 0) return;
    const text = this.buffer;
    this.buffer = '';
    appendFileSync(this.file, text);
  }

  /** The run is over: flush(), and the exit no longer needs to. */
  close(): void {
    this.flush();
    this.listening = false;
    process.removeListener('exit', this.onExit);
  }
}
