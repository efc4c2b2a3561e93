// The cluster benchmark's pipeline: `count` tasks that each sleep `ms` without blocking (0: tiny),
// run in the worker's process (their policy does not isolate them) or, with --isolated, in its
// isolated pool. With PLUMB_CLUSTER_TRACE set each run() marks its start and end (bench/cluster/trace.ts).
import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { LocalTarget, Task, param } from 'plumb-pipelines';

const traceFile = process.env.PLUMB_CLUSTER_TRACE;
const mark = (what: string, taskId: string) => {
  if (traceFile)
    appendFileSync(
      traceFile,
      `${JSON.stringify({ t: performance.timeOrigin + performance.now(), what, id: taskId, pid: process.pid })}\n`,
    );
};

export class Sleeper extends Task.with({
  n: param.int(),
  ms: param.int({ default: 0, significant: false }),
}) {
  output() {
    return new LocalTarget(`out/${this.n}.txt`);
  }
  async run() {
    mark('run-start', this.taskId);
    if (this.ms > 0) await sleep(this.ms);
    this.output().writeTextSync(`${this.n}\n`);
    mark('run-end', this.taskId);
  }
}

export class IsolatedSleeper extends Sleeper {
  static isolate = true;
}

export class All extends Task.with({
  count: param.int(),
  ms: param.int({ default: 0, significant: false }),
  isolated: param.bool({ default: false, significant: false }),
}) {
  requires() {
    const S = this.isolated ? IsolatedSleeper : Sleeper;
    return Array.from({ length: this.count }, (_, n) => new S({ n, ms: this.ms }));
  }
  override complete() {
    return this.requires().every((t) => t.complete());
  }
}
