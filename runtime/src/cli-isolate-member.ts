// The member side of the isolated-task pool (`plumb __task <init>`): loads the pipeline once, then
// runs one attempt at a time as the run asks, each under its own run guard and task context, and
// puts the process back as it found it (cwd, environment, exit code) before reporting the result.
// A shared member runs the attempts it is sent at once (as `plumb run` runs async tasks in its own
// process); it is put back, and checked for children left running, only when none is in it.
import { loadConfig } from './config';
import { loadPipeline, type LoadedPipeline } from './cli-loader';
import { describeError } from './scheduler';
import { buildTask } from './task-factory';
import { setParamConfigDefaults } from './task';
import { setProjectRoot } from './project-root';
import { setDurableWrites, setRequiredParent } from './atomic-write';
import { setChildGroups } from './child-processes';
import { watchParent } from './cli-parent-watch';
import { hasChildren } from './cli-isolate-children';
import { guardedAttempt, type GuardedOutcome } from './guarded-attempt';
import { END_MARK, type AttemptRequest, type MemberInit, type MemberMessage } from './cli-isolate-protocol';

const send = (m: MemberMessage) => new Promise<void>((r) => process.send!(m, () => r()));

/** Runs attempts until the run disconnects (or kills this process's group). */
export function runIsolatedChild(initJson: string): Promise<number> {
  let pipeline: LoadedPipeline | undefined;
  let loadError: unknown;
  let shared = false;
  try {
    const init = JSON.parse(initJson) as MemberInit;
    shared = init.shared === true;
    if (init.parent) {
      setRequiredParent(init.parent.pid);
      // Checks at once (the run may have died while this process started), then a thread watches
      // unless the run's guard process does (it kills from outside: cheaper, and a stopped member too).
      watchParent(init.parent.pid, !init.guarded);
    }
    setChildGroups(false); // taskSpawn children stay in this process's group, killed with it
    setProjectRoot(init.projectRoot);
    const config = loadConfig(init.projectRoot);
    setParamConfigDefaults(config.params);
    setDurableWrites(config.run.durable);
    pipeline = loadPipeline(init.module);
  } catch (e) {
    loadError = e; // every attempt reports it, as a fresh process per attempt did
  }
  const base = { cwd: process.cwd(), env: { ...process.env } };
  let queue = Promise.resolve();
  const inFlight = { count: 0 };
  return new Promise((resolve) => {
    process.on('message', (m: AttemptRequest) => {
      if (m?.type !== 'run') return;
      if (shared) void attempt(m, pipeline, loadError, base, inFlight);
      else queue = queue.then(() => attempt(m, pipeline, loadError, base, inFlight));
    });
    process.once('disconnect', () => resolve(0)); // the run is over
  });
}

async function attempt(
  req: AttemptRequest,
  pipeline: LoadedPipeline | undefined,
  loadError: unknown,
  base: { cwd: string; env: NodeJS.ProcessEnv },
  inFlight: { count: number },
): Promise<void> {
  const { seq } = req;
  let error: unknown;
  inFlight.count++;
  try {
    if (!pipeline) throw loadError;
    const outcome = await runOne(req, pipeline);
    if (outcome.kind === 'failed') error = outcome.error;
  } catch (e) {
    error = e ?? new Error('the pipeline did not load');
  }
  const alone = --inFlight.count === 0;
  if (alone) restore(base); // co-tenants still running share the process's cwd and environment
  // Pipes to the run are synchronous here: these marks are out before the result is sent.
  process.stdout.write(`${END_MARK}${seq}\n`);
  process.stderr.write(`${END_MARK}${seq}\n`);
  await send({
    type: 'result',
    seq,
    ok: error === undefined,
    ...(error !== undefined ? { error: describeError(error) } : {}),
    rss: process.memoryUsage.rss(),
    dirty: alone && hasChildren(),
  });
}

function runOne(req: AttemptRequest, pipeline: LoadedPipeline): Promise<GuardedOutcome> {
  const cls = pipeline.families.get(req.family);
  if (!cls) throw new Error(`${req.family} is not exported by ${pipeline.file}`);
  const { seq } = req;
  // The same guard as a run's: an uncaught error, process.exit() or a run() that can never settle
  // becomes this attempt's failure; nothing the attempt's leftover code reports after its end is
  // sent (it would land on the next task); its end kills what it started (the member runs nothing else).
  return guardedAttempt(
    buildTask(cls, req.params),
    {
      progress: (fraction) => void send({ type: 'progress', seq, fraction }),
      status: (message, rows) => void send({ type: 'status', seq, message, rows }),
      log: (level, text) => void send({ type: 'log', seq, level, text }),
    },
    { endsRun: true, where: 'in isolated tasks' },
  );
}

/** Puts back what a task may have changed for the process as a whole. */
function restore(base: { cwd: string; env: NodeJS.ProcessEnv }): void {
  let cwd: string | undefined;
  try {
    cwd = process.cwd();
  } catch {
    /* its cwd was removed */
  }
  if (cwd !== base.cwd) process.chdir(base.cwd);
  for (const key of Object.keys(process.env)) if (!(key in base.env)) delete process.env[key];
  for (const [key, value] of Object.entries(base.env))
    if (process.env[key] !== value) process.env[key] = value;
  process.exitCode = undefined;
}
