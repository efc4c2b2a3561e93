// A fan-out whose leaves write 50 to a folder (bench/runtime-rerun.ts --spread): no folder holds
// LIST_FROM of them in a row, so its all-complete rerun is checked by threads, not listings.
import { LocalTarget, Task, WrapperTask, param } from 'plumb-pipelines';
import path from 'node:path';
const OUT = process.env.PLUMB_BENCH_OUT ?? path.resolve('bench-out');
export class Leaf extends Task.with({ i: param.int() }) {
  output() {
    return new LocalTarget(path.join(OUT, `d${Math.floor(this.i / 50)}`, `leaf_${this.i}.txt`));
  }
  run() {
    this.output().writeTextSync(`${this.i}\n`);
  }
}
export class FanOut extends WrapperTask.with({ n: param.int() }) {
  requires() {
    const leaves: Leaf[] = [];
    for (let i = 0; i < this.n; i++) leaves.push(new Leaf({ i }));
    return leaves;
  }
}
