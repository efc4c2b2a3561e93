// Which cluster worker runs (or ran) a task, from its task-running events' `worker` (plumb run
// --cluster): shown on its node and per try in its details. Local runs have none, and show nothing.
import type { Attempt, TaskRun } from './runState';

/** "on host-a:1234" for the latest attempt's worker; nothing in a local run. */
export function workerLabel(task: Pick<TaskRun, 'attempts'>): string | undefined {
  const worker = task.attempts.at(-1)?.worker;
  return worker === undefined ? undefined : `on ${worker}`;
}

/** " on host-a:1234" after "try 2", when that try ran on a worker. */
export function attemptWorker(attempt: Pick<Attempt, 'worker'>): string {
  return attempt.worker === undefined ? '' : ` on ${attempt.worker}`;
}
