// The run shell against the real runtime CLI on a copy of the example pipeline: the same command line
// the extension starts, its event stream folded into run state, the run log read back as history.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import * as esbuild from 'esbuild';
import type { RunEvent } from '../../runtime/src/events';
import { EventLineReader } from '../../client/src/eventLineReader';
import { failureReports } from '../../client/src/failureReport';
import { FileTail } from '../../client/src/fileTail';
import { runsDirOf } from '../../client/src/projectRoot';
import { runArguments, type RunRequest } from '../../client/src/runCommandLine';
import { readRunHistory } from '../../client/src/runHistory';
import { RunProcess } from '../../client/src/runProcess';
import { applyRunEvent, createRunState, failedTasks, familyStatuses } from '../../client/src/runState';

const repo = path.resolve(import.meta.dirname, '..', '..');
// Inside the repository, so the bundle finds esbuild in node_modules like dist/runtime/cli.js does.
const cliDir = path.join(repo, 'test-output', 'client-runtime-cli');
const cliPath = path.join(cliDir, 'cli.js');
let workspace: string;

before(async () => {
  await esbuild.build({
    entryPoints: [path.join(repo, 'runtime', 'src', 'cli.ts')],
    outfile: cliPath,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['esbuild'],
    sourcemap: true,
    logLevel: 'error',
  });
  workspace = mkdtempSync(path.join(os.tmpdir(), 'plumb-client-run-'));
  cpSync(path.join(repo, 'examples', 'top-artists'), workspace, {
    recursive: true,
    filter: (src) => !src.includes(`${path.sep}data`) && !src.includes(`${path.sep}.plumb`),
  });
});

after(() => rmSync(workspace, { recursive: true, force: true }));

function run(request: RunRequest, sink: Parameters<typeof runArguments>[1] = { kind: 'stdout' }) {
  const events: RunEvent[] = [];
  let output = '';
  const child = new RunProcess({
    nodePath: process.execPath,
    cliPath,
    args: runArguments(request, sink),
    cwd: workspace,
    onEvents: (batch) => events.push(...batch),
    onOutput: (text) => (output += text),
  });
  return { child, events, output: () => output };
}

test('a run streams its events on stdout; they fold into the final state and the run log', async () => {
  const request = {
    file: path.join(workspace, 'pipeline.ts'),
    family: 'Top10Artists',
    params: { dateInterval: '2026-11-01-2026-11-03' },
    unit: false,
  };
  const { child, events, output } = run(request);
  const exit = await child.exited;
  assert.equal(exit.code, 0, output());
  const state = createRunState('?');
  for (const event of events) applyRunEvent(state, event);
  assert.equal(state.finished?.outcome, 'success');
  assert.equal(state.rootFamily, 'Top10Artists');
  assert.deepEqual(familyStatuses(state), {
    Top10Artists: 'done',
    AggregateArtists: 'done',
    Streams: 'complete',
  });
  assert.deepEqual(failedTasks(state), []);
  assert.ok(existsSync(path.join(workspace, 'data', 'top_artists_2026-11-01-2026-11-03.tsv')));
  assert.match(output(), /top artist: /, 'user prints reach the output channel');

  const history = await readRunHistory([runsDirOf(workspace)]);
  assert.equal(history.runs[0]?.runId, events[0]?.runId);
  assert.equal(history.runs[0]?.outcome, 'success');
  const aggregate = [...state.tasks.values()].find((t) => t.family === 'AggregateArtists')!;
  assert.deepEqual(history.durations[aggregate.id], [aggregate.durationMs]);
});

test('a debug-style run writes its events to a file that the tail reads back whole', async () => {
  const eventsFile = path.join(workspace, 'events-under-debug.jsonl');
  const tailed: RunEvent[] = [];
  const reader = new EventLineReader();
  const tail = new FileTail(eventsFile, (text) => tailed.push(...reader.push(text)));
  tail.start(10);
  const { child, events } = run(
    {
      file: path.join(workspace, 'pipeline.ts'),
      family: 'AggregateArtists',
      params: { dateInterval: '2026-11-04-2026-11-05' },
      unit: true,
    },
    { kind: 'file', path: eventsFile },
  );
  const exit = await child.exited;
  await tail.stop();
  tailed.push(...reader.end());
  assert.equal(exit.code, 0);
  assert.deepEqual(events, [], 'nothing on stdout when events go to a file');
  const last = tailed.at(-1);
  assert.equal(last?.type === 'run-finished' && last.outcome, 'success');
  assert.deepEqual(
    tailed.map((e) => e.seq),
    [...tailed.keys()],
  );
  const started = tailed[0];
  assert.equal(started?.type === 'run-started' && started.unit, true);
  assert.equal(readFileSync(eventsFile, 'utf8').trim().split('\n').length, tailed.length);
});

test('a missing parameter ends the run with outcome error and a message naming it', async () => {
  const { child, events } = run({
    file: path.join(workspace, 'pipeline.ts'),
    family: 'Streams',
    params: {},
    unit: false,
  });
  const exit = await child.exited;
  const state = createRunState('?');
  for (const event of events) applyRunEvent(state, event);
  assert.equal(exit.code, 2);
  assert.equal(state.finished?.outcome, 'error');
  assert.match(state.finished?.message ?? '', /date/);
});

test('Cancel stops a real run: outcome cancelled, exit 130, no partial output left', async () => {
  const slow = mkdtempSync(path.join(os.tmpdir(), 'plumb-client-cancel-'));
  try {
    cpSync(path.join(import.meta.dirname, 'fixtures', 'slow-pipeline'), slow, { recursive: true });
    const events: RunEvent[] = [];
    const child = new RunProcess({
      nodePath: process.execPath,
      cliPath,
      args: runArguments(
        { file: path.join(slow, 'pipeline.ts'), family: 'Slow', params: {}, unit: false },
        { kind: 'stdout' },
      ),
      cwd: slow,
      onEvents: (batch) => events.push(...batch),
      onOutput: () => {},
    });
    while (!events.some((e) => e.type === 'task-status')) {
      assert.ok(!events.some((e) => e.type === 'run-finished'), 'the run ended before it could be cancelled');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.cancel(30_000);
    const exit = await child.exited;
    const state = createRunState('?');
    for (const event of events) applyRunEvent(state, event);
    assert.equal(exit.code, 130);
    assert.equal(state.finished?.outcome, 'cancelled');
    assert.notEqual(familyStatuses(state).Slow, 'done');
    const out = path.join(slow, 'out');
    assert.deepEqual(existsSync(out) ? readdirSync(out) : [], [], 'no output and no temporary file');
  } finally {
    rmSync(slow, { recursive: true, force: true });
  }
});

test('while user code blocks the thread (a breakpoint, a CPU-heavy run), the tail already has the run up to task-running', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plumb-client-blocking-'));
  const eventsFile = path.join(dir, 'events.jsonl');
  const tailed: RunEvent[] = [];
  const reader = new EventLineReader();
  const tail = new FileTail(eventsFile, (text) => tailed.push(...reader.push(text)));
  let child: RunProcess | undefined;
  let exited = false;
  try {
    cpSync(path.join(import.meta.dirname, 'fixtures', 'blocking-pipeline'), dir, { recursive: true });
    tail.start(10);
    child = new RunProcess({
      nodePath: process.execPath,
      cliPath,
      args: runArguments(
        { file: path.join(dir, 'pipeline.ts'), family: 'Blocking', params: {}, unit: false },
        { kind: 'file', path: eventsFile },
      ),
      cwd: dir,
      onEvents: () => {},
      onOutput: () => {},
    });
    void child.exited.then(() => (exited = true));
    // The task stays blocked until the release file exists, so what the tail has now was written
    // before user code took the thread. A generous bound only turns a hang into a failure.
    const giveUpAt = Date.now() + 30_000;
    while (!tailed.some((e) => e.type === 'task-running' && e.taskId.startsWith('Blocking'))) {
      assert.ok(!exited, 'the run ended without the task running');
      assert.ok(
        Date.now() < giveUpAt,
        `the task blocks but its events never reached the file; tailed: ${tailed.map((e) => e.type).join(', ')}`,
      );
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.deepEqual(
      tailed.slice(0, 2).map((e) => e.type),
      ['run-started', 'graph'],
    );
    writeFileSync(path.join(dir, 'release'), '');
    const exit = await child.exited;
    await tail.stop();
    tailed.push(...reader.end());
    assert.equal(exit.code, 0);
    const last = tailed.at(-1);
    assert.equal(last?.type === 'run-finished' && last.outcome, 'success');
  } finally {
    // A thread blocked in user code runs no signal handler: only SIGKILL stops it.
    if (child?.pid !== undefined && !exited) process.kill(child.pid, 'SIGKILL');
    await tail.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a failed task reports on its class with the error and the .ts line it was thrown at; a good rerun reports nothing', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plumb-client-failing-'));
  try {
    cpSync(path.join(import.meta.dirname, 'fixtures', 'failing-pipeline'), dir, { recursive: true });
    const file = path.join(dir, 'pipeline.ts');
    const flakyClass = {
      uri: `file://${file}`,
      nameRange: { start: { line: 4, character: 13 }, end: { line: 4, character: 18 } },
    };
    const classesOf = (family: string) => (family === 'Flaky' ? [flakyClass] : []);
    const runOnce = async () => {
      const events: RunEvent[] = [];
      const child = new RunProcess({
        nodePath: process.execPath,
        cliPath,
        args: runArguments({ file, family: 'Flaky', params: {}, unit: false }, { kind: 'stdout' }),
        cwd: dir,
        onEvents: (batch) => events.push(...batch),
        onOutput: () => {},
      });
      const exit = await child.exited;
      const state = createRunState('?');
      for (const event of events) applyRunEvent(state, event);
      return { exit, state };
    };

    const failed = await runOnce();
    assert.equal(failed.state.finished?.outcome, 'failed');
    const [report, ...more] = failureReports(failed.state, classesOf);
    assert.deepEqual(more, []);
    assert.equal(report?.uri, flakyClass.uri);
    assert.deepEqual(report?.range, flakyClass.nameRange);
    assert.equal(report?.message, 'Flaky() failed: RangeError: no input for the flaky task');
    const throwLine = readFileSync(file, 'utf8')
      .split('\n')
      .findIndex((l) => l.includes('throw new RangeError'));
    assert.equal(report?.thrownAt?.file, file, 'the frame of the pipeline source, not of the runtime');
    assert.equal(report?.thrownAt?.line, throwLine);

    writeFileSync(path.join(dir, 'fixed'), '');
    const fixed = await runOnce();
    assert.equal(fixed.exit.code, 0);
    assert.deepEqual(failureReports(fixed.state, classesOf), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
