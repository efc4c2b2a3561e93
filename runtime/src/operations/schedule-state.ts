// What `plumb schedule` remembers across restarts: the last fire of each schedule item (and how its
// run ended), in .plumb/schedules.json, written to a temporary file and renamed over the old one so
// a crash mid-write leaves the previous state, never half of one.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';

export interface ItemState {
  /** The newest fire time handled (run, or skipped by policy), ISO. */
  lastFire: string;
  /** The exit outcome of that fire's run ('success', 'failed', 'locked', 'skipped', …). */
  lastOutcome?: string;
}

export interface ScheduleState {
  version: 1;
  /** By `<schedule>` or `<schedule>[<item>]`. */
  items: Record<string, ItemState>;
}

export function stateFile(projectRoot: string): string {
  return path.join(projectRoot, '.plumb', 'schedules.json');
}

/** The saved state; an empty one when there is none. A file that is not our JSON is an error, not silently reset. */
export function loadState(projectRoot: string): ScheduleState {
  const file = stateFile(projectRoot);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, items: {} };
    throw e;
  }
  const state = JSON.parse(text) as ScheduleState;
  if (state?.version !== 1 || typeof state.items !== 'object' || state.items === null)
    throw new Error(`${file}: not a schedule state file of this version (move it away to start afresh)`);
  return state;
}

export function saveState(projectRoot: string, state: ScheduleState): void {
  const file = stateFile(projectRoot);
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, `${JSON.stringify(state, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
}
