// Alerts against a real HTTP server on loopback: one message per task per run (retries do not
// alert), critical at once and low-priority grouped at the end, Slack and JSON payloads, and a
// webhook that is down costs the run no more than the bound.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { type RunEvent } from '../../../runtime/src/events';
import { RunAlerts } from '../../../runtime/src/operations/alerts';
import { finished, startCli, workspace } from '../support/cli';

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
