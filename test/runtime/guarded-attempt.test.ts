// One attempt guarded in a process that lives on (a cluster worker runs a task that is not isolated
// this way, beside other jobs in its isolated pool): its end must not end what the process's other
// jobs run. A run's own guard still ends everything at the run's end.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { atRunEnd } from '../../runtime/src/child-processes';
import { runGuardedAttempt } from '../../runtime/src/guarded-attempt';
import { installRunGuard } from '../../runtime/src/run-guard';
import { Task } from '../../runtime/src/task';

class Quick extends Task {
  run(): void {}
}

class Exits extends Task {
  run(): void {
    process.exit(3);
  }
}

const reports = { progress: () => undefined, status: () => undefined, log: () => undefined };

test("a guarded attempt's end leaves alone what the process's other jobs run (the isolated pool)", async () => {
  let poolClosed = 0;
  atRunEnd(() => poolClosed++); // what the isolated pool registers: its members die with the run
  assert.equal((await runGuardedAttempt(new Quick(), reports)).kind, 'done');
  const exited = await runGuardedAttempt(new Exits(), reports);
  assert.equal(exited.kind, 'failed', 'process.exit() fails the attempt, not the process');
  assert.equal(poolClosed, 0, "an attempt's end closed the worker's pool under its other jobs");

  // A run's guard ends the run's processes when it goes.
  const run = installRunGuard();
  run.remove();
  assert.equal(poolClosed, 1);
});
