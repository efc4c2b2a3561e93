// The values a data check measured in earlier runs, read from the run logs (.plumb/runs/; a test
// run reads the test area's own): what a distribution check compares today's value with. Only
// passing results count (a value that failed its check is no baseline); the current run is left
// out. Logs are read once per process, lines filtered by text before parsing, never more than a cap
// per log or a number of logs.
import { closeSync, fstatSync, openSync, readSync, constants } from 'node:fs';
import path from 'node:path';
import { parseEventLine } from '../events';
import { runLogNames } from '../run-history';
import { runLogDir } from '../run-log';

/** Logs looked at, newest first, before giving up on finding more values. */
const MAX_LOGS = 200;
const MAX_LOG_BYTES = 64 * 1024 * 1024;

/** Per log: `${family}\n${check}` → values in the order measured. */
const byLog = new Map<string, Map<string, number[]>>();

function readLog(file: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  let text: string;
  try {
    const fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
    try {
      const info = fstatSync(fd);
      if (!info.isFile() || info.size > MAX_LOG_BYTES) return out;
      const buf = Buffer.alloc(info.size);
      let read = 0;
      while (read < info.size) {
        const n = readSync(fd, buf, read, info.size - read, read);
        if (n === 0) break;
        read += n;
      }
      text = buf.toString('utf8', 0, read);
    } finally {
      closeSync(fd);
    }
  } catch {
    return out;
  }
  for (const line of text.split('\n')) {
    if (!line.includes('"task-check"')) continue;
    const e = parseEventLine(line);
    if (e?.type !== 'task-check' || !e.ok || typeof e.value !== 'number') continue;
    const key = `${e.taskId.slice(0, e.taskId.indexOf('('))}\n${e.check}`;
    const list = out.get(key) ?? [];
    list.push(e.value);
    out.set(key, list);
  }
  return out;
}

/**
 * The newest `count` passing values of check `check` of any task of `family` in runs before
 * `runId`, newest first (one run may give several: a backfill checks many days).
 */
export function recentCheckValues(
  projectRoot: string,
  family: string,
  check: string,
  count: number,
  runId: string,
): number[] {
  const key = `${family}\n${check}`;
  const values: number[] = [];
  const dir = runLogDir(projectRoot);
  for (const name of runLogNames(projectRoot).slice(0, MAX_LOGS)) {
    if (name === `${runId}.jsonl`) continue;
    const file = path.join(dir, name);
    let index = byLog.get(file);
    if (!index) byLog.set(file, (index = readLog(file)));
    const found = index.get(key) ?? [];
    for (let i = found.length - 1; i >= 0 && values.length < count; i--) values.push(found[i]!);
    if (values.length >= count) break;
  }
  return values;
}
