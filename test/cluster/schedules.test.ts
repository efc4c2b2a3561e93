// plumb.toml's schedules from the queue (cluster/src/schedules.ts, runtime/src/cli-cluster-schedule.ts):
// plumb schedule --cluster registers a BullMQ job scheduler per item; whichever worker is up fires
// it as a cluster run. The worker that fired is SIGKILLed and another takes the next fires: no host
// is special and no schedule is lost. A schedule firing every second keeps the test to seconds.
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { cli, redis, runCli, startWorker, workspace } from './support/cluster';

const fastStalls = { PLUMB_CLUSTER_LOCK_MS: '3000', PLUMB_CLUSTER_STALLED_MS: '1000' };

function plumb(cwd: string, args: string[]) {
  return spawnSync(process.execPath, [cli(), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
}

const stamps = (ws: string) => {
  const out = path.join(ws, 'out');
  return existsSync(out)
    ? readdirSync(out)
        .filter((f) => /^stamp-.*\.txt$/.test(f))
        .sort()
    : [];
};

async function until(what: string, check: () => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

test(
  'schedules registered on the queue are fired by whichever worker is up; a dead worker loses no schedule',
  { timeout: 120_000 },
  async (t) => {
    const server = await redis(t);
    const ws = workspace('scheduled', t);
    const registered = plumb(ws, ['schedule', '--cluster', server.url]);
    assert.equal(registered.status, 0, registered.stderr);
    assert.match(registered.stdout, /stamp is on the cluster's queue/);

    const first = startWorker(t, { redis: server.url, cwd: ws, name: 'first', env: fastStalls });
    await first.ready;
    await until('a fire on the first worker', () =>
      /schedule stamp fired run \S+ \(exit 0\)/.test(first.output()),
    );
    assert.ok(stamps(ws).length >= 1);
    first.child.kill('SIGKILL');
    await first.exited;
    const before = stamps(ws);

    const second = startWorker(t, { redis: server.url, cwd: ws, name: 'second', env: fastStalls });
    await second.ready;
    await until('a fire on the second worker', () =>
      /schedule stamp fired run \S+ \(exit 0\)/.test(second.output()),
    );
    const after = stamps(ws);
    const newer = after.filter((f) => !before.includes(f));
    assert.ok(newer.length >= 1, `the second worker fired: ${after.join(', ')}`);
    // Each stamp is named by its fire time (the job scheduler's), a second apart.
    for (const f of after) assert.match(f, /^stamp-\d{4}-\d\d-\d\dT\d{6}\.txt$/);

    const removed = plumb(ws, ['schedule', '--cluster', server.url, '--remove']);
    assert.equal(removed.status, 0, removed.stderr);
    assert.match(removed.stdout, /stamp taken off the cluster's queue/);
  },
);

test(
  'plumb schedule --cluster alone takes plumb.toml [cluster] redis, also before --remove',
  { timeout: 60_000 },
  async (t) => {
    const server = await redis(t);
    const ws = workspace('scheduled', t);
    appendFileSync(path.join(ws, 'plumb.toml'), `\n[cluster]\nredis = "${server.url}"\n`);
    const registered = plumb(ws, ['schedule', '--cluster']);
    assert.equal(registered.status, 0, registered.stderr);
    assert.match(registered.stdout, /stamp is on the cluster's queue/);
    const removed = plumb(ws, ['schedule', '--cluster', '--remove']);
    assert.equal(removed.status, 0, removed.stderr);
    assert.match(removed.stdout, /stamp taken off the cluster's queue/);
  },
);

test(
  "a fire whose worker dies mid-run is taken by another worker, which follows the same run (the fire's run id) rather than starting a second",
  { timeout: 120_000 },
  async (t) => {
    const server = await redis(t);
    const ws = workspace('scheduled-gated', t);
    assert.equal(plumb(ws, ['schedule', '--cluster', server.url]).status, 0);
    const first = startWorker(t, { redis: server.url, cwd: ws, name: 'first', env: fastStalls });
    await first.ready;
    const runs = path.join(ws, '.plumb', 'runs');
    await until('the first fire to start its run', () => existsSync(runs) && readdirSync(runs).length > 0);
    const fired = readdirSync(runs)
      .sort()[0]!
      .replace(/\.jsonl$/, '');
    first.child.kill('SIGKILL');
    await first.exited;
    // No more fires: the one in flight is what this test is about.
    assert.equal(plumb(ws, ['schedule', '--cluster', server.url, '--remove']).status, 0);
    const second = startWorker(t, { redis: server.url, cwd: ws, name: 'second', env: fastStalls });
    await second.ready;
    writeFileSync(path.join(ws, 'gate'), '');
    await until('the fire taken again to end', () =>
      new RegExp(`schedule stamp fired run ${fired} \\(exit 0\\)`).test(second.output()),
    );
    const run = await runCli(ws, ['--attach', fired, '--cluster', server.url]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.events.filter((e) => e.type === 'run-started').length, 1);
  },
);
