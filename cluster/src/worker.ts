// `plumb worker`: a BullMQ Worker on the task queue. Each job runs as `plumb run` runs the attempt:
// in the worker's own process unless the task's policy isolates it (then in the CLI's isolated pool,
// warm children killed with their group); its logs, progress and which worker runs it go back to
// the submitter through job.updateProgress.
import { statSync } from 'node:fs';
import os from 'node:os';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { coordinatorWorker } from './coordinator';
import { type AttemptHooks, type AttemptOutcome, type AttemptRunner, type CliHost } from './host';
import { trace } from './trace';
import { invisibleInputError } from './input-visibility';
import { lockKeeper } from './lock-keeper';
import { RUN_QUEUE } from './run-job';
import { runCancels } from './run-cancel';
import { SCHEDULE_QUEUE, scheduleWorker } from './schedules';
import {
  connectionOf,
  sourceHash,
  TASK_QUEUE,
  type TaskJobData,
  type TaskJobProgress,
  type TaskJobReport,
  type TaskJobResult,
} from './job';

/** At most this many reports in one updateProgress (a task printing without pause stays bounded). */
const MAX_REPORTS_AT_ONCE = 500;

export interface WorkerOptions {
  redis: string;
  concurrency: number;
  name: string;
  /** Runs this worker coordinates at once (their schedulers: coordinator.ts); 0: none. */
  runs: number;
}

interface LoadedModule {
  hash: string;
  projectRoot: string;
  runner: AttemptRunner;
  families: Map<string, new (...args: never[]) => never>;
  /** Per family: whether its policy isolates it (the config and class settings do not change). */
  isolated: Map<string, boolean>;
}

/** A task run in this process for this long is reported running (quicker ones: by their result). */
const RUNNING_REPORT_MS = 20;

/** How long a job's lock lasts without renewal: a dead worker's job is retried after about this. */
const LOCK_MS = Number(process.env.PLUMB_CLUSTER_LOCK_MS) || 10_000;

/** Starts a worker; resolves when it has stopped (SIGINT/SIGTERM: finishes active jobs first). */
export async function runWorker(host: CliHost, options: WorkerOptions): Promise<number> {
  const modules = new Map<string, LoadedModule>();
  // The project root, plumb.toml defaults and durability are process-wide: the worker's process is
  // the first project's it serves; another project's module is loaded in that project's settings,
  // which are then put back, and its tasks run in the isolated pool (members of their own project).
  let home: string | undefined;
  const moduleOf = (data: TaskJobData): LoadedModule => {
    let loaded = modules.get(data.module);
    if (!loaded) {
      host.enterProject(data.projectRoot);
      home ??= data.projectRoot;
      let pipeline;
      try {
        pipeline = host.loadPipeline(data.module);
      } finally {
        if (home !== data.projectRoot) host.enterProject(home);
      }
      loaded = {
        hash: sourceHash(data.module),
        projectRoot: data.projectRoot,
        runner: host.isolatedRunner(host.cliScript, data.module, data.projectRoot),
        families: pipeline.families as LoadedModule['families'],
        isolated: new Map(),
      };
      modules.set(data.module, loaded);
    }
    return loaded;
  };

  const connection = connectionOf(options.redis);
  const processor = async (job: Job<TaskJobData, TaskJobResult>): Promise<TaskJobResult> => {
    const data = job.data;
    trace('w-picked', job.id!);
    let mine: string;
    try {
      mine = currentSourceHash(data.module);
    } catch (e) {
      throw new UnrecoverableError(
        `worker ${options.name} cannot read ${data.module}: ${(e as Error).message} (every host needs the same pipeline files at the same path)`,
      );
    }
    if (mine !== data.sourceHash)
      throw new UnrecoverableError(
        `worker ${options.name} has another version of ${data.module} (source hash ${mine.slice(0, 12)}, the run's is ${data.sourceHash.slice(0, 12)}): deploy the same pipeline code to every host`,
      );
    const loaded = moduleOf(data);
    if (loaded.hash !== mine)
      throw new UnrecoverableError(
        `worker ${options.name} loaded ${data.module} before it changed: restart the worker to run the new version`,
      );
    const cls = loaded.families.get(data.family);
    if (!cls) throw new UnrecoverableError(`${data.family} is not exported by ${data.module}`);
    const task = host.buildTask(cls, data.params);
    const invisible = await invisibleInputError(options.name, task, host.requiredInputs(task));
    if (invisible) throw new UnrecoverableError(invisible);
    // Reports leave in order, those made while one is on its way together in the next (a task that
    // logs a thousand lines costs a few round trips, not a thousand); the job ends only once they
    // have all been stored.
    const queued: TaskJobReport[] = [];
    const send = async () => {
      while (queued.length > 0) {
        const batch = queued.splice(0, MAX_REPORTS_AT_ONCE);
        const progress: TaskJobProgress = batch.length === 1 ? batch[0]! : { kind: 'batch', reports: batch };
        await job.updateProgress(progress).catch(() => undefined);
      }
    };
    let reports = Promise.resolve();
    const report = (p: TaskJobReport) => {
      queued.push(p);
      if (queued.length === 1) reports = reports.then(send);
    };
    const controller = new AbortController();
    // A cancelled run's attempt is stopped here as Ctrl-C stops a local one (run-cancel.ts).
    const unwatchCancel = cancels.watch(data.runId, controller);
    // The task's timeout, from the attempt's start here (submit.ts leaves it to this side).
    const timeout =
      data.timeoutMs && data.timeoutMs > 0
        ? setTimeout(() => controller.abort(host.timeoutError(task.taskId, data.timeoutMs!)), data.timeoutMs)
        : undefined;
    const unwatch = () => {
      clearTimeout(timeout);
      unwatchCancel();
    };
    const hooks: AttemptHooks = {
      taskId: task.taskId,
      signal: controller.signal,
      get stopped() {
        return controller.signal.aborted;
      },
      progress: (fraction) => report({ kind: 'progress', fraction }),
      status: (message, rows) => report({ kind: 'status', message, rows }),
      log: (level, text) => report({ kind: 'log', level, text }),
    };
    trace('w-runner', job.id!);
    let isolated = loaded.isolated.get(data.family);
    if (isolated === undefined)
      loaded.isolated.set(
        data.family,
        (isolated = loaded.projectRoot !== home || host.isolates(task, loaded.projectRoot)),
      );
    let outcome: AttemptOutcome;
    let told = false;
    if (isolated) {
      told = true;
      outcome = await loaded.runner({ id: task.taskId, task }, hooks, data.attempt, (pid) =>
        report({ kind: 'running', worker: options.name, pid: pid ?? process.pid }),
      );
    } else {
      // No round trip to a member: this process runs it (lock-keeper.ts: even if it blocks the loop).
      // Where it runs is reported with its first report or once it has run a while; a task done
      // before that says it in its job's result: a round trip and a queue event less per job.
      const running = () => {
        if (told) return;
        told = true;
        report({ kind: 'running', worker: options.name, pid: process.pid });
      };
      const timer = setTimeout(running, RUNNING_REPORT_MS);
      outcome = await host.runInProcess(
        task,
        {
          progress: (fraction) => (running(), hooks.progress(fraction)),
          status: (message, rows) => (running(), hooks.status(message, rows)),
          log: (level, text) => (running(), hooks.log(level, text)),
        },
        controller.signal,
      );
      clearTimeout(timer);
      // A failure's event carries no result.
      if (outcome.kind === 'failed') running();
    }
    trace('w-runner-end', job.id!);
    unwatch();
    await reports;
    trace('w-reports', job.id!);
    if (outcome.kind === 'failed') {
      const error = outcome.error;
      throw error instanceof Error ? error : new Error(String(error));
    }
    return told ? { worker: options.name } : { worker: options.name, pid: process.pid };
  };

  const cancels = runCancels(options.redis);
  const worker = new Worker<TaskJobData, TaskJobResult>(TASK_QUEUE, processor, {
    connection,
    concurrency: options.concurrency,
    name: options.name,
    // A job whose worker died is noticed within a few seconds and given to another worker.
    lockDuration: LOCK_MS,
    stalledInterval: Number(process.env.PLUMB_CLUSTER_STALLED_MS) || 5_000,
    maxStalledCount: 3,
  });
  // plumb.toml's schedules registered with plumb schedule --cluster: any worker takes their fires.
  const fires = scheduleWorker(host, options);
  // Cluster runs' coordination: any worker takes a run job, another resumes it if this host dies.
  const runs = options.runs > 0 ? coordinatorWorker(host, options) : undefined;
  const workers = [worker, fires, ...(runs ? [runs.worker] : [])];
  const keeper = lockKeeper(connection, LOCK_MS);
  keeper.watch(worker, TASK_QUEUE);
  keeper.watch(fires, SCHEDULE_QUEUE);
  if (runs) keeper.watch(runs.worker, RUN_QUEUE);
  worker.on('completed', (job) => trace('w-finished', job.id!));
  for (const w of workers) w.on('error', (e) => process.stderr.write(`plumb worker: ${e.message}\n`));
  await Promise.all([...workers.map((w) => w.waitUntilReady()), keeper.ready()]);
  process.stderr.write(
    `plumb worker ${options.name}: ready on ${TASK_QUEUE} (concurrency ${options.concurrency}), ${SCHEDULE_QUEUE} and ${RUN_QUEUE} (runs ${options.runs})\n`,
  );
  return new Promise((resolve) => {
    const stop = () => {
      process.stderr.write(`plumb worker ${options.name}: stopping after its active jobs\n`);
      // Fires in flight first: their runs' tasks may still need this worker.
      void fires
        .close()
        .then(() => worker.close())
        .then(() => runs?.stop())
        .then(() => cancels.close())
        .then(() => keeper.close())
        .then(() => resolve(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/** Per module: the file's stat stamp and the hash it had then. */
const hashes = new Map<string, { stamp: string; hash: string }>();

/** The module's source hash, read and hashed again only when its file changed: a stat per job. */
function currentSourceHash(file: string): string {
  const st = statSync(file);
  const stamp = `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
  const known = hashes.get(file);
  if (known?.stamp === stamp) return known.hash;
  const hash = sourceHash(file);
  hashes.set(file, { stamp, hash });
  return hash;
}

export function defaultWorkerName(): string {
  return `${os.hostname()}:${process.pid}`;
}
