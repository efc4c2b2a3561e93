// Pipelines for the isolated-task benchmark (bench/isolate.ts): trivial tasks (per-attempt
// overhead), CPU-bound tasks (using the cores), async sleepers, each isolated (alone in a member or
// sharing one) or in process.
// Outputs go under $PLUMB_BENCH_OUT, a fresh directory per timed run.
import { LocalTarget, Task, WrapperTask, param } from 'plumb-pipelines';
import path from 'node:path';

const OUT = process.env.PLUMB_BENCH_OUT ?? path.resolve('bench-out');
const kinds = ['noop', 'cpu', 'sleep'] as const;
type Kind = (typeof kinds)[number];

/** Spends `ms` of this process's own CPU time (not wall time: the machine is shared). */
export function burnCpu(ms: number): void {
  const start = process.cpuUsage();
  let x = 0;
  for (;;) {
    for (let i = 0; i < 20_000; i++) x = (x * 31 + i) | 0;
    const used = process.cpuUsage(start);
    if ((used.user + used.system) / 1000 >= ms) break;
  }
  if (x === 42) console.log(''); // keep the loop from being optimised away
}

class Work extends Task.with({ kind: param.enum(kinds), i: param.int(), ms: param.int({ default: 50 }) }) {
  output() {
    return new LocalTarget(path.join(OUT, `${this.kind}_${this.i}.txt`));
  }
  async run() {
    if (this.kind === 'cpu') burnCpu(this.ms);
    if (this.kind === 'sleep') await new Promise((r) => setTimeout(r, this.ms));
    this.output().writeTextSync(`${this.i}\n`);
  }
}

export class Isolated extends Work {
  static isolate = true;
}
/** Isolated, up to 8 attempts sharing one member (for tasks that only wait). */
export class SharedIsolated extends Work {
  static isolate = true;
  static isolateShare = 8;
}
export class InProcess extends Work {
  static isolate = false;
}

export class Batch extends WrapperTask.with({
  kind: param.enum(kinds),
  n: param.int(),
  ms: param.int({ default: 50 }),
  isolated: param.bool({ default: true }),
  shared: param.bool({ default: false }),
}) {
  requires() {
    const Cls = !this.isolated ? InProcess : this.shared ? SharedIsolated : Isolated;
    return Array.from({ length: this.n }, (_, i) => new Cls({ kind: this.kind as Kind, i, ms: this.ms }));
  }
}
