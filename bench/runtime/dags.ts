// Generated DAGs for the runtime benchmark: every task writes one tiny LocalTarget under
// $PLUMB_BENCH_OUT (a fresh directory per timed run). Shapes: fan-out, chain, layered random DAG.
import { LocalTarget, Task, WrapperTask, param } from 'plumb-pipelines';
import path from 'node:path';

const OUT = process.env.PLUMB_BENCH_OUT ?? path.resolve('bench-out');

/** One leaf of a fan-out: no requirements. */
export class Leaf extends Task.with({ i: param.int() }) {
  output() {
    return new LocalTarget(path.join(OUT, `leaf_${this.i}.txt`));
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

/** Link i requires link i-1: a chain n deep. */
export class Link extends Task.with({ i: param.int() }) {
  requires() {
    return this.i > 0 ? new Link({ i: this.i - 1 }) : [];
  }
  output() {
    return new LocalTarget(path.join(OUT, `link_${this.i}.txt`));
  }
  run() {
    this.output().writeTextSync(`${this.i}\n`);
  }
}

export class Chain extends WrapperTask.with({ n: param.int() }) {
  requires() {
    return new Link({ i: this.n - 1 });
  }
}

const WIDTH = 100;

/** Node `i` of a layered DAG (layers of 100): requires up to 3 pseudo-random nodes of the layer below. */
export class Layer extends Task.with({ i: param.int() }) {
  requires() {
    const layer = Math.floor(this.i / WIDTH);
    if (layer === 0) return [];
    const below = (layer - 1) * WIDTH;
    const picks = new Set<number>();
    let x = (this.i * 2654435761) >>> 0;
    for (let k = 0; k < 3; k++) {
      x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
      picks.add(below + (x % WIDTH));
    }
    return [...picks].map((i) => new Layer({ i }));
  }
  output() {
    return new LocalTarget(path.join(OUT, `layer_${this.i}.txt`));
  }
  run() {
    this.output().writeTextSync(`${this.i}\n`);
  }
}

/** The whole layered DAG: every node of the top layer (so every node is reached). */
export class Layered extends WrapperTask.with({ n: param.int() }) {
  requires() {
    const top = Math.floor((this.n - 1) / WIDTH) * WIDTH;
    const all: Layer[] = [];
    for (let i = top; i < this.n; i++) all.push(new Layer({ i }));
    // Nodes no one above requires still belong to the DAG.
    for (let i = 0; i < top; i++) all.push(new Layer({ i }));
    return all;
  }
}
