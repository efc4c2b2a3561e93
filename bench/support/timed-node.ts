// One Node process timed as the runtime benchmarks time it: wall time from outside, and its peak
// resident memory and CPU time (all threads) from bench/runtime/peak-rss.cjs, preloaded (-r).
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const preload = path.resolve(__dirname, '../runtime/peak-rss.cjs');

export interface Timing {
  seconds: number;
  peakMb: number;
  /** CPU time of the process, every thread. */
  cpuSeconds: number;
}

/** Runs `node -r peak-rss.cjs <args>` in `cwd` (NO_COLOR set); throws with its stderr's end if it fails. */
export function timedNode(args: string[], cwd: string, env: Record<string, string> = {}): Timing {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-r', preload, ...args], {
    encoding: 'utf8',
    cwd,
    env: { ...process.env, NO_COLOR: '1', ...env },
    maxBuffer: 1 << 28,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}:\n${r.stderr.slice(-2000)}`);
  const kb = Number(/@@peak-rss-kb (\d+)/.exec(r.stderr)?.[1] ?? NaN);
  const cpuUs = Number(/@@cpu-us (\d+)/.exec(r.stderr)?.[1] ?? NaN);
  return { seconds, peakMb: kb / 1024, cpuSeconds: cpuUs / 1e6 };
}
