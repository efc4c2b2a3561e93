// A resumed run's retries in flight. The scheduler that died may have been at attempt k > 1 of a task
// (attempt 1 failed and was taken off the queue, attempt k runs on a worker); the resumed scheduler
// starts the task's attempts from 1 again. Its first attempt of each task follows the highest attempt
// job the run already has, so the retry in flight is followed rather than joined by a second copy.
import { Queue } from 'bullmq';
import { type AttemptRunner, type CliHost } from './host';
import { connectionOf, jobIdOf, TASK_QUEUE } from './job';
import { clusterSubmitter as newSubmitter, type ClusterSubmitter, type SubmitOptions } from './submit';

/** Set by the coordinator for a scheduler that resumes a run (coordinator.ts). */
export const RESUMED_ENV = 'PLUMB_CLUSTER_RESUMED';

/** The run's submitter; in a resumed run, attempts shifted onto the jobs already there. */
export function clusterSubmitter(host: CliHost, options: SubmitOptions): ClusterSubmitter {
  const inner = newSubmitter(host, options);
  if (!process.env[RESUMED_ENV]) return inner;
  const queue = new Queue(TASK_QUEUE, { connection: connectionOf(options.redis) });
  const shifts = new Map<string, Promise<number>>();
  const shiftOf = (node: Parameters<AttemptRunner>[0], attempt: number): Promise<number> => {
    let shift = shifts.get(node.id);
    if (!shift) {
      shift = (async () => {
        // Failed attempts before the last were removed: look at every attempt the policy allows.
        let highest = attempt;
        for (let k = attempt + 1; k <= options.retriesOf(node.task) + 1; k++)
          if (await queue.getJob(jobIdOf(options.runId, node.id, k))) highest = k;
        return highest - attempt;
      })();
      shifts.set(node.id, shift);
    }
    return shift;
  };
  const runner: AttemptRunner = async (node, hooks, attempt, spawned) =>
    inner.runner(node, hooks, attempt + (await shiftOf(node, attempt)), spawned);
  return {
    runner,
    ready: inner.ready,
    async close() {
      await Promise.allSettled([inner.close(), queue.close()]);
    },
  };
}
