// Reads past runs from .plumb/runs/<runId>.jsonl for `plumb history`. The project folder may not be
// the reader's own: only regular files are read (a FIFO named *.jsonl would block for ever), never
// through a link, never more than a cap per log; a log that cannot be read is listed as such.
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readSync } from 'node:fs';
import path from 'node:path';
import { parseEventLine, type RunEvent } from './events';
import { runLogDir } from './run-log';

/** Largest log read (about 200,000 tasks); a larger one is listed without its details. */
export const MAX_RUN_LOG_BYTES = 128 * 1024 * 1024;

const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

export interface RunRecord {
  runId: string;
  /** Start time (ms since the epoch): run-started's, else the log's mtime. */
  startedAt: number;
  root: string;
  roots: string[];
  /** Undefined while the run goes on, or when it was killed before its end. */
  outcome?: string;
  exitCode?: number;
  durationMs?: number;
  failed: string[];
  /** Each task that ran to its end: duration and whether it succeeded. */
  tasks: Map<string, { durationMs: number; ok: boolean }>;
  message?: string;
  /** SLAs missed in this run (sla-missed events): a task's, or the run's (no taskId). */
  slaMisses: { scope: 'task' | 'run'; taskId?: string; deadline: number; status: string }[];
  /** Why the log was not read (a link, not a regular file, too large). */
  unreadable?: string;
}

/** Run log files newest first (names sort by start time). */
export function runLogNames(projectRoot: string): string[] {
  const dir = runLogDir(projectRoot);
  try {
    if (!lstatSync(dir).isDirectory()) return [];
    return readdirSync(dir)
      .filter((n) => n.endsWith('.jsonl'))
      .sort()
      .reverse();
  } catch {
    return [];
  }
}

function readCapped(file: string, maxBytes: number): string {
  const fd = openSync(file, OPEN_FLAGS);
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw new Error('not a regular file');
    if (info.size > maxBytes) throw new Error(`too large (${(info.size / 1048576).toFixed(1)} MB)`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1024 * 1024, maxBytes + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > maxBytes) throw new Error('too large (still growing)');
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

export function readRun(projectRoot: string, name: string, maxBytes = MAX_RUN_LOG_BYTES): RunRecord {
  const file = path.join(runLogDir(projectRoot), name);
  const record: RunRecord = {
    runId: name.replace(/\.jsonl$/, ''),
    startedAt: 0,
    root: '',
    roots: [],
    failed: [],
    tasks: new Map(),
    slaMisses: [],
  };
  let text: string;
  try {
    record.startedAt = lstatSync(file).mtimeMs;
    text = readCapped(file, maxBytes);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    record.unreadable = code === 'ELOOP' ? 'a link, not a run log' : code ? code : (e as Error).message;
    return record;
  }
  const events: RunEvent[] = [];
  for (const line of text.split('\n')) {
    const event = parseEventLine(line);
    if (event) events.push(event);
  }
  events.sort((a, b) => a.seq - b.seq);
  for (const event of events) {
    if (event.type === 'run-started') {
      record.startedAt = event.time;
      record.root = event.root;
      record.roots = event.roots ?? [event.root];
    } else if (event.type === 'task-done') {
      record.tasks.set(event.taskId, { durationMs: event.durationMs, ok: true });
    } else if (event.type === 'task-failed' && !event.willRetry) {
      record.tasks.set(event.taskId, { durationMs: event.durationMs, ok: false });
    } else if (event.type === 'sla-missed') {
      record.slaMisses.push({
        scope: event.scope,
        ...(event.taskId !== undefined ? { taskId: event.taskId } : {}),
        deadline: event.deadline,
        status: event.status,
      });
    } else if (event.type === 'run-finished') {
      record.outcome = event.outcome;
      record.exitCode = event.exitCode;
      record.durationMs = event.durationMs;
      record.failed = [...event.summary.failed, ...(event.summary.schedulingErrors ?? [])];
      if (event.message) record.message = event.message;
    }
  }
  return record;
}

/** The newest `limit` runs, newest first. */
export function readHistory(projectRoot: string, limit: number): RunRecord[] {
  return runLogNames(projectRoot)
    .slice(0, limit)
    .map((name) => readRun(projectRoot, name));
}

/** Whether `taskId` is the task asked for: its exact id, or any task of a family name. */
export function matchesTask(query: string, taskId: string): boolean {
  return query.includes('(') ? taskId === query : taskId.slice(0, taskId.indexOf('(')) === query;
}
