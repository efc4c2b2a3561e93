// The pool of warm processes isolated attempts run in, through the real CLI: members are reused
// and put back as they were found, replaced after a bad ending, recycled after N attempts or past a
// memory ceiling, and nothing they ran outlives the run.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { EXIT_CODES, parseEventLine, type RunEvent } from '../../runtime/src/events';
import { cli, finished, runCli, startCli, waitForOutput, workspace } from './support/cli';
import { assertGone } from './support/processes';

interface Probe {
  index: number;
  pid: number;
  env: string;
  cwd: string;
  taskId: string;
}

function probes(events: RunEvent[]): Probe[] {
  return events.flatMap((e) => {
    const m = e.type === 'task-log' ? /^probe (\d+) pid=(\d+) env=(\S+) cwd=(.*)$/.exec(e.line) : null;
    return m && e.type === 'task-log'
      ? [{ index: Number(m[1]), pid: Number(m[2]), env: m[3]!, cwd: m[4]!, taskId: e.taskId }]
      : [];
  });
}

const repo = path.resolve(__dirname, '../..');

const memberPids = (events: RunEvent[]) =>
  events.flatMap((e) => (e.type === 'task-running' && e.pid ? [e.pid] : []));

test('a member is reused across tasks, and each finds cwd, environment and exit code as the run set them', () => {
  const ws = workspace('processes');
  const r = runCli(ws, ['run', 'pool.ts', 'Probes', '--workers', '1', '--events', 'jsonl']);
  assert.equal(r.code, 0, r.stderr);
  const seen = probes(r.events);
  assert.equal(seen.length, 6);
  assert.equal(new Set(seen.map((p) => p.pid)).size, 1, 'one warm process ran all six');
  const first = r.events[0]!;
  assert.ok(first.type === 'run-started' && seen[0]!.pid !== first.pid, 'not in the run’s own process');
  for (const p of seen) {
    assert.equal(p.env, '-', `probe ${p.index} saw the previous task's environment`);
    assert.equal(p.cwd, seen[0]!.cwd, `probe ${p.index} ran in the previous task's cwd`);
  }
  // Output printed straight to stdout, even an unfinished line, belongs to the task that printed it.
  for (const p of seen) {
    const raw = r.events.find((e) => e.type === 'task-log' && e.line === `raw ${p.index}`);
    assert.ok(
      raw?.type === 'task-log' && raw.taskId === p.taskId,
      `raw ${p.index} on ${raw?.type === 'task-log' ? raw.taskId : '-'}`,
    );
  }
  assertGone(memberPids(r.events));
});

test('the pool follows --workers: never more members than attempts at once', () => {
  const ws = workspace('processes');
  const r = runCli(ws, ['run', 'processes.ts', 'Burst', '--n', '60', '--workers', '3', '--events', 'jsonl']);
  assert.equal(r.code, 0, r.stderr);
  const pids = memberPids(r.events);
  assert.equal(pids.length, 60);
  assert.ok(new Set(pids).size <= 3, `${new Set(pids).size} members`);
  for (let i = 0; i < 60; i++) {
    assert.match(
      readFileSync(path.join(ws, `out/burst_${i}.txt`), 'utf8'),
      new RegExp(`^part ${i} from \\d+\\n$`),
    );
    // Every line a task logged reached the run, on that task.
    const lines = r.events.filter((e) => e.type === 'task-log' && e.line.startsWith(`part ${i} line `));
    assert.equal(lines.length, 20, `part ${i}`);
  }
  assertGone(pids);
});

test('a member is recycled after PLUMB_ISOLATE_RECYCLE_AFTER attempts', () => {
  const ws = workspace('processes');
  const r = runCli(ws, ['run', 'pool.ts', 'Probes', '--workers', '1', '--events', 'jsonl'], {
    PLUMB_ISOLATE_RECYCLE_AFTER: '2',
  });
  assert.equal(r.code, 0, r.stderr);
  const pids = memberPids(r.events);
  const counts = [...new Set(pids)].map((pid) => pids.filter((p) => p === pid).length);
  assert.deepEqual(counts, [2, 2, 2]);
  assertGone(pids);
});

test('a member past the memory ceiling (its own RSS, PLUMB_ISOLATE_MAX_RSS_MB) is recycled', () => {
  const ws = workspace('processes');
  const r = runCli(ws, ['run', 'pool.ts', 'Probes', '--workers', '1', '--events', 'jsonl'], {
    PLUMB_ISOLATE_MAX_RSS_MB: '1', // every member is past it after its first attempt
  });
  assert.equal(r.code, 0, r.stderr);
  const pids = memberPids(r.events);
  assert.equal(new Set(pids).size, 6);
  assertGone(pids);
});

for (const [how, message] of [
  ['crash', /ended by SIGKILL without a result/],
  ['exit', /run\(\) called process\.exit\(0\)/],
  ['timeout', /timed out after 3000 ms/],
  ['throw', /thrown on purpose/],
] as const) {
  test(`a task that ends by ${how} fails alone; its member is replaced, never reused, and gone`, () => {
    const ws = workspace('processes');
    const r = runCli(ws, [
      'run',
      'pool.ts',
      'EndsAmongProbes',
      '--how',
      how,
      '--workers',
      '1',
      '--events',
      'jsonl',
    ]);
    assert.equal(r.code, EXIT_CODES.failed, r.stderr);
    const failed = r.events.filter((e) => e.type === 'task-failed');
    assert.equal(failed.length, 1);
    const fail = failed[0]!;
    assert.ok(fail.type === 'task-failed');
    assert.match(fail.error.message, message);
    assert.equal(probes(r.events).length, 4, 'the other tasks all ran');
    for (let i = 0; i < 4; i++) assert.ok(readFileSync(path.join(ws, `out/probe_${i}.txt`), 'utf8'));
    // The member that ran the bad ending ran nothing after it.
    const endsRunning = r.events.find((e) => e.type === 'task-running' && e.taskId === fail.taskId);
    assert.ok(endsRunning?.type === 'task-running' && endsRunning.pid);
    const after = r.events.slice(r.events.indexOf(endsRunning) + 1);
    assert.ok(!after.some((e) => e.type === 'task-running' && e.pid === endsRunning.pid));
    assertGone(memberPids(r.events));
  });
}

test('a cancelled run kills its busy members and leaves no process behind', async () => {
  const ws = workspace('processes');
  const child = startCli(ws, ['run', 'pool.ts', 'Sleepers', '--workers', '4', '--events', 'jsonl']);
  const done = finished(child);
  await waitForOutput(child, (out) => (out.match(/sleeper pid=/g) ?? []).length === 4, 60_000);
  child.kill('SIGINT');
  const r = await done;
  assert.equal(r.code, EXIT_CODES.cancelled, r.stderr);
  const pids = memberPids(r.events);
  assert.equal(new Set(pids).size, 4);
  assertGone(pids);
});

test('members start from the light entry beside the CLI (cli-member.js); a CLI without it runs them as plumb __task', () => {
  const ws = workspace('processes');
  const entries = (events: RunEvent[]) =>
    events.flatMap((e) => {
      const m = e.type === 'task-log' ? /^entry \d+ (\S+) pid=\d+$/.exec(e.line) : null;
      return m ? [m[1]!] : [];
    });
  const light = runCli(ws, ['run', 'pool.ts', 'Entries', '--workers', '1', '--events', 'jsonl']);
  assert.equal(light.code, 0, light.stderr);
  assert.deepEqual(entries(light.events), ['cli-member.js', 'cli-member.js']);
  assertGone(memberPids(light.events));
  // The CLI alone (inside the repository, so esbuild still resolves).
  const alone = path.join(repo, 'test-output', `cli-alone-${process.pid}`);
  mkdirSync(alone, { recursive: true });
  try {
    for (const file of ['cli.js', 'cli-main.js'])
      copyFileSync(path.join(path.dirname(cli()), file), path.join(alone, file));
    const r = spawnSync(
      process.execPath,
      [path.join(alone, 'cli.js'), 'run', 'pool.ts', 'Entries', '--workers', '1', '--events', 'jsonl'],
      {
        cwd: workspace('processes'),
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: alone },
        timeout: 60_000,
      },
    );
    assert.equal(r.status, 0, r.stderr);
    const events = r.stdout.split('\n').flatMap((l) => parseEventLine(l) ?? []);
    assert.deepEqual(entries(events), ['cli.js', 'cli.js']);
    assertGone(memberPids(events));
  } finally {
    rmSync(alone, { recursive: true, force: true });
  }
});

test('a member whose attempt left a process running (started by a thread newer than the member’s last check) is retired', () => {
  const ws = workspace('processes');
  const r = runCli(ws, ['run', 'pool.ts', 'LeavesChildren', '--workers', '1', '--events', 'jsonl']);
  assert.equal(r.code, 0, r.stderr);
  const ran = new Map<number, number>();
  let left: number | undefined;
  for (const e of r.events) {
    if (e.type !== 'task-log') continue;
    const m = /^leaves (\d+) pid=(\d+)$/.exec(e.line);
    if (m) ran.set(Number(m[1]), Number(m[2]));
    const l = /^left (\d+)$/.exec(e.line);
    if (l) left = Number(l[1]);
  }
  assert.equal(ran.size, 3);
  assert.ok(left, 'the thread started its process');
  const dirty = ran.get(1)!;
  assert.equal(ran.get(0), dirty, 'the first two ran in one member');
  assert.notEqual(ran.get(2), dirty, 'the member that left a process ran nothing after it');
  assertGone([...memberPids(r.events), left]);
});

test('a member’s replacement starts while it runs its last attempt (PLUMB_ISOLATE_RECYCLE_AFTER)', () => {
  const ws = workspace('processes');
  const r = runCli(ws, ['run', 'pool.ts', 'Origins', '--workers', '1', '--events', 'jsonl'], {
    PLUMB_ISOLATE_RECYCLE_AFTER: '2',
  });
  assert.equal(r.code, 0, r.stderr);
  const started = new Map<number, number>(); // pid → when its process started
  const tasksOf = new Map<number, string[]>();
  for (const e of r.events) {
    const m = e.type === 'task-log' ? /^origin \d+ pid=(\d+) at=(\d+)$/.exec(e.line) : null;
    if (!m || e.type !== 'task-log') continue;
    started.set(Number(m[1]), Number(m[2]));
    tasksOf.set(Number(m[1]), [...(tasksOf.get(Number(m[1])) ?? []), e.taskId]);
  }
  const [first, second] = [...tasksOf.keys()];
  assert.deepEqual(
    [tasksOf.get(first!)?.length, tasksOf.get(second!)?.length],
    [2, 1],
    'two attempts in the first member, the third in its replacement',
  );
  const lastDone = r.events.find((e) => e.type === 'task-done' && e.taskId === tasksOf.get(first!)![1]);
  assert.ok(lastDone?.type === 'task-done');
  assert.ok(
    started.get(second!)! < lastDone.time,
    `the replacement started ${started.get(second!)! - lastDone.time} ms after the last attempt of the first ended`,
  );
  assertGone(memberPids(r.events));
});
