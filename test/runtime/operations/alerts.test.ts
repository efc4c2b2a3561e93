// Alerts against a real HTTP server on loopback: one message per task per run (retries do not
// alert), critical at once and low-priority grouped at the end, recoveries, Slack and JSON
// payloads, [alerts] on, and a webhook that is down (500, refused, silent) costs the run no more
// than the bound and leaves an alert event (delivered: false) in the run log.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { type RunEvent } from '../../../runtime/src/events';
import { RunAlerts } from '../../../runtime/src/operations/alerts';
import { finished, runCli, startCli, workspace } from '../support/cli';

async function server(
  status = 200,
): Promise<{ url: string; bodies: unknown[]; close: () => void; srv: Server }> {
  const bodies: unknown[] = [];
  const srv = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      bodies.push(JSON.parse(text));
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, bodies, close: () => srv.close(), srv };
}

let seq = 0;
const ev = (e: Record<string, unknown>) =>
  ({ v: 2, runId: 'r1', seq: seq++, time: 0, ...e }) as unknown as RunEvent;
const failed = (taskId: string, attempt: number, willRetry: boolean) =>
  ev({
    type: 'task-failed',
    taskId,
    attempt,
    durationMs: 1,
    error: { name: 'Error', message: 'boom' },
    willRetry,
  });

test('a critical failure alerts once, after its retries; low ones are grouped at the end', async () => {
  const slack = await server();
  const json = await server();
  const alerts = new RunAlerts(
    {
      webhooks: [
        { url: slack.url, format: 'slack' },
        { url: json.url, format: 'json' },
      ],
      on: ['failure', 'recovery', 'sla-miss'],
      tries: 3,
      backoffMs: 1,
      timeoutMs: 2000,
    },
    (family) => (family === 'Minor' ? 'low' : 'critical'),
    '/p/.plumb/runs/r1.jsonl',
  );
  alerts.onEvent(ev({ type: 'task-log', taskId: 'Load()', level: 'info', line: 'reading input' }));
  alerts.onEvent(failed('Load()', 1, true));
  await alerts.settle(2000);
  assert.equal(json.bodies.length, 0, 'an attempt that will be retried does not alert');
  alerts.onEvent(failed('Load()', 2, false));
  alerts.onEvent(failed('Minor(a=1)', 1, false));
  alerts.onEvent(failed('Minor(a=2)', 1, false));
  await alerts.settle(2000);
  assert.deepEqual(json.bodies, [
    {
      type: 'task-failed',
      runId: 'r1',
      failures: [
        {
          taskId: 'Load()',
          error: 'boom',
          attempts: 2,
          lastLogLines: ['reading input'],
          runLog: '/p/.plumb/runs/r1.jsonl',
        },
      ],
    },
  ]);
  await alerts.finishRun(2000);
  assert.equal(json.bodies.length, 2);
  assert.deepEqual(
    (json.bodies[1] as { failures: { taskId: string }[] }).failures.map((f) => f.taskId),
    ['Minor(a=1)', 'Minor(a=2)'],
  );
  assert.equal(slack.bodies.length, 2);
  assert.match((slack.bodies[0] as { text: string }).text, /\*Load\(\)\* failed after 2 attempts: boom/);
  slack.close();
  json.close();
});

test('a webhook that is down: bounded retries, a warning, and settle() returns within its bound', async () => {
  const down = await server(503);
  const warnings: string[] = [];
  const alerts = new RunAlerts(
    {
      webhooks: [{ url: down.url, format: 'json' }],
      on: ['failure'],
      tries: 3,
      backoffMs: 1,
      timeoutMs: 2000,
    },
    () => 'critical',
    undefined,
    (line) => warnings.push(line),
  );
  alerts.onEvent(failed('Load()', 1, false));
  await alerts.settle(5000);
  assert.equal(down.bodies.length, 3);
  assert.match(warnings[0]!, /not delivered after 3 tries \(HTTP 503\)/);
  down.close();

  const silent = createServer(() => undefined); // accepts, never answers
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const slow = new RunAlerts(
    {
      webhooks: [{ url: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`, format: 'json' }],
      on: ['failure'],
      tries: 1,
      backoffMs: 1,
      timeoutMs: 60_000,
    },
    () => 'critical',
    undefined,
    () => undefined,
  );
  slow.onEvent(failed('Load()', 1, false));
  const t0 = performance.now();
  await slow.settle(50);
  assert.ok(performance.now() - t0 < 1000);
  silent.closeAllConnections();
  silent.close();
});

test('plumb run with [alerts] posts the final failure of a critical task and of grouped low ones', async () => {
  const hook = await server();
  const dir = workspace('optional');
  writeFileSync(
    path.join(dir, 'plumb.toml'),
    `[alerts]\nwebhooks = [{ url = "${hook.url}", format = "json" }]\ntries = 2\nbackoff_ms = 10\n\n[tasks.Weather]\nseverity = "low"\n`,
  );
  const r = await finished(startCli(dir, ['run', 'pipeline.ts', 'Report', '--events', 'jsonl']));
  assert.equal(r.code, 1, r.stderr);
  assert.equal(hook.bodies.length, 1);
  const body = hook.bodies[0] as {
    runId: string;
    failures: { taskId: string; error: string; runLog: string }[];
  };
  assert.equal(body.runId, r.events[0]!.runId);
  assert.deepEqual(
    body.failures.map((f) => [f.taskId, f.error]),
    [['Weather()', 'weather service down']],
  );
  assert.equal(body.failures[0]!.runLog, path.join(dir, '.plumb', 'runs', `${body.runId}.jsonl`));
  hook.close();
});

type AlertEv = Extract<RunEvent, { type: 'alert' }>;
const alertEvents = (events: RunEvent[]) => events.filter((e): e is AlertEv => e.type === 'alert');

function alertsProject(url: string, extra = ''): string {
  const dir = workspace('sla');
  writeFileSync(
    path.join(dir, 'plumb.toml'),
    `[alerts]\nwebhooks = [{ url = "${url}", format = "json" }]\ntries = 2\nbackoff_ms = 10\n${extra}`,
  );
  return dir;
}

test('recovery: a task that failed in its previous run and succeeds now sends one "recovered" alert', async () => {
  const hook = await server();
  const dir = alertsProject(hook.url);
  mkdirSync(path.join(dir, 'out'));
  writeFileSync(path.join(dir, 'out', 'broken'), '');
  const first = await finished(startCli(dir, ['run', 'pipeline.ts', 'Flaky', '--events', 'jsonl']));
  assert.equal(first.code, 1);
  assert.deepEqual(
    hook.bodies.map((b) => (b as { type: string }).type),
    ['task-failed'],
  );
  // Still failing: a failure again, no recovery.
  const second = await finished(startCli(dir, ['run', 'pipeline.ts', 'Flaky', '--events', 'jsonl']));
  assert.equal(second.code, 1);
  rmSync(path.join(dir, 'out', 'broken'));
  const fixed = await finished(
    startCli(dir, ['run', 'pipeline.ts', 'Flaky', 'Flaky', '--day', 'd2', '--events', 'jsonl']),
  );
  assert.equal(fixed.code, 0, fixed.stderr);
  assert.equal(hook.bodies.length, 3);
  assert.deepEqual(hook.bodies[2], {
    type: 'task-recovered',
    runId: fixed.events[0]!.runId,
    // d2 never failed: only d1 recovered, naming the run it last failed in.
    tasks: [{ taskId: 'Flaky(day=d1)', failedIn: second.events[0]!.runId }],
    runLog: path.join(dir, '.plumb', 'runs', `${fixed.events[0]!.runId}.jsonl`),
  });
  assert.deepEqual(
    alertEvents(fixed.events).map((e) => [e.kind, e.taskIds, e.delivered]),
    [['recovery', ['Flaky(day=d1)'], true]],
  );
  // Once: the next run finds it complete and says nothing.
  const after = await finished(startCli(dir, ['run', 'pipeline.ts', 'Flaky', '--events', 'jsonl']));
  assert.equal(after.code, 0);
  assert.equal(hook.bodies.length, 3);
  hook.close();
});

test('no storms: retries alert once when exhausted, low-priority failures in one message, critical at once', async () => {
  const hook = await server();
  const dir = alertsProject(
    hook.url,
    '\n[tasks.Broken]\nretries = 2\nretry_delay_ms = 0\n\n[tasks.Flaky]\nseverity = "low"\n',
  );
  mkdirSync(path.join(dir, 'out'));
  writeFileSync(path.join(dir, 'out', 'broken'), '');
  const args = ['run', 'pipeline.ts', 'Flaky', 'Broken', 'Flaky', '--day', 'd2', 'Flaky', '--day', 'd3'];
  const r = await finished(startCli(dir, [...args, '--events', 'jsonl']));
  assert.equal(r.code, 1);
  assert.equal(
    r.events.filter((e) => e.type === 'task-failed').length,
    6,
    'three attempts of Broken, three Flaky',
  );
  type Body = { failures: { taskId: string; attempts: number; lastLogLines: string[] }[] };
  assert.equal(hook.bodies.length, 2, JSON.stringify(hook.bodies));
  const [critical, grouped] = hook.bodies as Body[];
  assert.deepEqual(
    critical!.failures.map((f) => [f.taskId, f.attempts]),
    [['Broken()', 3]],
  );
  assert.ok(critical!.failures[0]!.lastLogLines.includes('connecting to the warehouse'));
  assert.deepEqual(
    grouped!.failures.map((f) => f.taskId),
    ['Flaky(day=d1)', 'Flaky(day=d2)', 'Flaky(day=d3)'],
  );
  // The critical one was posted first, at once; the grouped one when the run ended.
  assert.deepEqual(
    alertEvents(r.events).map((e) => [e.kind, e.taskIds.length, e.delivered]),
    [
      ['failure', 1, true],
      ['failure', 3, true],
    ],
  );
  hook.close();
});

test('a webhook that answers 500 or refuses: the run is not failed nor held, the run log says the alert was lost', async () => {
  const down = await server(500);
  const refused = createServer();
  await new Promise<void>((r) => refused.listen(0, '127.0.0.1', r));
  const refusedUrl = `http://127.0.0.1:${(refused.address() as AddressInfo).port}/hook`;
  await new Promise<void>((r) => refused.close(() => r()));
  const dir = workspace('sla');
  writeFileSync(
    path.join(dir, 'plumb.toml'),
    `[alerts]\nwebhooks = [{ url = "${down.url}", format = "json" }, { url = "${refusedUrl}", format = "slack" }]\ntries = 3\nbackoff_ms = 20\n`,
  );
  // A successful run whose SLA is missed (the run started after its deadline): it alerts, and still exits 0.
  const scheduledAt = new Date(Date.parse('2026-11-27T05:00:00Z') - 3 * 3_600_000).toISOString();
  const t0 = performance.now();
  const r = await finished(
    startCli(dir, ['run', 'pipeline.ts', 'QuickLoad', '--scheduled-at', scheduledAt, '--events', 'jsonl'], {
      PLUMB_NOW: '2026-11-27T05:00:00Z',
    }),
  );
  const elapsed = performance.now() - t0;
  assert.equal(r.code, 0, r.stderr);
  assert.ok(elapsed < 15_000, `the run took ${elapsed} ms`);
  assert.equal(down.bodies.length, 3, 'three tries');
  const lost = alertEvents(r.events);
  assert.deepEqual(lost.map((e) => [e.kind, e.format, e.delivered, e.tries]).sort(), [
    ['sla-miss', 'json', false, 3],
    ['sla-miss', 'slack', false, 3],
  ]);
  assert.equal(lost.find((e) => e.format === 'json')!.error, 'HTTP 500');
  assert.match(lost.find((e) => e.format === 'slack')!.error!, /ECONNREFUSED|fetch failed/);
  assert.match(r.stderr, /alert to .* not delivered after 3 tries \(HTTP 500\)/);
  // The same records are in the run log, before its run-finished.
  const logged = readFileSync(path.join(dir, '.plumb', 'runs', `${r.events[0]!.runId}.jsonl`), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as RunEvent);
  assert.equal(logged.filter((e) => e.type === 'alert' && !e.delivered).length, 2);
  assert.equal(logged.at(-1)!.type, 'run-finished');
  down.close();
});

test('a webhook that never answers holds the end of the run no longer than the bound', async () => {
  const silent = createServer(() => undefined);
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const dir = workspace('sla');
  writeFileSync(
    path.join(dir, 'plumb.toml'),
    `[alerts]\nwebhooks = [{ url = "http://127.0.0.1:${(silent.address() as AddressInfo).port}/", format = "json" }]\ntimeout_ms = 60000\n`,
  );
  const t0 = performance.now();
  const r = await finished(startCli(dir, ['run', 'pipeline.ts', 'Broken', '--events', 'jsonl']));
  const elapsed = performance.now() - t0;
  assert.equal(r.code, 1);
  assert.ok(elapsed < 12_000, `the run took ${elapsed} ms`);
  const [lost] = alertEvents(r.events);
  assert.equal(lost?.delivered, false);
  assert.match(lost!.error!, /still being sent when the run ended \(after 3000 ms\)/);
  silent.closeAllConnections();
  silent.close();
});

test("[alerts] on and a webhook's own on choose what each webhook is sent", async () => {
  const failuresOnly = await server();
  const everything = await server();
  const dir = workspace('sla');
  writeFileSync(
    path.join(dir, 'plumb.toml'),
    `[alerts]\non = ["failure", "sla-miss"]\nwebhooks = [{ url = "${failuresOnly.url}", on = ["failure"] }, { url = "${everything.url}" }]\n`,
  );
  const scheduledAt = new Date(Date.parse('2026-11-27T05:00:00Z') - 3 * 3_600_000).toISOString();
  const r = await finished(
    startCli(dir, ['run', 'pipeline.ts', 'QuickLoad', 'Broken', '--scheduled-at', scheduledAt], {
      PLUMB_NOW: '2026-11-27T05:00:00Z',
    }),
  );
  assert.equal(r.code, 1);
  assert.deepEqual(
    failuresOnly.bodies.map((b) => (b as { type: string }).type),
    ['task-failed'],
  );
  assert.deepEqual(everything.bodies.map((b) => (b as { type: string }).type).sort(), [
    'sla-missed',
    'task-failed',
  ]);
  const bad = runCli(dir, ['run', 'pipeline.ts', 'QuickLoad'], {});
  assert.equal(bad.code, 0);
  writeFileSync(path.join(dir, 'plumb.toml'), '[alerts]\non = ["failures"]\n');
  const typo = runCli(dir, ['run', 'pipeline.ts', 'QuickLoad']);
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /alerts\.on: must be a list of "failure", "recovery", "sla-miss"/);
  failuresOnly.close();
  everything.close();
});

test("a class's static severity = 'low' groups its failure like [tasks.<Family>] severity does", async () => {
  const hook = await server();
  const dir = alertsProject(hook.url, '\n[tasks.Flaky]\nseverity = "low"\n');
  mkdirSync(path.join(dir, 'out'));
  writeFileSync(path.join(dir, 'out', 'broken'), '');
  const r = await finished(startCli(dir, ['run', 'pipeline.ts', 'Minor', 'Flaky']));
  assert.equal(r.code, 1);
  assert.deepEqual(
    hook.bodies.map((b) => (b as { failures: { taskId: string }[] }).failures.map((f) => f.taskId)),
    [['Minor()', 'Flaky(day=d1)']],
  );
  hook.close();
});
