// The `plumb` command line: run, graph, list, help. A thin shell over the runtime core.
import './cli-heap'; // first: the heap policy applies before anything allocates
import { parseArgs, UsageError } from './cli-args';
import { errorText, outcomeOfError, runCommand } from './cli-run';
import { EVENT_SCHEMA_VERSION, EXIT_CODES } from './events';
import { RUNTIME_VERSION } from './run';
// Static: recoverBeforeCommand runs before every command (rerun-cli brings no built-in along).
import { recoverBeforeCommand, RERUN_HELP, rerunCommand } from './rerun-cli';

// Every other command is loaded when it is asked for: `plumb run` (the one run thousands of times,
// by schedules, the editor and isolated tasks) does not pay for loading the others at start-up.
const backfill = () => import('./cli-backfill');
const cluster = () => import('./cli-cluster');
const graphList = () => import('./cli-graph');
const history = () => import('./cli-history');
const init = () => import('./cli-init');
const isolate = () => import('./cli-isolate');
const plan = () => import('./cli-plan');
const schedule = () => import('./cli-schedule');

/** Help texts; each command's own comes from its module, loaded for it. */
const HELP: Record<string, () => string | Promise<string>> = {
  main: () => `plumb ${RUNTIME_VERSION} — data pipelines as TypeScript task classes

usage: plumb <command> [options]

commands:
  run <file> <Task> [--<param> value …] [<Task> …]    run tasks and everything they need
  graph <file> <Task> [--<param> value …] [<Task> …]  print the task graph (JSON or DOT)
  list <file>                                         list the task families a file exports
  init [dir]                                          write a new pipeline project that runs at once
  backfill <file> <Task> --start A --stop B [--max N] run the missing days or hours of a window
  rerun <file> <Task> --downstream|--upstream|…       run again what a fix affects (outputs moved aside)
  schedule [--once | --list]                          run plumb.toml's schedules on this machine
  schedule --cluster [<redis-url>] [--remove]         put plumb.toml's schedules on the cluster's queue
  history [--task <id or family>] [--json]            recent runs, or one task's durations
  run --attach <runId> [--cluster <redis-url>]        follow a cluster run again, from its first event
  run --cancel <runId> [--cluster <redis-url>]        cancel a cluster run from any host (exit 130)
  worker --redis <url> [--concurrency N]              run task jobs from a cluster's queue (plumb-cluster)
  queue stats|failed|retry [--redis <url>]            the cluster's queue: metrics, dead letters, requeue

plumb <command> --help for each command's options and exit codes.
exit codes: ${EXIT_CODES.success} success, ${EXIT_CODES.error} usage error, ${EXIT_CODES.crashed} plumb itself crashed (plumb run --help: every run outcome's)
`,
  run: async () => `usage: plumb run <file-or-module> <TaskName> [--<param> value …] [<TaskName> [--<param> value …] …] [options]

Runs each TaskName and every requirement that is not complete yet, in one run: one summary, one
exit code for all of them.

parameters:
  --<param> value         a task parameter, by its name or kebab-case (--date-interval 2026-11-01-2026-11-07);
                          it belongs to the task named before it (plumb run p.ts A --day 1 B --day 2)
  --param name=value      the same, explicitly
  --<param>               alone: true, for a bool parameter (any other parameter needs a value;
                          before another task name write --<param>=true, or the name is its value)
options:
  --workers N             run up to N tasks at once (default: plumb.toml [run] workers, else 1)
  --events jsonl          write the run-event stream (schema v${EVENT_SCHEMA_VERSION}) to stdout; human output goes to stderr
  --events-file <path>    append the run-event stream to a file
  --events ipc            send each event as a message over the IPC channel plumb was spawned with
  --unit                  run only this task; its requirements must already be complete
  --lock wait|fail        when the same task is already running, or its concurrency key is held:
                          wait for it, or fail (default, exit 4)
  --concurrency-key k     no other run with key k at once (a template: customer-{customer} is filled
                          from the task's parameters); plumb.toml [tasks.<Task>] concurrency_key too
  --durable               fsync every output before it counts
  --max-tasks N           start at most N tasks; the rest are not run (exit 6 while a root is incomplete:
                          run again to continue)
  --sla 06:00[@Zone]|2h   the whole run's SLA: a time of day, or a duration after --scheduled-at (default:
                          the run's start); a miss is an sla-missed event and an alert ([alerts])
  --scheduled-at <ISO>    the scheduled start SLAs count from (plumb schedule passes it, and --scheduled-by)
  --cluster [<redis-url>] run each task on the cluster's workers (plumb worker; needs plumb-cluster);
                          alone: PLUMB_REDIS_URL, else plumb.toml [cluster] redis
  --attach <runId>        follow a cluster run in progress (or finished) from its first event; Ctrl-C
                          there only stops following (in the submitter it cancels the run, as locally)
  --cancel <runId>        cancel a cluster run from any host and follow it to its end (exit 130)
  --priority N            with --cluster: 1 runs first (default 100), e.g. an ad-hoc run ahead of scheduled ones
  --test-mode             write every output under the test area (plumb.toml [test_mode] root, default
                          .plumb/test-area), never to production paths; external data is read as is
${(await plan()).PLAN_HELP}  --quiet                 only failures and the summary
  --no-color              no colours (NO_COLOR is honoured too)

Options may come anywhere. Nothing is ignored: an unknown option or parameter, one given twice, or
an argument no task takes is an error (exit 2).
Every run appends its events to .plumb/runs/<runId>.jsonl under the project root. At the end of
each run the oldest logs are deleted beyond the newest 200 runs or 200 MB in all (plumb.toml [run]
keep_run_logs, keep_run_logs_mb; 0 = no limit); the current run's log is always kept.

exit codes: ${Object.entries(EXIT_CODES)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ')}
`,
  graph:
    () => `usage: plumb graph <file-or-module> <TaskName> [--<param> value …] [<TaskName> …] [--format json|dot]

Prints every task below each TaskName with its status (complete, pending, missing-external),
without running anything. Parameters belong to the task named before them, as in plumb run.

exit codes: ${EXIT_CODES.success} printed, ${EXIT_CODES.error} usage error (command line, plumb.toml, parameter, pipeline file), ${EXIT_CODES.crashed} plumb itself crashed
`,
  init: async () => (await init()).INIT_HELP,
  backfill: async () => (await backfill()).BACKFILL_HELP,
  rerun: () => RERUN_HELP,
  schedule: async () => (await schedule()).SCHEDULE_HELP,
  history: async () => (await history()).HISTORY_HELP,
  list: () => `usage: plumb list <file-or-module> [--json]

Lists the task families the file exports, with their parameters.

exit codes: ${EXIT_CODES.success} listed, ${EXIT_CODES.error} usage error (command line, pipeline file), ${EXIT_CODES.crashed} plumb itself crashed
`,
};

/** Whether the command line is one of plumb-cluster's (cli-cluster.ts decides exactly which). */
function mentionsCluster(argv: string[]): boolean {
  return argv[0] === 'worker' || argv[0] === 'queue' || argv.some((a) => /^--(cluster|attach)(=|$)/.test(a));
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === '__task') return (await isolate()).runIsolatedChild(argv[1] ?? '{}');
  try {
    if (argv[0] === '--version' || argv[0] === 'version') {
      if (argv.length > 1) throw new UsageError(`unexpected argument '${argv[1]}' after ${argv[0]}`);
      process.stdout.write(`${RUNTIME_VERSION}\n`);
      return 0;
    }
    // A rerun killed outright left outputs aside: put them back before anything looks at them.
    if (argv[0] !== undefined && !argv[0].startsWith('-') && argv[0] !== 'help') recoverBeforeCommand(argv);
    const help = argv.includes('--help') || argv.includes('-h');
    if (argv[0] === 'rerun' && !help) return await rerunCommand(argv.slice(1), process.argv[1]!);
    // init reads its own arguments (it takes a folder and no options).
    if (argv[0] === 'init' && !help) return (await init()).initCommand(argv.slice(1));
    if (mentionsCluster(argv)) {
      const c = await cluster();
      if (c.wantsClusterSchedule(argv)) return await c.clusterSchedule(argv.slice(1), process.argv[1]!);
      // The cluster's commands read their own options, in plumb-cluster (loaded only for them).
      if (argv[0] === 'worker') return await c.workerCommand(argv.slice(1), process.argv[1]!);
      if (argv[0] === 'queue') return await c.queueCommand(argv.slice(1), process.argv[1]!);
      if (c.wantsCluster(argv)) return await c.clusterRunCommand(argv, process.argv[1]!);
    }
    // schedule and history read their own options: none of them may be taken for a task parameter.
    if (argv[0] === 'schedule' && !help)
      return await (await schedule()).scheduleCommand(argv.slice(1), process.argv[1]!);
    if (argv[0] === 'history' && !help) return (await history()).historyCommand(argv.slice(1));
    const args = parseArgs(argv);
    const command = args.command;
    if (command === undefined || command === 'help') {
      const topic = args.positionals[0] ?? 'main';
      if (args.positionals.length > 1 || HELP[topic] === undefined)
        throw new UsageError(`no help on '${args.positionals.join(' ')}'\n\n${HELP.main!()}`);
      process.stdout.write(await HELP[topic]!());
      return command === undefined && !args.help ? EXIT_CODES.error : 0;
    }
    if (args.help) {
      if (HELP[command] === undefined)
        throw new UsageError(`unknown command '${command}'\n\n${HELP.main!()}`);
      process.stdout.write(await HELP[command]!());
      return 0;
    }
    if (command === 'run' && args.flags.has('plan')) return await (await plan()).planCommand(args);
    if (command === 'run') return await runCommand(args, process.argv[1]!);
    if (command === 'backfill') return await (await backfill()).backfillCommand(args, process.argv[1]!);
    if (command === 'graph') return await (await graphList()).graphCommand(args);
    if (command === 'list') return (await graphList()).listCommand(args);
    throw new UsageError(`unknown command '${command}'\n\n${HELP.main!()}`);
  } catch (e) {
    const outcome = outcomeOfError(e);
    process.stderr.write(`plumb: ${outcome === 'crashed' ? 'crashed: ' : ''}${errorText(e)}\n`);
    return EXIT_CODES[outcome];
  }
}

/** plumb's own crash: exit 70, never the usage error's 2 nor a failed task's 1. */
function crash(e: unknown): never {
  process.stderr.write(`plumb: crashed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(EXIT_CODES.crashed);
}

// The last resort, outside a run: during one, the run guard (run-guard.ts) has its own listeners,
// blames the task the error came from and ends the run with its summary; this one then stands back.
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (e: unknown) => {
    if (process.listenerCount(event) > 1) return;
    crash(e);
  });
}

main(process.argv.slice(2)).then((code) => process.exit(code), crash);
