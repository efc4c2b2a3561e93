// What the server-at-scale benchmark reads of a server process from /proc (CPU time, peak resident
// set), and the shape of each server's result.
import { readFileSync } from 'node:fs';
import type { percentiles } from './edits';

export type Percentiles = ReturnType<typeof percentiles>;

export interface ServerPhaseResult {
  /** From start to the first complete answer. */
  coldMs: number;
  /** From each edit to the code lenses of the edited file. */
  lens: Percentiles;
  /** Other per-edit timings, by name. */
  extra: Record<string, Percentiles>;
  /** The server's own CPU time per edit. */
  cpu: Percentiles;
  peakRssMb: number;
}

/** User + system CPU time of a process so far (all threads), from clock ticks of 10 ms. */
export function processCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/** The peak resident set (VmHWM) of a process so far. */
export function processPeakRssMb(pid: number): number {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : NaN;
  } catch {
    return NaN;
  }
}
