// `plumb run … --plan`: what that run would do, as a plan event and a few lines for people, made
// by the run's own preparation (cli-run.ts prepare) and checks (plan.ts), with no task started, no
// run lock or concurrency key taken and nothing written under the project (no run log).
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { type ParsedArgs, UsageError } from './cli-args';
import { drainStdout } from './cli-output';
import { errorText, outcomeOfError, prepare, RUN_SHAPE } from './cli-run';
import { EventStream, newRunId } from './event-stream';
import { EXIT_CODES, type RunOutcome } from './events';
import { TaskGraph } from './graph';
import { planTasks } from './plan';
import { formatPlan } from './plan-text';
import { summarize } from './summary';

/** plumb run's own options and --plan: a plan accepts any command line the run would. */
const PLAN_SHAPE = { ...RUN_SHAPE, flags: [...RUN_SHAPE.flags, 'plan'] };

export const PLAN_HELP = `  --plan                  say what would run, without running anything: each task complete, will run,
                          blocked (missing external data, with the paths), skipped (--unit) or broken,
                          with counts (a plan event with --events); no lock is taken, nothing is
                          written; exit 0 once the plan is made (2 usage error, 5 a root cannot be
                          built, 70 crashed)
`;

export async function planCommand(args: ParsedArgs): Promise<number> {
  const eventsMode = args.flags.get('events');
  const jsonl = eventsMode === 'jsonl';
  const ipc = eventsMode === 'ipc';
  if (eventsMode !== undefined && !jsonl && !ipc) {
    throw new UsageError(`--events takes 'jsonl' or 'ipc', got '${eventsMode}'`);
  }
  if (ipc && !process.send) throw new UsageError('--events ipc needs an IPC channel (spawn plumb with one)');
  const human = jsonl ? process.stderr : process.stdout;
  const events = new EventStream(newRunId());
  if (jsonl) events.onLine((line) => process.stdout.write(`${line}\n`));
  const eventsFile = args.flags.get('events-file');
  if (eventsFile) events.onLine((line) => appendFileSync(path.resolve(eventsFile), `${line}\n`));
  let ipcPending = Promise.resolve();
  if (ipc) {
    events.onEvent((e) => {
      ipcPending = new Promise((resolve) => process.send!(e, undefined, undefined, () => resolve()));
    });
  }
  const finish = async (code: number) => {
    await ipcPending;
    await drainStdout();
    return code;
  };

  let outcome: RunOutcome;
  let message: string;
  try {
    const prepared = prepare(args, PLAN_SHAPE);
    const plan = await planTasks(prepared.roots, { unit: args.flags.has('unit') });
    // Which tasks a limit lets start is decided while running (the order they become ready).
    const limit = args.flags.get('max-tasks');
    if (limit !== undefined && plan.counts.willRun > Number(limit))
      plan.text += `; at most ${limit} of them start in this run (--max-tasks ${limit})`;
    events.emit(plan);
    human.write(formatPlan(plan, prepared.projectRoot, args.flags.has('quiet')));
    return await finish(EXIT_CODES.success);
  } catch (e) {
    outcome = outcomeOfError(e);
    message = errorText(e);
  }
  // No plan: the stream ends as a run that could not start does, saying why.
  events.emit({
    type: 'run-finished',
    outcome,
    exitCode: EXIT_CODES[outcome],
    durationMs: 0,
    summary: summarize(new TaskGraph(), []),
    message,
  });
  process.stderr.write(`plumb: ${outcome === 'crashed' ? 'crashed: ' : ''}${message}\n`);
  return finish(EXIT_CODES[outcome]);
}
