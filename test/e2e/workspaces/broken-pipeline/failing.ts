// Report needs one task that always fails and two independent ones that succeed: the failure turns
// red with its error in the log, and the independent branches still finish.
import { LocalTarget, Task, WrapperTask } from 'plumb-pipelines';

export class Explode extends Task.with({}) {
  output() {
    return new LocalTarget('data/explode.txt');
  }
  async run() {
    throw new Error('the exploding task failed on purpose');
  }
}

export class BranchA extends Task.with({}) {
  output() {
    return new LocalTarget('data/branch_a.txt');
  }
  async run() {
    await this.output().writeText('a\n');
  }
}

export class BranchB extends Task.with({}) {
  output() {
    return new LocalTarget('data/branch_b.txt');
  }
  async run() {
    await this.output().writeText('b\n');
  }
}

export class Report extends WrapperTask.with({}) {
  requires() {
    return [new Explode(), new BranchA(), new BranchB()];
  }
}
