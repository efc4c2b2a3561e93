// The cluster benchmark's pipeline: `count` tasks that each sleep `ms` without blocking (0: tiny).
import { setTimeout as sleep } from 'node:timers/promises';
import { LocalTarget, Task, param } from 'plumb-pipelines';

export class Sleeper extends Task.with({
  n: param.int(),
  ms: param.int({ default: 0, significant: false }),
}) {
  output() {
    return new LocalTarget(`out/${this.n}.txt`);
  }
  async run() {
    if (this.ms > 0) await sleep(this.ms);
    this.output().writeTextSync(`${this.n}\n`);
  }
}

export class All extends Task.with({
  count: param.int(),
  ms: param.int({ default: 0, significant: false }),
}) {
  requires() {
    return Array.from({ length: this.count }, (_, n) => new Sleeper({ n, ms: this.ms }));
  }
  override complete() {
    return this.requires().every((t) => t.complete());
  }
}
