// Timestamps of a task job's path (PLUMB_CLUSTER_TRACE=<file>: one JSON line per mark, high
// resolution, comparable across processes), for bench/cluster/trace.ts to show where each ms goes.
// Without the variable a mark costs one test of a constant.
import { appendFileSync } from 'node:fs';

const file = process.env.PLUMB_CLUSTER_TRACE;

export function trace(what: string, jobId: string): void {
  if (file)
    appendFileSync(
      file,
      `${JSON.stringify({ t: performance.timeOrigin + performance.now(), what, id: jobId, pid: process.pid })}\n`,
    );
}
