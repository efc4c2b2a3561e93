// An attempt's hooks (task-context.ts) that a test stops through an AbortController: the code under
// test sees the attempt stopped, with the controller's reason, once it is aborted.
import { type TaskRunHooks } from '../../../runtime/src/task-context';

export function hooksStoppedBy(controller: AbortController, taskId = 'T()'): TaskRunHooks {
  return {
    taskId,
    signal: controller.signal,
    get stopped() {
      return controller.signal.aborted;
    },
    progress: () => undefined,
    status: () => undefined,
    log: () => undefined,
    dependOn: () => Promise.resolve(undefined),
  };
}
