// The `plumb` CLI end to end, in real processes on a real fixture workspace.
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { EVENT_SCHEMA_VERSION, EXIT_CODES, type RunEvent } from '../../runtime/src/events';
import { spawnSync } from 'node:child_process';
import { allFiles, cli, finished, runCli, startCli, waitForOutput, workspace } from './support/cli';

const ids = (events: RunEvent[], type: RunEvent['type']) =>
  events.filter((e) => e.type === type).map((e) => (e as { taskId?: string }).taskId);

test('runs a chain, then an idempotent rerun runs nothing', () => {
  const ws = workspace('pipelines');
  const first = runCli(ws, ['run', 'pipeline.ts', 'Chain', '--events', 'jsonl']);
  assert.equal(first.code, 0, first.stderr);
  assert.deepEqual(ids(first.events, 'task-done').sort(), [
    'Chain(length=3)',
    'Link(index=0)',
    'Link(index=1)',
    'Link(index=2)',
  ]);
  assert.equal(
    readFileSync(path.join(ws, 'out/link_2.txt'), 'utf8'),
    'link 2 first half\nlink 2 second half\n',
  );
  const again = runCli(ws, ['run', 'pipeline.ts', 'Chain', '--events', 'jsonl']);
  assert.equal(again.code, 0);
  assert.deepEqual(ids(again.events, 'task-done'), []);
  const finish = again.events.at(-1);
  assert.equal(finish?.type, 'run-finished');
  assert.deepEqual(finish.type === 'run-finished' && finish.summary.alreadyComplete, ['Chain(length=3)']);
});

test('the event stream on a real run: versioned, gap-free, ordered, and the same in the run log', () => {
  const ws = workspace('pipelines');
  const r = runCli(ws, ['run', 'pipeline.ts', 'Chain', '--length', '2', '--events', 'jsonl']);
  assert.equal(r.code, 0, r.stderr);
  // stdout carries only events; human output went to stderr.
  assert.equal(r.stdout.trim().split('\n').length, r.events.length);
  assert.match(r.stderr, /Plumb execution summary/);
  const runId = r.events[0]!.runId;
  r.events.forEach((e, i) => {
    assert.equal(e.v, EVENT_SCHEMA_VERSION);
    assert.equal(e.runId, runId);
    assert.equal(e.seq, i);
    assert.equal(typeof e.time, 'number');
  });
  const types = r.events.map((e) => e.type);
  assert.equal(types[0], 'run-started');
  assert.equal(types[1], 'graph');
  assert.equal(types.at(-1), 'run-finished');
  const started = r.events[0]!;
  assert.ok(started.type === 'run-started' && started.root === 'Chain(length=2)' && started.workers === 2);
  const graph = r.events[1]!;
  assert.ok(graph.type === 'graph');
  assert.deepEqual(
    graph.nodes.map((n) => [n.id, n.kind, n.status]),
    [
      ['Chain(length=2)', 'wrapper', 'pending'],
      ['Link(index=1)', 'task', 'pending'],
      ['Link(index=0)', 'task', 'pending'],
    ],
  );
  assert.deepEqual(graph.nodes[1]!.params, { index: '1' });
  assert.equal(graph.nodes[1]!.source?.file, path.join(ws, 'pipeline.ts'));
  assert.equal(graph.nodes[1]!.source?.line, 6);
  assert.deepEqual(graph.edges, [
    { from: 'Chain(length=2)', to: 'Link(index=1)' },
    { from: 'Link(index=1)', to: 'Link(index=0)' },
  ]);
  // Each link runs after the one it requires, and its console output is attributed to it.
  const order = r.events
    .filter((e) => e.type === 'task-running' || e.type === 'task-done')
    .map((e) => `${e.type} ${'taskId' in e ? e.taskId : ''}`);
  assert.ok(order.indexOf('task-done Link(index=0)') < order.indexOf('task-running Link(index=1)'));
  const logs = r.events.filter((e) => e.type === 'task-log');
  assert.deepEqual(
    logs.map((e) => e.type === 'task-log' && [e.taskId, e.line]),
    [
      ['Link(index=0)', 'writing link 0'],
      ['Link(index=1)', 'writing link 1'],
    ],
  );
  const log = readFileSync(path.join(ws, '.plumb', 'runs', `${runId}.jsonl`), 'utf8');
  assert.equal(log, r.stdout);
});

test('parameter errors name the task, the parameter and the flag; exit code 2', () => {
  const ws = workspace('pipelines');
  const bad = runCli(ws, ['run', 'pipeline.ts', 'Typed', '--day', '2026-02-30', '--events', 'jsonl']);
  assert.equal(bad.code, EXIT_CODES.error);
  const fin = bad.events.at(-1)!;
  assert.ok(fin.type === 'run-finished' && fin.outcome === 'error');
  assert.match(fin.message ?? '', /Typed: parameter 'day' \(--day "2026-02-30"\) not a calendar date/);
  const unknown = runCli(ws, ['run', 'pipeline.ts', 'Typed', '--day', '2026-02-03', '--colour', 'red']);
  assert.equal(unknown.code, EXIT_CODES.error);
  assert.match(
    unknown.stderr,
    /'colour' is not a parameter of Typed \(it takes --day, --n, --ratio, --tags, --mode\)/,
  );
  const missing = runCli(ws, ['run', 'pipeline.ts', 'Typed']);
  assert.match(missing.stderr, /Typed: parameter 'day' is required/);
  const badEnum = runCli(ws, ['run', 'pipeline.ts', 'Typed', '--day', '2026-02-03', '--mode', 'medium']);
  assert.match(badEnum.stderr, /parameter 'mode' .*expected one of fast, slow, got 'medium'/);
  const ok = runCli(ws, [
    'run',
    'pipeline.ts',
    'Typed',
    '--day',
    '2026-02-03',
    '--param',
    'n=7',
    '--tags',
    'a,b',
    '--mode',
    'slow',
  ]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual(JSON.parse(readFileSync(path.join(ws, 'out/typed_2026-02-03_7.txt'), 'utf8')), {
    day: '2026-02-03',
    n: 7,
    ratio: 0.5,
    tags: ['a', 'b'],
    mode: 'slow',
  });
  const noTask = runCli(ws, ['run', 'pipeline.ts', 'Nope']);
  assert.equal(noTask.code, EXIT_CODES.error);
  assert.match(
    noTask.stderr,
    /Nope is not a task exported by pipeline.ts \(it exports BusyLoop, Chain, Chatter, Fails, FailsDeep, Hang/,
  );
});

test('missing external data is reported up front, not as a failure; exit code 3', () => {
  const ws = workspace('pipelines');
  const r = runCli(ws, ['run', 'pipeline.ts', 'NeedsMissing', '--events', 'jsonl']);
  assert.equal(r.code, EXIT_CODES['missing-external']);
  assert.deepEqual(ids(r.events, 'task-running'), []);
  const skipped = r.events.filter((e) => e.type === 'task-skipped');
  assert.deepEqual(
    skipped.map((e) => e.type === 'task-skipped' && [e.taskId, e.reason, e.blockedBy]),
    [
      ['Missing(name=nowhere)', 'missing-external', undefined],
      ['NeedsMissing()', 'blocked', ['Missing(name=nowhere)']],
    ],
  );
});

test('keep-going: a failure stops only what depends on it; exit code 1', () => {
  const ws = workspace('pipelines');
  const r = runCli(ws, ['run', 'pipeline.ts', 'KeepGoing', '--events', 'jsonl']);
  assert.equal(r.code, EXIT_CODES.failed);
  assert.ok(existsSync(path.join(ws, 'out/link_1.txt')));
  const fin = r.events.at(-1)!;
  assert.ok(fin.type === 'run-finished');
  assert.deepEqual(fin.summary.failed, ['Fails()']);
  assert.deepEqual(fin.summary.blocked, ['KeepGoing()']);
  assert.deepEqual(fin.summary.ran.sort(), ['Link(index=0)', 'Link(index=1)']);
  const failed = r.events.find((e) => e.type === 'task-failed');
  assert.ok(failed?.type === 'task-failed');
  assert.equal(failed.error.message, 'boom from the fixture');
  // The stack is source-mapped into the .ts pipeline.
  assert.equal(failed.error.location?.file, path.join(ws, 'pipeline.ts'));
  const source = readFileSync(path.join(ws, 'pipeline.ts'), 'utf8').split('\n');
  assert.equal(failed.error.location?.line, source.findIndex((l) => l.includes("throw new Error('boom")) + 1);
});

test('a run() that blocks its thread: task-running is already in the events file and on stdout', async () => {
  const ws = workspace('pipelines');
  const eventsFile = path.join(ws, 'events.jsonl');
  const output = path.join(ws, 'out/busy.txt');
  const child = startCli(ws, [
    'run',
    'pipeline.ts',
    'BusyLoop',
    '--events',
    'jsonl',
    '--events-file',
    eventsFile,
  ]);
  const done = finished(child);
  let exited = false;
  void done.then(() => (exited = true));
  let stdoutSoFar = '';
  child.stdout?.on('data', (d: string) => (stdoutSoFar += d));
  const isRunning = (text: string) =>
    text.split('\n').some((l) => l.includes('"type":"task-running"') && l.includes('"taskId":"BusyLoop('));
  // Tail the events file as the editor does (and read stdout) while run() busy-loops for 1.5 s;
  // note whether the task's output already existed when each first showed task-running.
  const seen: { file?: { outputExists: boolean; lines: string[] }; stdout?: { outputExists: boolean } } = {};
  await new Promise<void>((resolve, reject) => {
    const deadline = Date.now() + 20_000;
    const poll = () => {
      const text = existsSync(eventsFile) ? readFileSync(eventsFile, 'utf8') : '';
      if (!seen.file && isRunning(text))
        seen.file = { outputExists: existsSync(output), lines: text.trim().split('\n') };
      if (!seen.stdout && isRunning(stdoutSoFar)) seen.stdout = { outputExists: existsSync(output) };
      if (seen.file && seen.stdout) resolve();
      else if (exited || Date.now() > deadline)
        reject(new Error(`task-running never showed while it ran:\n${text}`));
      else setTimeout(poll, 20);
    };
    poll();
  });
  assert.equal(seen.file?.outputExists, false, 'the events file had task-running before run() finished');
  assert.equal(seen.stdout?.outputExists, false, 'stdout had task-running before run() finished');
  const types = seen.file.lines.map((l) => (JSON.parse(l) as RunEvent).type);
  assert.deepEqual(types.slice(0, 2), ['run-started', 'graph']);
  assert.ok(!types.includes('task-done'));
  const r = await done;
  assert.equal(r.code, 0, r.stderr);
  assert.equal(readFileSync(output, 'utf8'), 'done\n');
});

test('tens of megabytes of events in one burst arrive whole and in order, on stdout and in the file', async () => {
  const ws = workspace('pipelines');
  const eventsFile = path.join(ws, 'events.jsonl');
  const lines = 100_000; // ~25 MB of task-log events: several times the writer's ring buffer
  const child = startCli(ws, [
    'run',
    'pipeline.ts',
    'Chatter',
    '--lines',
    String(lines),
    '--events',
    'jsonl',
    '--events-file',
    eventsFile,
  ]);
  const r = await finished(child);
  assert.equal(r.code, 0, r.stderr);
  const fromFile = readFileSync(eventsFile, 'utf8');
  assert.equal(fromFile, r.stdout);
  assert.equal(r.events.length, r.stdout.split('\n').length - 1);
  r.events.forEach((e, i) => assert.equal(e.seq, i));
  const logs = r.events.flatMap((e) => (e.type === 'task-log' ? [e.line] : []));
  assert.equal(logs.length, lines);
  assert.equal(logs[lines - 1], `line ${lines - 1} ${'·'.repeat(100)}`);
  assert.equal(r.events.at(-1)?.type, 'run-finished');
});

test("a failed task's stack keeps the pipeline's frames and drops the runtime's and Node's", () => {
  const ws = workspace('pipelines');
  const r = runCli(ws, ['run', 'pipeline.ts', 'FailsDeep', '--events', 'jsonl']);
  assert.equal(r.code, EXIT_CODES.failed);
  const failed = r.events.find((e) => e.type === 'task-failed');
  assert.ok(failed?.type === 'task-failed' && failed.error.stack);
  const [head, ...frames] = failed.error.stack.split('\n');
  assert.equal(head, "Error: cannot parse row 'bad'");
  const source = readFileSync(path.join(ws, 'pipeline.ts'), 'utf8').split('\n');
  const lineOf = (text: string) => source.findIndex((l) => l.includes(text)) + 1;
  const file = path.join(ws, 'pipeline.ts');
  // Where it threw, the callback, the Array.map between them, and the async run() that called it.
  const throwLine = lineOf('throw new Error(`cannot parse row');
  const mapLine = lineOf("['ok', 'bad'].map");
  const at = (name: string, line: number) => new RegExp(`^    at ${name} \\(${file}:${line}:\\d+\\)$`);
  assert.equal(frames.length, 4, failed.error.stack);
  assert.match(frames[0]!, at('parseRow', throwLine));
  assert.match(frames[1]!, at('<anonymous>', mapLine));
  assert.equal(frames[2], '    at Array.map (<anonymous>)');
  assert.match(frames[3]!, at('FailsDeep\\.run', mapLine));
  assert.equal(failed.error.location?.file, file);
  assert.equal(failed.error.location?.line, throwLine);
});

test('resume after SIGKILL mid-run: no partial file anywhere, and the rerun runs only what was unfinished', async () => {
  const ws = workspace('pipelines');
  const child = startCli(ws, [
    'run',
    'pipeline.ts',
    'Chain',
    '--length',
    '4',
    '--ms',
    '400',
    '--events',
    'jsonl',
  ]);
  const done = finished(child);
  // Kill while Link(index=1) is between its two chunks: its temp file exists, its output does not.
  await waitForOutput(child, (text) => text.includes('"line":"writing link 1"'));
  child.kill('SIGKILL');
  const killed = await done;
  assert.equal(killed.signal, 'SIGKILL');
  assert.ok(existsSync(path.join(ws, 'out/link_0.txt')));
  assert.ok(!existsSync(path.join(ws, 'out/link_1.txt')));
  assert.ok(
    readdirSync(path.join(ws, 'out')).some((f) => f.endsWith('.plumb-tmp')),
    'the killed write left its temp file',
  );

  const rerun = runCli(ws, ['run', 'pipeline.ts', 'Chain', '--length', '4', '--events', 'jsonl']);
  assert.equal(rerun.code, 0, rerun.stderr);
  assert.deepEqual(ids(rerun.events, 'task-running'), [
    'Link(index=1)',
    'Link(index=2)',
    'Link(index=3)',
    'Chain(length=4)',
  ]);
  assert.deepEqual(allFiles(path.join(ws, 'out')), ['link_0.txt', 'link_1.txt', 'link_2.txt', 'link_3.txt']);
  for (const i of [0, 1, 2, 3]) {
    assert.equal(
      readFileSync(path.join(ws, `out/link_${i}.txt`), 'utf8'),
      `link ${i} first half\nlink ${i} second half\n`,
    );
  }
});

test('the run lock: a second process for the same root fails clearly (exit 4) or waits', async () => {
  const ws = workspace('pipelines');
  const first = startCli(ws, [
    'run',
    'pipeline.ts',
    'Chain',
    '--length',
    '2',
    '--ms',
    '3000',
    '--events',
    'jsonl',
  ]);
  const firstDone = finished(first);
  await waitForOutput(first, (t) => t.includes('"type":"task-running"'));
  const refused = runCli(ws, ['run', 'pipeline.ts', 'Chain', '--length', '2', '--events', 'jsonl']);
  assert.equal(refused.code, EXIT_CODES.locked);
  const fin = refused.events.at(-1)!;
  assert.ok(fin.type === 'run-finished' && fin.outcome === 'locked');
  assert.match(
    fin.message ?? '',
    new RegExp(`another run of Chain\\(length=2\\) is in progress \\(pid ${first.pid}`),
  );
  const waiter = startCli(ws, [
    'run',
    'pipeline.ts',
    'Chain',
    '--length',
    '2',
    '--lock',
    'wait',
    '--events',
    'jsonl',
  ]);
  const waiterDone = finished(waiter);
  // Another root (other parameters) is not locked out.
  const other = runCli(ws, ['run', 'pipeline.ts', 'Typed', '--day', '2026-01-01']);
  assert.equal(other.code, 0, other.stderr);
  const [a, b] = await Promise.all([firstDone, waiterDone]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  assert.match(b.stderr, /waiting/);
  const bStarted = b.events.find((e) => e.type === 'run-started')!;
  const aFinished = a.events.at(-1)!;
  assert.ok(bStarted.time >= aFinished.time, 'the waiting run started after the first finished');
  assert.deepEqual(ids(b.events, 'task-running'), []); // everything was complete by then
});

test('SIGINT cancels: running tasks stop, no partial outputs, run-finished(cancelled), exit 130', async () => {
  const ws = workspace('pipelines');
  const child = startCli(ws, [
    'run',
    'pipeline.ts',
    'Chain',
    '--length',
    '3',
    '--ms',
    '5000',
    '--events',
    'jsonl',
  ]);
  const done = finished(child);
  await waitForOutput(child, (t) => t.includes('"line":"writing link 0"'));
  child.kill('SIGINT');
  const r = await done;
  assert.equal(r.code, EXIT_CODES.cancelled);
  const fin = r.events.at(-1)!;
  assert.ok(fin.type === 'run-finished' && fin.outcome === 'cancelled');
  assert.deepEqual(fin.summary.cancelled.sort(), [
    'Chain(length=3)',
    'Link(index=0)',
    'Link(index=1)',
    'Link(index=2)',
  ]);
  const skipped = r.events.filter((e) => e.type === 'task-skipped' && e.reason === 'cancelled');
  assert.equal(skipped.length, 4);
  assert.deepEqual(existsSync(path.join(ws, 'out')) ? allFiles(path.join(ws, 'out')) : [], []);
});

test('timeouts stop the task: in process (async) and isolated (a busy loop in a killed child)', () => {
  const ws = workspace('pipelines');
  const hang = runCli(ws, ['run', 'pipeline.ts', 'Hang', '--events', 'jsonl']);
  assert.equal(hang.code, EXIT_CODES.failed);
  const failed = hang.events.find((e) => e.type === 'task-failed');
  assert.ok(failed?.type === 'task-failed' && failed.timedOut === true);
  assert.match(failed.error.message, /timed out after 300 ms/);

  const spin = runCli(ws, ['run', 'pipeline.ts', 'Spin', '--events', 'jsonl']);
  assert.equal(spin.code, EXIT_CODES.failed);
  const log = spin.events.find((e) => e.type === 'task-log');
  assert.ok(log?.type === 'task-log');
  const pid = Number(/spinning in (\d+)/.exec(log.line)?.[1]);
  assert.ok(pid > 0 && pid !== spin.events[0]!.time);
  assert.throws(() => process.kill(pid, 0), /ESRCH/, 'the child process is gone');
  const spinFailed = spin.events.find((e) => e.type === 'task-failed');
  assert.ok(spinFailed?.type === 'task-failed' && spinFailed.timedOut === true);
});

test('isolated tasks run in a child process and report progress and logs', () => {
  const ws = workspace('pipelines');
  const r = runCli(ws, ['run', 'pipeline.ts', 'Isolated', '--word', 'hello', '--events', 'jsonl']);
  assert.equal(r.code, 0, r.stderr);
  const started = r.events[0]!;
  assert.ok(started.type === 'run-started');
  const written = readFileSync(path.join(ws, 'out/isolated_hello.txt'), 'utf8');
  const childPid = Number(/from (\d+)/.exec(written)?.[1]);
  assert.ok(childPid > 0 && childPid !== started.pid);
  assert.ok(r.events.some((e) => e.type === 'task-progress' && e.fraction === 0.5));
  assert.ok(r.events.some((e) => e.type === 'task-running' && e.pid === childPid));
  assert.ok(r.events.some((e) => e.type === 'task-log' && e.line === `child pid ${childPid}`));
});

/* eslint-disable no-control-regex -- terminal escape codes are what this test reads */
test('human output: colours and one live progress line on a terminal, plain lines otherwise, NO_COLOR', () => {
  const ws = workspace('pipelines');
  // A real pseudo-terminal: util-linux `script` runs the CLI with stdout on a pty.
  const onTerminal = (env: Record<string, string | undefined>) => {
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(cli())} run pipeline.ts Chain --length 2`;
    const r = spawnSync('script', ['-qfec', command, '/dev/null'], {
      cwd: ws,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...env },
      timeout: 60_000,
    });
    assert.equal(r.status, 0, r.stderr);
    rmSync(path.join(ws, 'out'), { recursive: true, force: true });
    return r.stdout;
  };
  const coloured = onTerminal({});
  assert.match(coloured, /\x1b\[32m✓\x1b\[39m Link\(index=0\)/, 'a green tick per finished task');
  assert.match(
    coloured,
    /\r\x1b\[2K\x1b\[36m▶\x1b\[39m \d\/3 done · \d running/,
    'the live line redrawn in place',
  );
  assert.match(coloured, /Plumb execution summary/);
  const noColor = onTerminal({ NO_COLOR: '1' });
  assert.doesNotMatch(noColor, /\x1b\[(3\d|1|2|22)m/, 'NO_COLOR: no colour or weight codes');
  assert.match(noColor, /\r\x1b\[2K▶ \d\/3 done/, 'still one live line on a terminal');
  // Not a terminal: plain lines, one per event worth saying, no escape codes at all.
  const piped = runCli(ws, ['run', 'pipeline.ts', 'Chain', '--length', '2'], { NO_COLOR: '' });
  assert.equal(piped.code, 0, piped.stderr);
  assert.doesNotMatch(piped.stdout, /\x1b|\r/);
  assert.match(piped.stdout, /^▶ Link\(index=0\)$/m);
  assert.match(piped.stdout, /^✓ Link\(index=1\) \d+ ms$/m);
});

/* eslint-enable no-control-regex */

/** A transpile cache entry with `from` replaced in its code: the last one (the entry's source comes first). */
function inCachedCode(entry: string, from: string, to: string): string {
  const at = entry.lastIndexOf(from);
  return entry.slice(0, at) + to + entry.slice(at + from.length);
}

test('transpiled pipelines are cached outside the workspace and never served stale', () => {
  const ws = workspace('pipelines');
  const cacheHome = mkdtempSync(path.join(os.tmpdir(), 'plumb-cache-'));
  const env = { XDG_CACHE_HOME: cacheHome };
  const logLines = (r: ReturnType<typeof runCli>) =>
    r.events.flatMap((e) => (e.type === 'task-log' ? [e.line] : []));
  const run = () => runCli(ws, ['run', 'pipeline.ts', 'Chain', '--length', '1', '--events', 'jsonl'], env);
  const first = run();
  assert.equal(first.code, 0, first.stderr);
  assert.deepEqual(logLines(first), ['writing link 0']);
  assert.ok(!existsSync(path.join(ws, '.plumb/cache')), 'nothing cached inside the workspace');
  const [projectDir, ...otherProjects] = readdirSync(path.join(cacheHome, 'plumb/ts'));
  assert.ok(projectDir && otherProjects.length === 0, 'one folder for the one project');
  const cacheDir = path.join(cacheHome, 'plumb/ts', projectDir);
  const [entry, ...others] = readdirSync(cacheDir);
  assert.ok(entry && others.length === 0, 'one entry for the one pipeline file');
  // Prove the next run reads the cache: change the cached code (not the source) and see it run.
  const cached = path.join(cacheDir, entry);
  writeFileSync(cached, inCachedCode(readFileSync(cached, 'utf8'), 'writing link', 'cached link'));
  rmSync(path.join(ws, 'out'), { recursive: true });
  assert.deepEqual(logLines(run()), ['cached link 0']);
  // An edited source is transpiled again, replacing the entry.
  const source = path.join(ws, 'pipeline.ts');
  writeFileSync(source, readFileSync(source, 'utf8').replace('writing link', 'edited link'));
  rmSync(path.join(ws, 'out'), { recursive: true });
  assert.deepEqual(logLines(run()), ['edited link 0']);
  assert.deepEqual(readdirSync(cacheDir), [entry]);
});

test('a repository cannot plant code in the transpile cache: a cache inside the workspace is never read', () => {
  const ws = workspace('pipelines');
  const cacheHome = mkdtempSync(path.join(os.tmpdir(), 'plumb-cache-'));
  const run = (env: Record<string, string>) =>
    runCli(ws, ['run', 'pipeline.ts', 'Chain', '--length', '1', '--events', 'jsonl'], env);
  const first = run({ XDG_CACHE_HOME: cacheHome });
  assert.equal(first.code, 0, first.stderr);
  // A valid entry (the source it holds is the file's), its code changed, put where a workspace can
  // write: the old in-workspace location, under the exact name plumb used to read.
  const [projectDir] = readdirSync(path.join(cacheHome, 'plumb/ts'));
  const cacheDir = path.join(cacheHome, 'plumb/ts', projectDir!);
  const [entry] = readdirSync(cacheDir);
  const planted = inCachedCode(
    readFileSync(path.join(cacheDir, entry!), 'utf8'),
    'writing link',
    'planted code',
  );
  mkdirSync(path.join(ws, '.plumb/cache/ts'), { recursive: true });
  writeFileSync(path.join(ws, '.plumb/cache/ts', entry!), planted);
  rmSync(path.join(ws, 'out'), { recursive: true });
  const r = run({ XDG_CACHE_HOME: mkdtempSync(path.join(os.tmpdir(), 'plumb-cache-')) });
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /planted code/, 'the planted code never ran');
  assert.match(r.stdout, /writing link 0/);
});

test('plumb list, graph and help', () => {
  const ws = workspace('pipelines');
  rmSync(path.join(ws, 'out'), { recursive: true, force: true });
  const list = runCli(ws, ['list', 'pipeline.ts', '--json']);
  assert.equal(list.code, 0, list.stderr);
  const families = JSON.parse(list.stdout) as { family: string; kind: string }[];
  assert.deepEqual(
    families.map((f) => `${f.family}:${f.kind}`),
    [
      'Link:task',
      'Chain:wrapper',
      'Missing:external',
      'NeedsMissing:task',
      'Hang:task',
      'Spin:task',
      'Isolated:task',
      'Fails:task',
      'KeepGoing:wrapper',
      'Typed:task',
      'BusyLoop:task',
      'FailsDeep:task',
      'Chatter:task',
    ],
  );
  const graph = runCli(ws, ['graph', 'pipeline.ts', 'Chain', '--length', '2']);
  const g = JSON.parse(graph.stdout) as { nodes: { id: string }[]; edges: unknown[] };
  assert.deepEqual(
    g.nodes.map((n) => n.id),
    ['Chain(length=2)', 'Link(index=1)', 'Link(index=0)'],
  );
  const dot = runCli(ws, ['graph', 'pipeline.ts', 'Chain', '--format', 'dot']);
  assert.match(dot.stdout, /"Link\(index=2\)" -> "Link\(index=1\)";/);
  assert.match(runCli(ws, ['run', '--help']).stdout, /--events jsonl/);
  assert.match(runCli(ws, ['--help']).stdout, /commands:/);
});

test('--events ipc sends the same events as messages to the parent', async () => {
  const ws = workspace('pipelines');
  const { fork } = await import('node:child_process');
  const { cli } = await import('./support/cli');
  const child = fork(cli(), ['run', 'pipeline.ts', 'Chain', '--length', '2', '--events', 'ipc', '--quiet'], {
    cwd: ws,
    execArgv: [],
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
  });
  const events: RunEvent[] = [];
  child.on('message', (m) => events.push(m as RunEvent));
  const code = await new Promise((resolve) => child.on('exit', resolve));
  assert.equal(code, 0);
  assert.equal(events[0]?.type, 'run-started');
  assert.equal(events.at(-1)?.type, 'run-finished');
  assert.deepEqual(
    events.map((e) => e.seq),
    events.map((_, i) => i),
  );
  const log = readFileSync(path.join(ws, '.plumb/runs', `${events[0]!.runId}.jsonl`), 'utf8')
    .trim()
    .split('\n');
  assert.equal(log.length, events.length);
});

test('a broken plumb.toml stops the run before it starts, naming file, line and key', () => {
  const ws = workspace('pipelines');
  writeFileSync(path.join(ws, 'plumb.toml'), '[run]\nworkers = 2\n\n[tasks.Hang]\ntimeout = 5\n');
  const r = runCli(ws, ['run', 'pipeline.ts', 'Chain', '--events', 'jsonl']);
  assert.equal(r.code, EXIT_CODES.error);
  const fin = r.events.at(-1)!;
  assert.ok(fin.type === 'run-finished' && fin.outcome === 'error');
  assert.match(
    fin.message ?? '',
    new RegExp(`^${path.join(ws, 'plumb.toml')}:5: tasks\\.Hang\\.timeout: unknown setting`),
  );
});

test('several roots in one run: parameters follow their task, one summary and exit code, a lock per root', () => {
  const ws = workspace('pipelines');
  const r = runCli(ws, [
    'run',
    'pipeline.ts',
    'Link',
    '--index',
    '1',
    'Typed',
    '--day',
    '2026-01-02',
    '--events',
    'jsonl',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const started = r.events[0]!;
  assert.ok(started.type === 'run-started');
  const roots = started.roots ?? [];
  assert.equal(roots[0], 'Link(index=1)');
  assert.match(roots[1] ?? '', /^Typed\(day=2026-01-02/);
  assert.equal(roots.length, 2);
  assert.ok(existsSync(path.join(ws, 'out/link_1.txt')) && existsSync(path.join(ws, 'out/link_0.txt')));
  assert.ok(readdirSync(path.join(ws, 'out')).some((f) => f.startsWith('typed_2026-01-02')));
  const graph = runCli(ws, ['graph', 'pipeline.ts', 'Link', '--index', '1', 'Chain', '--length', '1']);
  assert.equal(graph.code, 0, graph.stderr);
  assert.deepEqual((JSON.parse(graph.stdout) as { roots: string[] }).roots, [
    'Link(index=1)',
    'Chain(length=1)',
  ]);
  // One root failing decides the one exit code; the other still ran.
  const mixed = runCli(ws, ['run', 'pipeline.ts', 'Link', '--index', '3', 'Fails', '--events', 'jsonl']);
  assert.equal(mixed.code, EXIT_CODES.failed);
  assert.ok(existsSync(path.join(ws, 'out/link_3.txt')));
  // Each root takes its own lock: a run holding the second one refuses the whole invocation.
  const holder = startCli(ws, ['run', 'pipeline.ts', 'Link', '--index', '9', '--ms', '3000']);
  const until = Date.now() + 15_000;
  while (
    !readdirSync(path.join(ws, '.plumb')).includes('locks') ||
    readdirSync(path.join(ws, '.plumb/locks')).length === 0
  ) {
    if (Date.now() > until) assert.fail('the first run never took its lock');
    spawnSync('sleep', ['0.1']);
  }
  const locked = runCli(ws, ['run', 'pipeline.ts', 'Link', '--index', '4', 'Link', '--index', '9']);
  holder.kill('SIGKILL');
  assert.equal(locked.code, EXIT_CODES.locked, locked.stderr);
  assert.match(locked.stderr, /another run of Link\(index=9\) is in progress/);
});

test('nothing typed is dropped: repeats, strays, unknown options and names are errors with a did-you-mean', () => {
  const ws = workspace('pipelines');
  const expectError = (args: string[], pattern: RegExp) => {
    const r = runCli(ws, args);
    assert.equal(r.code, EXIT_CODES.error, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, pattern, args.join(' '));
  };
  expectError(
    ['run', 'pipeline.ts', 'Chain', '--workers', '2', '--workers', '3'],
    /--workers is given twice/,
  );
  expectError(['run', 'pipeline.ts', 'Chain', '--length', '2', '--length', '3'], /--length is given twice/);
  expectError(
    ['run', 'pipeline.ts', 'Chain', '--worker', '2'],
    /'worker' is not a parameter of Chain \(did you mean --workers\?\)/,
  );
  expectError(
    ['run', 'pipeline.ts', 'Typed', '--dya', '2026-01-01'],
    /'dya' is not a parameter of Typed \(did you mean --day\?\)/,
  );
  expectError(
    ['run', 'pipeline.ts', 'Chian'],
    /Chian is not a task exported by pipeline.ts \(did you mean Chain\?\)/,
  );
  expectError(['run', 'pipeline.ts', 'Typed', '--day'], /Typed: parameter 'day' \(--day\) missing value/);
  // graph's --format is a task parameter under run (a task may have one): Chain has none, so it says so.
  expectError(
    ['run', 'pipeline.ts', 'Chain', '--format', 'dot'],
    /parameter 'format' is not a parameter of Chain \(it takes --length, --ms\)/,
  );
  expectError(['list', 'pipeline.ts', 'Chain'], /unexpected argument 'Chain'/);
  expectError(['graph', 'pipeline.ts', 'Chain', '--json'], /--json is not an option of plumb graph/);
  // Every command plumb's own help lists (worker and queue through plumb-cluster) says its exit codes.
  const commands = [...runCli(ws, ['--help']).stdout.matchAll(/^ {2}([a-z]+) /gm)].map((m) => m[1]!);
  assert.ok(commands.length >= 10, `commands in plumb --help: ${commands.join(', ')}`);
  for (const command of commands) {
    const help = runCli(ws, [command, '--help']);
    assert.equal(help.code, 0, `${command} --help: ${help.stderr}`);
    assert.match(help.stdout, /exit codes: 0 /, `${command} --help`);
  }
  assert.match(runCli(ws, ['run', '--help']).stdout, /it belongs to the task named before it/);
});

test("plumb's own crash is exit 70 with a run-finished(crashed), not a usage error's 2", () => {
  const ws = workspace('pipelines');
  // The run log cannot be created: no task is to blame, and nothing the user typed is wrong.
  mkdirSync(path.join(ws, '.plumb'), { recursive: true });
  writeFileSync(path.join(ws, '.plumb/runs'), 'not a directory');
  const r = runCli(ws, ['run', 'pipeline.ts', 'Chain', '--events', 'jsonl']);
  assert.equal(r.code, EXIT_CODES.crashed, r.stderr);
  assert.equal(EXIT_CODES.crashed, 70);
  const fin = r.events.at(-1)!;
  assert.ok(fin.type === 'run-finished' && fin.outcome === 'crashed' && fin.exitCode === 70);
  assert.ok(Array.isArray(fin.summary.ran), 'with a summary');
  assert.match(fin.message ?? '', /EEXIST.*\.plumb\/runs/);
  // A usage error stays 2; a root whose constructor throws is a broken pipeline (5).
  assert.equal(runCli(ws, ['run', 'pipeline.ts', 'Nope']).code, EXIT_CODES.error);
  const broken = runCli(ws, ['run', 'broken-constructor.ts', 'BadConstructor']);
  assert.equal(broken.code, EXIT_CODES['pipeline-error'], broken.stderr);
  assert.match(broken.stderr, /BadConstructor: its constructor threw: Error: no constructor for you/);
});

test('plumb.toml families and parameters are checked once the pipeline is loaded, before anything runs', () => {
  const ws = workspace('pipelines');
  const toml = path.join(ws, 'plumb.toml');
  writeFileSync(toml, '[run]\nworkers = 2\n\n[params.Chain]\nlenght = 3\n');
  const typo = runCli(ws, ['run', 'pipeline.ts', 'Chain', '--events', 'jsonl']);
  assert.equal(typo.code, EXIT_CODES.error);
  const fin = typo.events.at(-1)!;
  assert.ok(fin.type === 'run-finished' && fin.outcome === 'error');
  assert.equal(
    fin.message,
    `${toml}:5: params.Chain.lenght: not a parameter of Chain (did you mean length?) (it takes length, ms)`,
  );
  assert.deepEqual(ids(typo.events, 'task-running'), []);
  writeFileSync(toml, '[params.Chian]\nlength = 3\n');
  assert.match(
    runCli(ws, ['run', 'pipeline.ts', 'Link', '--index', '0']).stderr,
    /plumb.toml:1: params.Chian: no task family Chian in the project \(did you mean Chain\?\)/,
  );
  // One plumb.toml serves every pipeline file: another file's family is no typo.
  writeFileSync(toml, '[params.Chain]\nlength = 3\n');
  const other = runCli(ws, ['run', 'directories.ts', 'Partitions']);
  assert.equal(other.code, 0, other.stderr);
  writeFileSync(toml, '[params.Chain]\n\nlength = "three"\n');
  assert.match(runCli(ws, ['run', 'pipeline.ts', 'Chain']).stderr, /plumb.toml:3: params\.Chain\.length: /);
});

test("a pipeline that does not load: its file:line:column and a code frame, none of the runtime's frames", () => {
  const ws = workspace('load-errors');
  const syntax = runCli(ws, ['run', 'syntax-error.ts', 'Broken']);
  assert.equal(syntax.code, EXIT_CODES.error, syntax.stderr);
  assert.match(syntax.stderr, /syntax-error\.ts:6:19: SyntaxError: Unexpected "="/);
  assert.match(syntax.stderr, /> 6 \| {5}const total = = 1;\n\s+\| {19}\^/);
  const thrown = runCli(ws, ['run', 'throws-at-import.ts', 'UsesSettings', '--events', 'jsonl']);
  assert.equal(thrown.code, EXIT_CODES.error, thrown.stderr);
  const fin = thrown.events.at(-1)!;
  assert.ok(fin.type === 'run-finished' && fin.outcome === 'error');
  const message = fin.message ?? '';
  assert.match(message, /helper\.ts:4:9: Error: settings\.json is missing/);
  assert.match(message, /> 4 \| {3}throw new Error\('settings\.json is missing'\);\n\s+\| {9}\^/);
  assert.match(message, /throws-at-import\.ts:3:/, "the importing line is among the user's frames");
  // Nothing of the CLI bundle, esbuild or Node's module loader.
  assert.doesNotMatch(message, /node:internal|cli\.js|esbuild|Module\._compile/);
});

test('a directory output is atomic: killed half way it is absent, not complete; the rerun sweeps and writes it whole', async () => {
  const ws = workspace('pipelines');
  const child = startCli(ws, ['run', 'directories.ts', 'Partitions', '--ms', '5000', '--events', 'jsonl']);
  const done = finished(child);
  await waitForOutput(child, (t) => t.includes('wrote part 0'));
  child.kill('SIGKILL');
  await done;
  const out = path.join(ws, 'out');
  assert.ok(!existsSync(path.join(out, 'partitions')), 'no partial directory at the output path');
  const temps = readdirSync(out).filter((n) => n.endsWith('.plumb-tmp'));
  assert.equal(temps.length, 1, 'the half-written directory is only a temp directory');
  const rerun = runCli(ws, ['run', 'directories.ts', 'Partitions', '--events', 'jsonl']);
  assert.equal(rerun.code, 0, rerun.stderr);
  assert.deepEqual(ids(rerun.events, 'task-done'), ['Partitions()']);
  assert.deepEqual(readdirSync(out), ['partitions'], 'the dead run’s temp directory was swept');
  assert.deepEqual(readdirSync(path.join(out, 'partitions')), ['part-0.txt', 'part-1.txt', 'part-2.txt']);
});

test('run logs are trimmed to [run] keep_run_logs at the end of each run, keeping the current one', () => {
  const ws = workspace('pipelines');
  writeFileSync(path.join(ws, 'plumb.toml'), '[run]\nkeep_run_logs = 3\n');
  const runs = path.join(ws, '.plumb/runs');
  mkdirSync(runs, { recursive: true });
  const old = ['20200101T000000000Z-aaaa', '20200102T000000000Z-bbbb', '20200103T000000000Z-cccc'];
  for (const id of old) writeFileSync(path.join(runs, `${id}.jsonl`), '{}\n');
  const r = runCli(ws, ['run', 'pipeline.ts', 'Link', '--index', '0', '--events', 'jsonl']);
  assert.equal(r.code, 0, r.stderr);
  const current = `${r.events[0]!.runId}.jsonl`;
  assert.deepEqual(readdirSync(runs).sort(), [`${old[1]}.jsonl`, `${old[2]}.jsonl`, current].sort());
  assert.equal(readFileSync(path.join(runs, current), 'utf8'), r.stdout, 'the current log is whole');
  // A limit of one leaves only the current run's log.
  writeFileSync(path.join(ws, 'plumb.toml'), '[run]\nkeep_run_logs = 1\n');
  const again = runCli(ws, ['run', 'pipeline.ts', 'Link', '--index', '0', '--events', 'jsonl']);
  assert.deepEqual(readdirSync(runs), [`${again.events[0]!.runId}.jsonl`]);
});
