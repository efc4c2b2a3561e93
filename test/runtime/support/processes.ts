// "No process left behind": checks on pids and process groups after a test's runs.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie (exited, not yet reaped by its parent) holds no resources and runs nothing.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Fails if any of `pids` still runs (after up to `graceMs` for kills in flight to land). */
export function assertGone(pids: number[], graceMs = 2000): void {
  const until = Date.now() + graceMs;
  let left = pids.filter(alive);
  while (left.length > 0 && Date.now() < until) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    left = left.filter(alive);
  }
  assert.deepEqual(left, [], `processes left behind: ${left.join(', ')}`);
}

/** Pids of live processes whose command line contains `marker` (a test's own unique tag). */
export function processesWith(marker: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmd.includes(marker) && alive(Number(name))) out.push(Number(name));
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}
