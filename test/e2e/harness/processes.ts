// The machine's live processes, read from /proc: what a test checks to prove nothing was left
// running (code-server's extension hosts, Chromium's renderers).
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessInfo {
  parent: number;
  group: number;
  command: string;
}

/** Live processes (zombies excluded: they are gone, only not yet reaped) by pid. */
export function processes(): Map<number, ProcessInfo> {
  const found = new Map<number, ProcessInfo>();
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name, which may hold spaces and parentheses: state, ppid, pgrp…
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z') continue;
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      found.set(Number(entry), { parent: Number(fields[1]), group: Number(fields[2]), command });
    } catch {
      // exited while being read
    }
  }
  return found;
}

/** `root` and every process below it. */
export function processTree(root: number): number[] {
  const all = processes();
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    for (const [pid, info] of all) if (info.parent === tree[i] && !tree.includes(pid)) tree.push(pid);
  }
  return tree.filter((pid) => all.has(pid));
}

/** Which of `pids` are still alive after waiting up to `timeoutMs` for them to end. */
export async function stillAlive(pids: number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const live = processes();
    const alive = pids.filter((pid) => live.has(pid));
    if (alive.length === 0 || Date.now() > deadline) return alive;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
