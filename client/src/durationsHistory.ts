// Reads the task timings of the newest run logs (.plumb/runs) for the durations on graph nodes;
// each log is read once per session while it keeps its size and time.
import type { RunEvent } from '../../runtime/src/events';
import type { RunTimings } from './durations';
import { listRunFiles, readRunEvents, type RunFile } from './runHistory';

/** The task timings of one run's events. */
export function runTimings(runId: string, events: readonly RunEvent[], fallbackStart: number): RunTimings {
  const run: RunTimings = { runId, startedAt: fallbackStart, tasks: [] };
  for (const event of events) {
    if (event.type === 'run-started') run.startedAt = event.time;
    else if (event.type === 'task-done')
      run.tasks.push({ taskId: event.taskId, endedAt: event.time, durationMs: event.durationMs });
  }
  return run;
}

const cache = new Map<string, { mtimeMs: number; bytes: number; timings: RunTimings }>();

async function timingsOf(file: RunFile): Promise<RunTimings> {
  const hit = cache.get(file.path);
  if (hit && hit.mtimeMs === file.mtimeMs && hit.bytes === file.bytes) return hit.timings;
  const timings = runTimings(file.runId, await readRunEvents(file.path), file.mtimeMs);
  if (cache.size > 200) cache.clear();
  cache.set(file.path, { mtimeMs: file.mtimeMs, bytes: file.bytes, timings });
  return timings;
}

/**
 * The newest `limit` runs' timings (a log that cannot be read is left out). Older logs are read only
 * while their total stays under `maxBytes`: a 100,000-task run logs tens of MB, and this runs at
 * start-up and after every run; the newest is always read.
 */
export async function readRunTimings(
  runsDirs: readonly string[],
  limit = 20,
  maxBytes = 64 * 1024 * 1024,
): Promise<RunTimings[]> {
  const out: RunTimings[] = [];
  let bytes = 0;
  for (const file of (await listRunFiles(runsDirs)).slice(0, limit)) {
    bytes += file.bytes;
    if (out.length > 0 && bytes > maxBytes) break;
    try {
      out.push(await timingsOf(file));
    } catch {
      // Removed or refused (too large, a link): not history we can use.
    }
  }
  return out;
}
