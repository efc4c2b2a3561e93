// plumb queue (cluster/src/queue-command.ts) and retries by the task's own policy on the cluster:
// a retried attempt is a new job after the task's delay; only an attempt after which the task gives up
// stays in the dead-letter list, which queue failed lists and queue retry requeues.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { cli, redis, runCli, startWorker, workspace } from './support/cluster';

function queue(cwd: string, url: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [cli(), 'queue', ...args, '--redis', url], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test(
  "retries follow the task's own policy (each a new job after its delay); exhausted attempts are listed by queue failed and requeued by queue retry",
  { timeout: 120_000 },
  async (t) => {
    const server = await redis(t);
    const ws = workspace('fan', t);
    const worker = startWorker(t, { redis: server.url, cwd: ws, name: 'w1' });
    await worker.ready;
    const stats = JSON.parse(queue(ws, server.url, 'stats', '--json').stdout) as Record<string, number>;
    assert.deepEqual(stats, { waiting: 0, active: 0, delayed: 0, failed: 0, workers: 1 });

    const flaky = await runCli(ws, ['pipeline.ts', 'Flaky', '--failures', '2', '--cluster', server.url]);
    assert.equal(flaky.code, 0, flaky.stderr);
    assert.equal(readFileSync(path.join(ws, 'out/flaky.txt'), 'utf8'), 'ok after 3\n');
    const failedAttempts = flaky.events.filter((e) => e.type === 'task-failed');
    assert.deepEqual(
      failedAttempts.map((e) => e.willRetry),
      [true, true],
    );
    assert.deepEqual(
      JSON.parse(queue(ws, server.url, 'failed', '--json').stdout),
      [],
      'retried attempts are not dead letters',
    );

    const broken = await runCli(ws, ['pipeline.ts', 'Broken', '--cluster', server.url]);
    assert.equal(broken.code, 1, broken.stderr);
    const dead = JSON.parse(queue(ws, server.url, 'failed', '--json').stdout) as {
      id: string;
      taskId: string;
      error: string;
      attempt: number;
    }[];
    assert.equal(dead.length, 1, JSON.stringify(dead));
    assert.equal(dead[0]!.taskId, 'Broken()');
    assert.equal(dead[0]!.attempt, 2);
    assert.match(dead[0]!.error, /the file fixed is missing/);
    assert.equal(
      (JSON.parse(queue(ws, server.url, 'stats', '--json').stdout) as Record<string, number>).failed,
      1,
    );

    writeFileSync(path.join(ws, 'fixed'), '');
    const retried = queue(ws, server.url, 'retry', dead[0]!.id);
    assert.equal(retried.code, 0, retried.stderr);
    assert.match(retried.stdout, /requeued .* \(Broken\(\)\)/);
    const deadline = Date.now() + 60_000;
    while (!existsSync(path.join(ws, 'out/broken.txt'))) {
      assert.ok(Date.now() < deadline, 'the requeued job ran');
      await sleep(50);
    }
    assert.deepEqual(JSON.parse(queue(ws, server.url, 'failed', '--json').stdout), []);
    assert.equal(queue(ws, server.url, 'retry').code, 2);
    // Without --redis: plumb.toml's [cluster] redis (PLUMB_REDIS_URL unset).
    writeFileSync(path.join(ws, 'plumb.toml'), `[cluster]\nredis = "${server.url}"\n`);
    const env = { ...process.env };
    delete env.PLUMB_REDIS_URL;
    const configured = spawnSync(process.execPath, [cli(), 'queue', 'stats', '--json'], {
      cwd: ws,
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(configured.status, 0, configured.stderr);
    assert.deepEqual(JSON.parse(configured.stdout), {
      waiting: 0,
      active: 0,
      delayed: 0,
      failed: 0,
      workers: 1,
    });
  },
);

test(
  'with no worker up, a submitted run counts as waiting (an autoscaler scales out from zero); once run, nothing waits',
  { timeout: 120_000 },
  async (t) => {
    const server = await redis(t);
    const ws = workspace('fan', t);
    const stats = () => JSON.parse(queue(ws, server.url, 'stats', '--json').stdout) as Record<string, number>;
    const run = runCli(ws, ['pipeline.ts', 'Part', '--n', '0', '--cluster', server.url]);
    const deadline = Date.now() + 60_000;
    while (stats().waiting !== 1) {
      assert.ok(Date.now() < deadline, 'the run was never counted as waiting');
      await sleep(100);
    }
    assert.equal(stats().workers, 0);
    const worker = startWorker(t, { redis: server.url, cwd: ws, name: 'w1' });
    await worker.ready;
    const result = await run;
    assert.equal(result.code, 0, result.stderr);
    // The run's job ends just after its run-finished (its scheduler exits first).
    let last = stats();
    while (last.active !== 0 && Date.now() < deadline) {
      await sleep(100);
      last = stats();
    }
    assert.deepEqual(last, { waiting: 0, active: 0, delayed: 0, failed: 0, workers: 1 });
  },
);
