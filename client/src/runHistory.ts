// Reads past runs from `.plumb/runs/<runId>.jsonl`: the history list, per-task duration trends, replays.
// The workspace may not be ours: only regular files are read (a FIFO named *.jsonl would block a
// read for ever), never through a link, and never more than MAX_RUN_LOG_BYTES of one log.
import { constants } from 'node:fs';
import { lstat, open, readdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { RunEvent, TaskStatus } from '../../runtime/src/events';
import type { RunListEntry } from '../webview/src/messages';
import { EventLineReader } from './eventLineReader';
import {
  applyRunEvent,
  createRunState,
  familyStatuses,
  mergeFamilyStatuses,
  type RunState,
} from './runState';

export interface RunFile {
  runId: string;
  path: string;
  mtimeMs: number;
  bytes: number;
}

/**
 * Largest run log read. The runtime logs roughly 600 bytes per task (a few events each), so this is
 * a run of about 200,000 tasks; past it the log is skipped rather than held in the extension host.
 */
export const MAX_RUN_LOG_BYTES = 128 * 1024 * 1024;

/** A run log that is not read: not a regular file, or too large. */
export class RunLogRefused extends Error {}

/** Whether `<project>/.plumb/runs` is a real folder of that project, not a link leading elsewhere. */
async function isOwnRunsDir(dir: string): Promise<boolean> {
  try {
    const project = await realpath(path.dirname(path.dirname(dir)));
    return (await realpath(dir)) === path.join(project, path.basename(path.dirname(dir)), path.basename(dir));
  } catch {
    return false;
  }
}

/** The run logs in one or more runs folders, newest first; missing folders are simply empty. */
export async function listRunFiles(runsDirs: readonly string[]): Promise<RunFile[]> {
  const files: RunFile[] = [];
  for (const dir of new Set(runsDirs)) {
    let names: string[];
    try {
      if (!(await isOwnRunsDir(dir))) continue;
      names = await readdir(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      if (!name.endsWith('.jsonl')) continue;
      const file = path.join(dir, name);
      try {
        // lstat: a link is not a log the runtime wrote, and a FIFO or device is no log at all.
        const info = await lstat(file);
        if (!info.isFile()) continue;
        files.push({
          runId: name.slice(0, -'.jsonl'.length),
          path: file,
          mtimeMs: info.mtimeMs,
          bytes: info.size,
        });
      } catch {
        // Deleted between readdir and stat: not a run any more.
      }
    }
  }
  return files.sort((a, b) => b.mtimeMs - a.mtimeMs || b.runId.localeCompare(a.runId));
}

export async function readRunEvents(file: string, maxBytes = MAX_RUN_LOG_BYTES): Promise<RunEvent[]> {
  const reader = new EventLineReader();
  const text = await readRunLog(file, maxBytes);
  return [...reader.push(text), ...reader.end()].sort((a, b) => a.seq - b.seq);
}

/** O_NOFOLLOW | O_NONBLOCK: a link is refused, and a FIFO opens at once (then fails the file check). */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

async function readRunLog(file: string, maxBytes: number): Promise<string> {
  let handle;
  try {
    handle = await open(file, OPEN_FLAGS);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP')
      throw new RunLogRefused(`${path.basename(file)} is a link, not a run log`);
    throw error;
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new RunLogRefused(`${path.basename(file)} is not a regular file`);
    if (info.size > maxBytes) throw tooLarge(file, info.size, maxBytes);
    // A live run still appends: read to the end, but never past the cap.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1024 * 1024, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) throw tooLarge(file, total, maxBytes);
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    await handle.close();
  }
}

function tooLarge(file: string, bytes: number, maxBytes: number): RunLogRefused {
  const mb = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MB`;
  return new RunLogRefused(
    `${path.basename(file)} is too large to read (${mb(bytes)}; the limit is ${mb(maxBytes)})`,
  );
}

export interface RunDigest {
  entry: RunListEntry;
  /** Duration of every task that ran to completion in this run, by task id. */
  durations: Map<string, number>;
}

/** What the history list shows of one run. A run still going (or killed) has no outcome. */
export function digestRun(runId: string, events: readonly RunEvent[], fallbackStart: number): RunDigest {
  const entry: RunListEntry = { runId, root: '', startedAt: fallbackStart };
  const durations = new Map<string, number>();
  for (const event of events) {
    if (event.type === 'run-started') {
      entry.root = event.root;
      entry.startedAt = event.time;
    } else if (event.type === 'task-done') {
      durations.set(event.taskId, event.durationMs);
    } else if (event.type === 'run-finished') {
      entry.durationMs = event.durationMs;
      entry.outcome = event.outcome;
    } else if (event.type === 'sla-missed') {
      const { scope, taskId, schedule, sla, deadline, status } = event;
      (entry.slaMisses ??= []).push({
        scope,
        ...(taskId !== undefined && { taskId }),
        ...(schedule !== undefined && { schedule }),
        sla,
        deadline,
        status,
      });
    }
  }
  return { entry, durations };
}

export interface RunHistory {
  /** Newest first. */
  runs: RunListEntry[];
  /** Per task id, its durations in the listed runs that ran it, oldest first (a trend reads left to right). */
  durations: Record<string, number[]>;
}

/**
 * Digests of logs already read, by path: a log that kept its size and time has not changed, so the
 * history list (posted after every run) reads each past run once per session, not once per post.
 */
const digestCache = new Map<string, { mtimeMs: number; bytes: number; digest: RunDigest }>();

async function digestFile(file: RunFile): Promise<RunDigest> {
  const cached = digestCache.get(file.path);
  if (cached && cached.mtimeMs === file.mtimeMs && cached.bytes === file.bytes) return cached.digest;
  const digest = digestRun(file.runId, await readRunEvents(file.path), file.mtimeMs);
  if (digestCache.size > 200) digestCache.clear();
  digestCache.set(file.path, { mtimeMs: file.mtimeMs, bytes: file.bytes, digest });
  return digest;
}

export async function readRunHistory(runsDirs: readonly string[], limit = 20): Promise<RunHistory> {
  const files = (await listRunFiles(runsDirs)).slice(0, limit);
  const digests: RunDigest[] = [];
  for (const file of files) {
    try {
      digests.push(await digestFile(file));
    } catch {
      // A log removed while we read it is no longer history.
    }
  }
  digests.sort((a, b) => b.entry.startedAt - a.entry.startedAt);
  const durations: Record<string, number[]> = {};
  for (const digest of [...digests].reverse()) {
    for (const [taskId, ms] of digest.durations) (durations[taskId] ??= []).push(ms);
  }
  return { runs: digests.map((d) => d.entry), durations };
}

export interface LastRuns {
  /** The newest run, folded: what the graph colours tasks by before anything ran in this session. */
  newest?: RunState;
  /** Each family's status in the latest of these runs that settled it: what the tree shows. */
  families: Record<string, TaskStatus>;
}

/**
 * Folds the newest `limit` run logs, oldest first, into the newest run and each family's last status.
 * Older logs are read only while their total stays under `maxBytes` (a 100,000-task run logs tens of
 * MB, and this runs at start-up); the newest is always read.
 */
export async function readLastRuns(
  runsDirs: readonly string[],
  limit = 10,
  maxBytes = 32 * 1024 * 1024,
): Promise<LastRuns> {
  const newestFirst = (await listRunFiles(runsDirs)).slice(0, limit);
  let total = 0;
  const chosen = newestFirst.filter((file, index) => {
    total += file.bytes;
    return index === 0 || total <= maxBytes;
  });
  const files = chosen.reverse();
  const result: LastRuns = { families: {} };
  for (const file of files) {
    const state = createRunState(file.runId);
    try {
      for (const event of await readRunEvents(file.path)) applyRunEvent(state, event);
    } catch {
      continue; // removed while we read it
    }
    const statuses = familyStatuses(state);
    // A run that died without run-finished left its running tasks "running" for ever: they never ended.
    if (!state.finished) {
      for (const [family, status] of Object.entries(statuses))
        if (status === 'running') delete statuses[family];
    }
    result.families = mergeFamilyStatuses(result.families, statuses);
    result.newest = state;
  }
  return result;
}
