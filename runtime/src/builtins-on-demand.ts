// Node built-ins that cost a CLI start several milliseconds each, loaded on first use: a run that
// starts no process and no thread (most runs of in-process tasks) never pays for them.
import type * as ChildProcessModule from 'node:child_process';
import type * as FsPromisesModule from 'node:fs/promises';
import type * as WorkerThreadsModule from 'node:worker_threads';
import { createRequire } from 'node:module';

const load = createRequire(__filename);
let childProcess: typeof ChildProcessModule | undefined;
let workerThreads: typeof WorkerThreadsModule | undefined;
let fsPromises: typeof FsPromisesModule | undefined;

export function childProcessModule(): typeof ChildProcessModule {
  return (childProcess ??= load('node:child_process') as typeof ChildProcessModule);
}

export function workerThreadsModule(): typeof WorkerThreadsModule {
  return (workerThreads ??= load('node:worker_threads') as typeof WorkerThreadsModule);
}

/** node:fs/promises (and the readline and stream modules it brings): only large or streamed writes use it. */
export function fsPromisesModule(): typeof FsPromisesModule {
  return (fsPromises ??= load('node:fs/promises') as typeof FsPromisesModule);
}
