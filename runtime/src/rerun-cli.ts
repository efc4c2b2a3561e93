// `plumb rerun`: run a task graph again from a task that changed (downstream), or a task and what it
// needs (upstream), or what failed last time; the outputs it replaces are moved aside first and put
// back when the rerun does not succeed (rerun-aside.ts). The run itself is `plumb run`'s, under its locks.
import path from 'node:path';
import { parseArgs, type CommandShape, type ParsedArgs, taskRequests, UsageError } from './cli-args';
import { drainStdout } from './cli-output';
import { prepare, RUN_SHAPE, runCommand, type Prepared, type RootsOf } from './cli-run';
import { PlainDate } from './calendar';
import { didYouMean } from './did-you-mean';
import { type EventStream } from './event-stream';
import { EXIT_CODES } from './events';
import { TaskGraph, type TaskNode } from './graph';
import { kebabCase } from './parameter';
import { findProjectRoot } from './project-root';
import { describeRecovery, MovedAside, recoverInterruptedReruns, rerunRoot } from './rerun-aside';
import { type DateWindow, rerunSet, RerunSelectionError, type RerunMode, type RerunSet } from './rerun-set';
import { readHistory } from './run-history';
import { type RunResult } from './run';
import { paramSchemaOf, type Task } from './task';
import { buildTask } from './task-factory';
import { existsSync, statSync } from 'node:fs';

const USAGE =
  'usage: plumb rerun <file-or-module> <Task> [--<param> value …] [<Task> …] (--downstream [--from <Task or id> …] | --upstream | --failed) [--since DAY] [--until DAY] [--list [--json]] [run options]';

export const RERUN_HELP = `${USAGE}
       plumb rerun --recover [dir]

Runs tasks again although they are complete. The tasks named are the roots: the graph a rerun looks
in, and the run it ends with (one run, as plumb run).
  --downstream            each --from task (a family name or a task id; default: the roots) and every
                          task in the roots' graph that depends on it
  --upstream              the roots and everything they require (external data excepted)
  --failed                the tasks whose last run failed (run history) and what depends on them
  --since DAY --until DAY only tasks whose date, hour or date interval parameter falls in the window
                          (both days included); a root whose date parameter is not given runs for
                          each day (or hour) of the window
  --list                  show the tasks and the outputs that would be replaced, change nothing
  --json                  with --list: as JSON
  --recover               put back what an interrupted rerun moved aside (plumb does it by itself on
                          its next command in the project)

The existing outputs of those tasks are moved aside (renamed under .plumb/rerun/<runId>/, never
deleted) before the run. When the run succeeds they are deleted; when it fails or is cancelled,
every output the rerun did not produce again is moved back, so a failed rerun never leaves less
than there was. A rerun killed outright is undone by the next plumb command in the project.
options: --workers N, --events jsonl|ipc, --events-file <path>, --lock wait|fail, --durable, --quiet,
  --no-color, --test-mode, as in plumb run.

exit codes: ${Object.entries(EXIT_CODES)
  .map(([k, v]) => `${v} ${k}`)
  .join(', ')} (--list: ${EXIT_CODES.success} listed)
`;

const SHAPE: CommandShape = {
  usage: USAGE,
  flags: [...RUN_SHAPE.flags.filter((f) => f !== 'unit'), 'json'],
  positionals: [2, Infinity],
  takesParams: true,
};

interface RerunOptions {
  mode?: RerunMode;
  from: string[];
  window: DateWindow;
  list: boolean;
  recover: boolean;
}

const SWITCHES = ['downstream', 'upstream', 'failed', 'list', 'recover'];
const VALUES = ['from', 'since', 'until'];

/**
 * Takes rerun's own options out of the command line; the rest is read as plumb run reads it. A task
 * parameter with one of these names is written --param name=value.
 */
function takeOwnOptions(argv: string[]): { options: RerunOptions; rest: string[] } {
  const options: RerunOptions = { from: [], window: {}, list: false, recover: false };
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const m = /^--([a-z-]+)(?:=(.*))?$/s.exec(arg);
    const name = m?.[1];
    if (name === undefined || (!SWITCHES.includes(name) && !VALUES.includes(name))) {
      rest.push(arg);
      continue;
    }
    if (SWITCHES.includes(name)) {
      if (m![2] !== undefined) throw new UsageError(`--${name} takes no value (got '${m![2]}')`);
      if (name === 'list') options.list = true;
      else if (name === 'recover') options.recover = true;
      else {
        if (options.mode !== undefined && options.mode !== name)
          throw new UsageError(`--${options.mode} and --${name}: give one\n${USAGE}`);
        options.mode = name as RerunMode;
      }
      continue;
    }
    const value = m![2] ?? argv[++i];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name}: missing value`);
    if (name === 'from') options.from.push(value);
    else {
      const key = name as 'since' | 'until';
      if (options.window[key] !== undefined) throw new UsageError(`--${name} is given twice`);
      try {
        options.window[key] = String(PlainDate.parse(value));
      } catch (e) {
        throw new UsageError(`--${name}: ${(e as Error).message}`);
      }
    }
  }
  const { since, until } = options.window;
  if (since !== undefined && until !== undefined && until < since)
    throw new UsageError(`--until ${until} is before --since ${since}`);
  if (options.from.length > 0 && options.mode !== 'downstream')
    throw new UsageError(`--from goes with --downstream\n${USAGE}`);
  return { options, rest };
}

/** Each day (or hour) of the window, for a root whose date parameter is not given. */
function windowValues(kind: string, window: DateWindow): string[] | undefined {
  if (window.since === undefined || window.until === undefined) return undefined;
  if (kind !== 'date' && kind !== 'hour') return undefined;
  const out: string[] = [];
  for (let d = PlainDate.parse(window.since); String(d) <= window.until; d = d.addDays(1)) {
    if (kind === 'date') out.push(String(d));
    else for (let h = 0; h < 24; h++) out.push(`${String(d)}T${String(h).padStart(2, '0')}`);
  }
  return out;
}

function rootsWithin(args: ParsedArgs, window: DateWindow): RootsOf {
  return (pipeline, fileArg) =>
    taskRequests(args, 1).flatMap(({ name, params }) => {
      const cls = pipeline.families.get(name);
      if (!cls) {
        const known = [...pipeline.families.keys()].sort();
        throw new UsageError(
          `${name} is not a task exported by ${fileArg}${didYouMean(name, known)}${known.length ? ` (it exports ${known.join(', ')})` : ''}`,
        );
      }
      const schema = paramSchemaOf(cls);
      const open = Object.entries(schema).filter(
        ([p, def]) =>
          !def.hasDefault && !params.has(p) && !params.has(kebabCase(p)) && windowValues(def.kind, window),
      );
      if (open.length !== 1) return [buildTask(cls, params, SHAPE.flags)];
      const [param, def] = open[0]!;
      return windowValues(def.kind, window)!.map((value) =>
        buildTask(cls, new Map([...params, [param, value]]), SHAPE.flags),
      );
    });
}

/** Task ids whose latest recorded run ended in failure (the newest 200 run logs). */
function lastFailed(projectRoot: string): Set<string> {
  const decided = new Map<string, boolean>();
  for (const record of readHistory(projectRoot, 200)) {
    for (const [id, task] of record.tasks) if (!decided.has(id)) decided.set(id, !task.ok);
    for (const id of record.failed) if (!decided.has(id)) decided.set(id, true);
  }
  return new Set([...decided].filter(([, failed]) => failed).map(([id]) => id));
}

async function affected(
  prepared: Prepared,
  options: RerunOptions,
): Promise<{ set: RerunSet; graph: TaskGraph }> {
  const graph = new TaskGraph();
  await graph.discover(prepared.roots, { expand: true, expandComplete: true });
  try {
    const set = rerunSet(graph, {
      mode: options.mode!,
      roots: prepared.roots.map((r) => r.taskId),
      ...(options.from.length ? { from: options.from } : {}),
      window: options.window,
      ...(options.mode === 'failed' ? { lastFailed: lastFailed(prepared.projectRoot) } : {}),
    });
    return { set, graph };
  } catch (e) {
    if (e instanceof RerunSelectionError) throw new UsageError(e.message);
    throw e;
  }
}

function describe(set: RerunSet, roots: Task[], projectRoot: string): string {
  const rel = (p: string) => {
    const r = path.relative(projectRoot, p);
    return r.startsWith('..') ? p : r;
  };
  const n = (k: number, word: string) => `${k} ${word}${k === 1 ? '' : 's'}`;
  const lines = [
    `plumb rerun ${set.mode} within ${roots.map((r) => r.taskId).join(', ')}: ${n(set.tasks.length, 'task')}, ${n(set.outputs.length, 'output')} to replace`,
  ];
  const byTask = new Map<string, string[]>();
  for (const o of set.outputs)
    (byTask.get(o.taskId) ?? byTask.set(o.taskId, []).get(o.taskId)!).push(rel(o.path));
  for (const node of set.tasks) {
    const outs = byTask.get(node.id);
    lines.push(`  ${node.id}${outs ? `  ${outs.join(', ')}` : ''}`);
  }
  if (set.alsoRuns.length)
    lines.push(`  and ${n(set.alsoRuns.length, 'task')} not complete yet: ${set.alsoRuns.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

function asJson(set: RerunSet, roots: Task[], window: DateWindow): object {
  const byTask = new Map<string, string[]>();
  for (const o of set.outputs) (byTask.get(o.taskId) ?? byTask.set(o.taskId, []).get(o.taskId)!).push(o.path);
  return {
    mode: set.mode,
    roots: roots.map((r) => r.taskId),
    window,
    seeds: set.seeds,
    tasks: set.tasks.map((n: TaskNode) => ({
      id: n.id,
      family: n.task.taskFamily,
      status: n.state === 'broken' ? 'failed' : n.state,
      outputs: byTask.get(n.id) ?? [],
    })),
    outputs: set.outputs,
    unmovable: set.unmovable,
    alsoRuns: set.alsoRuns,
    counts: { tasks: set.tasks.length, outputs: set.outputs.length, alsoRuns: set.alsoRuns.length },
  };
}

function refuseUnmovable(set: RerunSet): void {
  if (set.unmovable.length === 0) return;
  throw new UsageError(
    `cannot move aside ${set.unmovable.map((u) => `${u.output} (${u.taskId})`).join(', ')}: only file and directory outputs can be replaced safely`,
  );
}

/** Moves the set's outputs aside, runs, and drops or puts back the old copies. */
async function rerunAround(
  prepared: Prepared,
  events: EventStream,
  run: () => Promise<RunResult>,
  options: RerunOptions,
): Promise<RunResult> {
  const { set } = await affected(prepared, options);
  refuseUnmovable(set);
  process.stderr.write(describe(set, prepared.roots, prepared.projectRoot));
  const aside = MovedAside.move(
    prepared.projectRoot,
    events.runId,
    prepared.roots.map((r) => r.taskId),
    set.outputs,
  );
  // A second Ctrl-C or a crash ends the process with process.exit: the outputs still go back.
  const onExit = () => {
    if (!aside.isSettled) aside.restore();
  };
  process.on('exit', onExit);
  try {
    for (const node of set.tasks) {
      if (
        node.kind === 'task' &&
        set.outputs.some((o) => o.taskId === node.id) &&
        (await node.task.complete())
      ) {
        throw new UsageError(
          `${node.id} still reads as complete with its outputs moved aside (its complete() does not look at them): rerun cannot replace it`,
        );
      }
    }
    events.emit({
      type: 'rerun-plan',
      mode: set.mode,
      seeds: set.seeds,
      tasks: set.tasks.map((n) => n.id),
      outputs: set.outputs,
      alsoRuns: set.alsoRuns,
      asideDir: aside.dir,
    });
    let result: RunResult;
    try {
      result = await run();
    } catch (e) {
      aside.restore();
      throw e;
    }
    const moved = set.outputs.map((o) => o.path);
    if (result.exitCode === EXIT_CODES.success) {
      aside.discard();
      events.emit({ type: 'rerun-settled', restored: [], replaced: moved, stuck: [] });
    } else {
      const report = aside.restore();
      events.emit({
        type: 'rerun-settled',
        restored: report.restored,
        replaced: report.reproduced,
        stuck: report.stuck,
      });
      process.stderr.write(
        `plumb rerun: did not succeed; ${report.restored.length} of ${moved.length} replaced outputs put back${report.stuck.length ? `, ${report.stuck.length} could not be (${report.errors.join('; ')}): plumb rerun --recover` : ''}\n`,
      );
    }
    return result;
  } catch (e) {
    if (!aside.isSettled) aside.restore();
    throw e;
  } finally {
    process.off('exit', onExit);
  }
}

export async function rerunCommand(argv: string[], cliScript: string): Promise<number> {
  const { options, rest } = takeOwnOptions(argv);
  if (options.recover) {
    if (rest.length > 1) throw new UsageError(`plumb rerun --recover takes at most a folder\n${USAGE}`);
    const start = path.resolve(rest[0] ?? '.');
    const root = findProjectRoot(start) ?? start;
    const reports = recoverInterruptedReruns(root);
    for (const r of reports) process.stderr.write(`${describeRecovery(r)}\n`);
    if (reports.length === 0) process.stderr.write(`plumb: nothing to recover under ${rerunRoot(root)}\n`);
    return reports.some((r) => r.stuck.length > 0) ? EXIT_CODES.failed : EXIT_CODES.success;
  }
  const args = parseArgs(['rerun', ...rest]);
  if (options.mode === undefined)
    throw new UsageError(`say what to rerun: --downstream, --upstream or --failed\n${USAGE}`);
  if (options.list) {
    const prepared = prepare(args, SHAPE, rootsWithin(args, options.window));
    const { set } = await affected(prepared, options);
    process.stdout.write(
      args.flags.has('json')
        ? `${JSON.stringify(asJson(set, prepared.roots, options.window), null, 2)}\n`
        : describe(set, prepared.roots, prepared.projectRoot),
    );
    await drainStdout();
    return EXIT_CODES.success;
  }
  if (args.flags.has('json')) throw new UsageError(`--json goes with --list\n${USAGE}`);
  return runCommand(args, cliScript, {
    shape: SHAPE,
    rootsOf: rootsWithin(args, options.window),
    wrap: (prepared, events, run) => rerunAround(prepared, events, run, options),
  });
}

/**
 * Before any command: undo reruns that were killed, in the project of the working directory and of
 * the pipeline file named, so no command ever sees their outputs missing.
 */
export function recoverBeforeCommand(argv: string[]): void {
  const starts = [process.cwd()];
  const file = argv[1];
  if (file !== undefined && !file.startsWith('-')) {
    try {
      if (existsSync(file))
        starts.push(statSync(file).isDirectory() ? file : path.dirname(path.resolve(file)));
    } catch {
      /* not a path: a module name */
    }
  }
  const roots = new Set(starts.map((s) => findProjectRoot(s)).filter((r): r is string => r !== undefined));
  for (const root of roots) {
    try {
      for (const report of recoverInterruptedReruns(root))
        process.stderr.write(`${describeRecovery(report)}\n`);
    } catch (e) {
      process.stderr.write(
        `plumb: could not check for an interrupted rerun in ${root}: ${(e as Error).message}\n`,
      );
    }
  }
}
