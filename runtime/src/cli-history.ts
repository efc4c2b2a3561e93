// `plumb history`: recent runs from .plumb/runs (outcome, duration, failures, root), or one task's
// durations over its last runs, for people and scripts outside the editor; --test-mode (or
// plumb.toml's [run] test_mode) reads the test runs' own history, kept in the test area.
import { parseArgs as parseOptions } from 'node:util';
import { UsageError } from './cli-args';
import { loadConfig } from './config';
import { enterTestMode } from './operations/test-mode';
import { findProjectRoot } from './project-root';
import { runLogDir } from './run-log';
import { matchesTask, readHistory, readRun, runLogNames, type RunRecord } from './run-history';

export const HISTORY_HELP = `usage: plumb history [--limit N] [--json] [--test-mode]
       plumb history --task <task id or family> [--limit N] [--json] [--test-mode]

Lists the newest runs of the project (from .plumb/runs): when each started, its outcome, how long
it took, the tasks that failed and its root task. With --task, the durations of that task (an exact
id such as 'Report(customer=a)', or every task of a family such as Report) over its last runs.

options:
  --limit N     how many runs (default 20)
  --json        as JSON, for scripts
  --test-mode   the test runs' history (kept in the test area, apart from production's); also
                when plumb.toml says [run] test_mode = true

exit codes: 0 listed, 2 usage error
`;

/** Run logs looked through for --task: runs that did not run the task do not count towards --limit. */
const TASK_SCAN = 1000;

export function historyCommand(argv: string[]): number {
  let values;
  try {
    ({ values } = parseOptions({
      args: argv,
      options: {
        task: { type: 'string' },
        limit: { type: 'string' },
        json: { type: 'boolean' },
        'test-mode': { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n\n${HISTORY_HELP}`);
  }
  const limit = values.limit === undefined ? 20 : Number(values.limit);
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new UsageError(`--limit expects a whole number ≥ 1, got '${values.limit}'`);
  const projectRoot = findProjectRoot(process.cwd()) ?? process.cwd();
  testModeHistory(projectRoot, values['test-mode'] === true);
  const out = (text: string) => process.stdout.write(text);
  if (values.task !== undefined) {
    const rows = taskDurations(projectRoot, values.task, limit);
    if (values.json) out(`${JSON.stringify({ task: values.task, runs: rows }, null, 2)}\n`);
    else out(taskText(values.task, rows));
    return 0;
  }
  const runs = readHistory(projectRoot, limit);
  if (values.json) out(`${JSON.stringify({ runs: runs.map(runJson) }, null, 2)}\n`);
  else if (runs.length === 0) out(`no runs in ${runLogDir(projectRoot)} yet\n`);
  else for (const run of runs) out(runLine(run));
  return 0;
}

/**
 * Test runs keep their history in the test area: read there with --test-mode, or when plumb.toml
 * makes every run a test run. A plumb.toml that does not parse leaves the history readable, unless
 * its test area is asked for.
 */
function testModeHistory(projectRoot: string, asked: boolean): void {
  let config;
  try {
    config = loadConfig(projectRoot);
  } catch (e) {
    if (asked) throw e;
    return;
  }
  if (asked || config.run.testMode) enterTestMode(projectRoot, config.testModeRoot);
}

function runJson(run: RunRecord) {
  return {
    runId: run.runId,
    startedAt: new Date(run.startedAt).toISOString(),
    root: run.root,
    roots: run.roots,
    outcome: run.outcome ?? (run.unreadable ? 'unreadable' : 'unfinished'),
    ...(run.exitCode !== undefined ? { exitCode: run.exitCode } : {}),
    ...(run.durationMs !== undefined ? { durationMs: run.durationMs } : {}),
    failed: run.failed,
    ...(run.slaMisses.length > 0
      ? {
          slaMisses: run.slaMisses.map((m) => ({ ...m, deadline: new Date(m.deadline).toISOString() })),
        }
      : {}),
    ...(run.message ? { message: run.message } : {}),
    ...(run.unreadable ? { unreadable: run.unreadable } : {}),
  };
}

function seconds(ms: number | undefined): string {
  return ms === undefined ? '—' : ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 1000).toFixed(1)} s`;
}

function runLine(run: RunRecord): string {
  const outcome = run.outcome ?? (run.unreadable ? `unreadable: ${run.unreadable}` : 'unfinished');
  const failed = run.failed.length > 0 ? `  failed: ${run.failed.join(', ')}` : '';
  const message = run.message && run.outcome !== 'success' ? `  (${run.message.split('\n')[0]})` : '';
  const sla =
    run.slaMisses.length > 0
      ? `  SLA missed: ${run.slaMisses.map((m) => m.taskId ?? 'the run').join(', ')}`
      : '';
  return `${new Date(run.startedAt).toISOString()}  ${outcome.padEnd(16)} ${seconds(run.durationMs).padStart(9)}  ${run.roots.join(' ') || run.root || run.runId}${failed}${sla}${message}\n`;
}

interface TaskRun {
  runId: string;
  startedAt: string;
  taskId: string;
  durationMs: number;
  ok: boolean;
}

function taskDurations(projectRoot: string, query: string, limit: number): TaskRun[] {
  const rows: TaskRun[] = [];
  for (const name of runLogNames(projectRoot).slice(0, TASK_SCAN)) {
    const run = readRun(projectRoot, name);
    const found = [...run.tasks].filter(([id]) => matchesTask(query, id));
    for (const [taskId, { durationMs, ok }] of found)
      rows.push({
        runId: run.runId,
        startedAt: new Date(run.startedAt).toISOString(),
        taskId,
        durationMs,
        ok,
      });
    if (new Set(rows.map((r) => r.runId)).size >= limit) break;
  }
  // Oldest first: a trend reads left to right, top to bottom.
  return rows.reverse();
}

function taskText(query: string, rows: TaskRun[]): string {
  if (rows.length === 0) return `no run in its history ran ${query} to its end\n`;
  const lines = rows.map(
    (r) =>
      `${r.startedAt}  ${seconds(r.durationMs).padStart(9)}  ${r.ok ? 'ok    ' : 'failed'}  ${r.taskId}\n`,
  );
  const sorted = rows.map((r) => r.durationMs).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return `${lines.join('')}${rows.length} run(s): min ${seconds(sorted[0])}, median ${seconds(median)}, max ${seconds(sorted[sorted.length - 1])}\n`;
}
