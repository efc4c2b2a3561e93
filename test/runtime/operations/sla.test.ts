// SLAs against the real CLI with the clock injected (PLUMB_NOW, --scheduled-at): a deadline that
// passes while a task runs, a run that starts after its deadlines, a task in time, a schedule's SLA
// handed to the runs it fires, the sla-miss alert on a loopback webhook, and plumb history.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parseEventLine, type RunEvent, type SlaMissedEvent } from '../../../runtime/src/events';
import { deadlineOf, durationMs, parseSlaFlag, readSla } from '../../../runtime/src/operations/sla';
import { finished, runCli, startCli, workspace } from '../support/cli';

const NOW = '2026-11-27T05:00:00.000Z';
const at = (iso: string) => Date.parse(iso);
const misses = (events: RunEvent[]) => events.filter((e): e is SlaMissedEvent => e.type === 'sla-missed');

test('deadlines: the first time of day at or after the scheduled start in its zone, or a duration after it', () => {
  // 06:00 in Berlin is 05:00Z in winter: a fire at 02:00Z is due by 05:00Z the same day…
  assert.equal(
    deadlineOf({ deadline: '06:00', timeZone: 'Europe/Berlin' }, at('2026-11-27T02:00:00Z')),
    at('2026-11-27T05:00:00Z'),
  );
  // …a fire after 06:00 by the next morning's; in summer 06:00 is 04:00Z.
  assert.equal(
    deadlineOf({ deadline: '06:00', timeZone: 'Europe/Berlin' }, at('2026-11-27T05:30:00Z')),
    at('2026-11-28T05:00:00Z'),
  );
  assert.equal(
    deadlineOf({ deadline: '06:00', timeZone: 'Europe/Berlin' }, at('2026-07-01T00:00:00Z')),
    at('2026-07-01T04:00:00Z'),
  );
  assert.equal(deadlineOf({ deadline: '06:00' }, at('2026-11-27T06:00:00Z')), at('2026-11-27T06:00:00Z'));
  assert.equal(deadlineOf({ within: '1h30m' }, at(NOW)), at(NOW) + 90 * 60_000);
  assert.equal(durationMs('1d2h'), 26 * 3_600_000);
  assert.deepEqual(parseSlaFlag('06:00@Europe/Berlin'), { deadline: '06:00', timeZone: 'Europe/Berlin' });
  assert.deepEqual(parseSlaFlag('2h'), { within: '2h' });
  assert.match(readSla({ deadline: '6am' }) as string, /deadline must be a time of day "HH:MM"/);
  assert.match(readSla({ within: '2 hours' }) as string, /within must be a duration such as "90m"/);
  assert.match(readSla({ deadline: '06:00', timezone: 'Europe/Berln' }) as string, /IANA zone/);
  assert.match(readSla({ deadline: '06:00', within: '1h' }) as string, /not both/);
});

async function hookServer() {
  const bodies: unknown[] = [];
  const srv = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      bodies.push(JSON.parse(text));
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}/hook/secret-token`;
  return { url, bodies, close: () => srv.close() };
}

test('a deadline that passes while the task runs: one sla-missed (running), an sla-miss alert, none for a task in time', async () => {
  const hook = await hookServer();
  const dir = workspace('sla');
  writeFileSync(
    path.join(dir, 'plumb.toml'),
    `[alerts]\nwebhooks = [{ url = "${hook.url}", format = "json" }]\n`,
  );
  // SlowLoad's SLA is within 1h: scheduled 1h minus 400 ms before now, its deadline is 400 ms into
  // the run, while it sleeps 1.5 s; QuickLoad (within 2h) is done long before its deadline.
  const scheduledAt = new Date(at(NOW) - 3_600_000 + 400).toISOString();
  const r = await finished(
    startCli(dir, ['run', 'pipeline.ts', 'Report', '--scheduled-at', scheduledAt, '--events', 'jsonl'], {
      PLUMB_NOW: NOW,
    }),
  );
  assert.equal(r.code, 0, r.stderr);
  const missed = misses(r.events);
  assert.equal(missed.length, 1, JSON.stringify(missed));
  const m = missed[0]!;
  assert.equal(m.scope, 'task');
  assert.equal(m.taskId, 'SlowLoad()');
  assert.deepEqual(m.sla, { within: '1h' });
  assert.equal(m.scheduledAt, at(scheduledAt));
  assert.equal(m.deadline, at(NOW) + 400);
  // Running, unless a loaded machine was still discovering the graph 400 ms in.
  assert.match(m.status, /^(running|pending)$/);
  assert.ok(m.detectedAt >= m.deadline);
  const types = r.events.map((e) => e.type);
  const slowDone = r.events.findIndex((e) => e.type === 'task-done' && e.taskId === 'SlowLoad()');
  assert.ok(types.indexOf('sla-missed') < slowDone, 'emitted while the task ran');
  const alert = r.events.find((e) => e.type === 'alert');
  assert.ok(alert && alert.type === 'alert');
  assert.equal(alert.kind, 'sla-miss');
  assert.equal(alert.delivered, true);
  assert.equal(alert.url, `${new URL(hook.url).origin}/…`, 'the webhook path (its token) is never logged');
  assert.equal(types.at(-1), 'run-finished');
  assert.equal(hook.bodies.length, 1);
  const body = hook.bodies[0] as {
    type: string;
    misses: { taskId: string; deadline: string; status: string }[];
  };
  assert.equal(body.type, 'sla-missed');
  assert.deepEqual(
    body.misses.map((x) => [x.taskId, x.deadline, x.status]),
    [['SlowLoad()', new Date(at(NOW) + 400).toISOString(), m.status]],
  );
  hook.close();

  // Kept in the run history: plumb history says so, and --json has the misses.
  const h = runCli(dir, ['history']);
  assert.match(h.stdout, /SLA missed: SlowLoad\(\)/);
  const json = JSON.parse(runCli(dir, ['history', '--json']).stdout) as {
    runs: { slaMisses?: { taskId: string; status: string }[] }[];
  };
  assert.deepEqual(
    json.runs[0]!.slaMisses?.map((x) => [x.taskId, x.status]),
    [['SlowLoad()', m.status]],
  );
});

test('a run that starts after its deadlines reports each at once; the run SLA too; complete tasks never miss', async () => {
  const hook = await hookServer();
  const dir = workspace('sla');
  writeFileSync(
    path.join(dir, 'plumb.toml'),
    `[alerts]\nwebhooks = [{ url = "${hook.url}", format = "json" }]\n`,
  );
  const scheduledAt = new Date(at(NOW) - 3 * 3_600_000).toISOString(); // 3 h ago: both SLAs are past
  const args = [
    'run',
    'pipeline.ts',
    'Report',
    '--scheduled-at',
    scheduledAt,
    '--sla',
    '30m',
    '--events',
    'jsonl',
  ];
  const r = await finished(startCli(dir, args, { PLUMB_NOW: NOW, SLOW_MS: '10' }));
  assert.equal(r.code, 0, r.stderr);
  const missed = misses(r.events);
  // Report has no SLA of its own; the run's is 30 minutes after the fire time.
  assert.deepEqual(missed.map((m) => m.taskId ?? 'run').sort(), ['QuickLoad()', 'SlowLoad()', 'run']);
  const run = missed.find((m) => m.scope === 'run')!;
  assert.equal(run.deadline, at(scheduledAt) + 30 * 60_000);
  assert.equal(run.status, 'running');
  // Reported at once, as the docs say: the run's right after run-started, the tasks' as soon as the
  // graph names them, before any task starts, so each stood 'pending' (not 'done': a quick task
  // used to finish before a zero-delay timer reported it).
  const types = r.events.map((e) => e.type);
  assert.equal(types.indexOf('sla-missed'), types.indexOf('run-started') + 1, types.join(' '));
  const firstStart = types.indexOf('task-running');
  for (const m of missed.filter((x) => x.scope === 'task')) {
    assert.equal(m.status, 'pending', JSON.stringify(m));
    assert.ok(r.events.indexOf(m) < firstStart, `${m.taskId}: reported before any task started`);
    assert.ok(
      r.events.indexOf(m) > r.events.findIndex((e) => e.type === 'graph'),
      'after the graph event that names it',
    );
  }
  // Each miss is alerted once: the run's when it started, the two tasks' in one message (seen together).
  hook.close();
  const sent = hook.bodies as { type: string; misses: { taskId?: string; status: string }[] }[];
  assert.deepEqual(
    sent.map((b) => [b.type, b.misses.map((m) => `${m.taskId ?? 'run'} ${m.status}`).sort()]).sort(),
    [
      ['sla-missed', ['QuickLoad() pending', 'SlowLoad() pending']],
      ['sla-missed', ['run running']],
    ],
  );
  // (Each delivery is recorded when it ends: the two may end in either order.)
  const alerts = r.events.flatMap((e) =>
    e.type === 'alert' ? [`${e.kind} ${e.delivered} ${e.taskIds.sort().join(',')}`] : [],
  );
  assert.deepEqual(alerts.sort(), ['sla-miss true ', 'sla-miss true QuickLoad(),SlowLoad()']);
  writeFileSync(path.join(dir, 'plumb.toml'), '');

  // Everything is complete now: a second run, as late, has nothing to miss but the run's own SLA.
  const again = runCli(dir, args, { PLUMB_NOW: NOW });
  assert.deepEqual(
    misses(again.events).map((m) => m.scope),
    ['run'],
  );
  // In time: scheduled now, no miss at all.
  const inTime = runCli(dir, ['run', 'pipeline.ts', 'Report', '--sla', '2h', '--events', 'jsonl'], {
    PLUMB_NOW: NOW,
  });
  assert.deepEqual(misses(inTime.events), []);
});

test('plumb.toml: [tasks.<Family>] sla wins over the class; a schedule hands its sla and fire time to its runs', () => {
  const dir = workspace('sla');
  writeFileSync(
    path.join(dir, 'plumb.toml'),
    [
      '[tasks.QuickLoad]',
      'sla = { deadline = "05:30", timezone = "UTC" }',
      '',
      '[[schedules]]',
      'name = "nightly"',
      'cron = "0 2 * * *"',
      'pipeline = "pipeline.ts"',
      'task = "QuickLoad"',
      'sla = { deadline = "04:00" }',
      '',
    ].join('\n'),
  );
  const list = runCli(dir, ['schedule', '--list', '--json', '--now', '2026-11-26T12:00:00Z']);
  assert.equal(list.code, 0, list.stderr);
  assert.deepEqual((JSON.parse(list.stdout) as { schedules: { sla: unknown }[] }).schedules[0]!.sla, {
    deadline: '04:00',
    timeZone: 'UTC',
  });
  assert.match(
    runCli(dir, ['schedule', '--list', '--now', '2026-11-26T12:00:00Z']).stdout,
    /nightly {2}QuickLoad \(pipeline\.ts\) {2}cron "0 2 \* \* \*" UTC\n {2}sla: done by 04:00 UTC \(the schedule’s own\)\n/,
  );
  assert.equal(runCli(dir, ['schedule', '--once', '--now', '2026-11-26T12:00:00Z']).code, 0);
  // At 06:00 the 02:00 fire is caught up: the run's deadline (04:00) and QuickLoad's (05:30) are past.
  const fired = runCli(dir, ['schedule', '--once', '--now', '2026-11-27T06:00:00Z']);
  assert.equal(fired.code, 0, fired.stdout + fired.stderr);
  const logs = readdirSync(path.join(dir, '.plumb', 'runs'));
  assert.equal(logs.length, 1);
  const events = readFileSync(path.join(dir, '.plumb', 'runs', logs[0]!), 'utf8')
    .split('\n')
    .flatMap((l) => parseEventLine(l) ?? []);
  const missed = misses(events);
  assert.deepEqual(
    missed.map((m) => [m.scope, m.taskId ?? '', m.schedule, new Date(m.deadline).toISOString()]),
    [
      ['run', '', 'nightly', '2026-11-27T04:00:00.000Z'],
      ['task', 'QuickLoad()', 'nightly', '2026-11-27T05:30:00.000Z'],
    ],
  );
  assert.equal(missed[0]!.scheduledAt, at('2026-11-27T02:00:00Z'));

  writeFileSync(path.join(dir, 'plumb.toml'), '[tasks.QuickLoad]\nsla = { within = "2 hours" }\n');
  const bad = runCli(dir, ['run', 'pipeline.ts', 'QuickLoad']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /plumb\.toml:2: tasks\.QuickLoad\.sla: within must be a duration such as "90m"/);
  writeFileSync(path.join(dir, 'plumb.toml'), '');
  const badFlag = runCli(dir, ['run', 'pipeline.ts', 'QuickLoad', '--sla', 'soon']);
  assert.equal(badFlag.code, 2);
  assert.match(badFlag.stderr, /--sla takes a time of day/);
});

test('plumb.toml [run] sla is every run’s SLA; --sla (a schedule’s sla) wins; a bad one stops the run', () => {
  const dir = workspace('sla');
  writeFileSync(path.join(dir, 'plumb.toml'), '[run]\nsla = { within = "30m" }\n');
  const scheduledAt = new Date(at(NOW) - 3_600_000).toISOString(); // an hour ago: 30 minutes are past
  const late = runCli(
    dir,
    ['run', 'pipeline.ts', 'QuickLoad', '--scheduled-at', scheduledAt, '--events', 'jsonl'],
    {
      PLUMB_NOW: NOW,
    },
  );
  assert.equal(late.code, 0, late.stderr);
  const [run, ...rest] = misses(late.events);
  assert.deepEqual(rest, []);
  assert.equal(run?.scope, 'run');
  assert.deepEqual(run.sla, { within: '30m' });
  assert.equal(run.deadline, at(scheduledAt) + 30 * 60_000);
  // --sla is the run's own (what plumb schedule passes for a schedule's sla): plumb.toml's gives way.
  const own = runCli(
    dir,
    ['run', 'pipeline.ts', 'QuickLoad', '--scheduled-at', scheduledAt, '--sla', '2h', '--events', 'jsonl'],
    { PLUMB_NOW: NOW },
  );
  assert.deepEqual(misses(own.events), []);
  // A deadline in a zone, as the other SLA tables take it: 05:30 in Berlin is 04:30Z.
  writeFileSync(
    path.join(dir, 'plumb.toml'),
    '[run]\nsla = { deadline = "05:30", timezone = "Europe/Berlin" }\n',
  );
  const zoned = runCli(
    dir,
    ['run', 'pipeline.ts', 'QuickLoad', '--scheduled-at', '2026-11-27T04:00:00Z', '--events', 'jsonl'],
    { PLUMB_NOW: NOW },
  );
  assert.deepEqual(
    misses(zoned.events).map((m) => [m.scope, m.sla, new Date(m.deadline).toISOString()]),
    [['run', { deadline: '05:30', timeZone: 'Europe/Berlin' }, '2026-11-27T04:30:00.000Z']],
  );
  writeFileSync(path.join(dir, 'plumb.toml'), '[run]\nworkers = 2\nsla = { within = "soon" }\n');
  const bad = runCli(dir, ['run', 'pipeline.ts', 'QuickLoad']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /plumb\.toml:3: run\.sla: within must be a duration such as "90m"/);
});

test('plumb schedule --list shows the SLA each schedule’s runs get: its own, else plumb.toml’s [run] sla', () => {
  const dir = workspace('sla');
  writeFileSync(
    path.join(dir, 'plumb.toml'),
    [
      '[run]',
      'sla = { within = "3h" }',
      '',
      '[[schedules]]',
      'name = "nightly"',
      'cron = "0 2 * * *"',
      'pipeline = "pipeline.ts"',
      'task = "QuickLoad"',
      '',
      '[[schedules]]',
      'name = "morning"',
      'cron = "0 5 * * *"',
      'timezone = "Europe/Berlin"',
      'pipeline = "pipeline.ts"',
      'task = "QuickLoad"',
      'sla = { deadline = "07:00" }',
      '',
    ].join('\n'),
  );
  const list = runCli(dir, ['schedule', '--list', '--json', '--now', '2026-11-26T12:00:00Z']);
  assert.equal(list.code, 0, list.stderr);
  const rows = (
    JSON.parse(list.stdout) as { schedules: { schedule: string; sla?: unknown; slaFrom?: string }[] }
  ).schedules;
  assert.deepEqual(
    rows.map((r) => [r.schedule, r.sla, r.slaFrom]),
    [
      ['nightly', { within: '3h' }, 'run'],
      ['morning', { deadline: '07:00', timeZone: 'Europe/Berlin' }, 'schedule'],
    ],
  );
  const text = runCli(dir, ['schedule', '--list', '--now', '2026-11-26T12:00:00Z']).stdout;
  assert.match(text, /nightly {2}QuickLoad .*\n {2}sla: done within 3h \(plumb\.toml \[run\] sla\)\n/);
  assert.match(
    text,
    /morning {2}QuickLoad .*\n {2}sla: done by 07:00 Europe\/Berlin \(the schedule’s own\)\n/,
  );
  // No SLA anywhere: none listed.
  writeFileSync(
    path.join(dir, 'plumb.toml'),
    '[[schedules]]\nname = "nightly"\ncron = "0 2 * * *"\npipeline = "pipeline.ts"\ntask = "QuickLoad"\n',
  );
  assert.doesNotMatch(runCli(dir, ['schedule', '--list', '--now', '2026-11-26T12:00:00Z']).stdout, /sla/);
});
