// The most common cluster mistake, said plainly: a worker that cannot see an input the run's
// scheduler found complete (outputs on a disk only one host has). Checked before the task runs, so
// the error names the worker, the input and the fix instead of an ENOENT from inside run().
import { type Task } from 'plumb-pipelines';

/** An input as the worker sees it: a target of a requirement the task cannot run without. */
export interface RequiredInput {
  exists(): boolean | Promise<boolean>;
  /** LocalTarget's absolute path, when it is a file. */
  readonly path?: string;
}

/** Undefined when every required input is visible here; else the error to fail the job with. */
export async function invisibleInputError(
  worker: string,
  task: Task,
  inputs: readonly RequiredInput[],
): Promise<string | undefined> {
  for (const input of inputs) {
    if (await input.exists()) continue;
    const what = typeof input.path === 'string' ? input.path : String(input);
    const fix =
      typeof input.path === 'string'
        ? 'outputs must be on storage every host sees: put the project (or its output directories) on a shared file system mounted at the same path on every worker, or use database targets'
        : 'every worker must reach the same storage as the host that wrote it (the same database, with the same settings)';
    return `worker ${worker} cannot see ${what}, an input of ${task.taskId} that the run found complete (written on another host): ${fix}`;
  }
  return undefined;
}
