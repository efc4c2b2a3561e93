// Benchmark outputs leave through a trash directory: renamed away at once (cheap), deleted slowly by
// a detached low-priority collector, so the next benchmark on this file system is not measured
// against a burst of freed inodes (../shared/PERFORMANCE.md).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Shared by every benchmark, in the temporary directory where their outputs live. */
export const trashDir = path.join(os.tmpdir(), 'plumb-bench-trash');

/** Moves `dir` into the trash and makes sure a collector is deleting it. */
export function moveToTrash(dir: string): void {
  if (!existsSync(dir)) return;
  mkdirSync(trashDir, { recursive: true });
  const target = path.join(trashDir, `${path.basename(dir)}-${process.pid}-${Date.now()}`);
  try {
    renameSync(dir, target);
  } catch {
    // Another file system (EXDEV): a small scratch directory outside tmp; delete it in place.
    rmSync(dir, { recursive: true, force: true });
    return;
  }
  startCollector();
}

/** Starts a detached collector (it exits at once if one is already running). */
export function startCollector(): void {
  if (!existsSync(trashDir)) return;
  const collector = path.join(__dirname, 'trash-collector.mjs');
  // `nice` (coreutils) keeps it behind whatever is measured next; it throttles itself as well.
  spawn('nice', ['-n', '19', process.execPath, collector, trashDir], {
    detached: true,
    stdio: 'ignore',
  }).unref();
}

/** The 1-minute load average, printed beside every figure: on a shared machine it says how far to trust it. */
export const loadAverage = (): string => os.loadavg()[0]!.toFixed(1);
