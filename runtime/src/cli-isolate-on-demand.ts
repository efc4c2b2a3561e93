// The isolated runner, its process pool loaded at the first isolated attempt: the pool brings
// node:child_process, which a run of in-process tasks never needs, and a CLI start paid for it.
import type * as Isolate from './cli-isolate';
import { type IsolatedRunner } from './scheduler';

export function isolatedRunnerOnDemand(...args: Parameters<typeof Isolate.isolatedRunner>): IsolatedRunner {
  let runner: IsolatedRunner | undefined;
  return (node, hooks, attempt, spawned) => {
    // A synchronous require (esbuild bundles it; tsx resolves it in tests): the first attempt
    // starts exactly as the others do, its task-running event in the same turn.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    runner ??= (require('./cli-isolate') as typeof Isolate).isolatedRunner(...args);
    return runner(node, hooks, attempt, spawned);
  };
}
