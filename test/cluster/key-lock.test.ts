// Concurrency keys across the cluster (cluster/src/key-lock.ts): the same semantics as on one
// machine (--lock fail: exit 4 naming the holder; --lock wait: waits), but the key lives in Redis,
// so runs from two project copies (two hosts) exclude each other, and it lapses after its TTL when
// its holder dies.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { redis, runCli, startRun, startWorker, workspace } from './support/cluster';

const timeout = 90_000;

test(
  'two cluster runs with the same concurrency key from two project copies never overlap: --lock fail is refused (exit 4), --lock wait starts after the holder ends',
  { timeout },
  async (t) => {
    const server = await redis(t);
    const here = workspace('fan', t);
    const there = workspace('fan', t); // another host's checkout: its .plumb/locks/ never sees this one's
    const gate = path.join(here, 'gate');
    const worker = startWorker(t, { redis: server.url, cwd: here, name: 'w1', concurrency: 3 });
    await worker.ready;
    const key = ['--concurrency-key', 'nightly', '--cluster', server.url];
    const holder = startRun(t, here, ['pipeline.ts', 'Part', '--n', '0', '--gate', gate, ...key]);
    const holderStarted = await holder.until((e) => e.type === 'run-started');
    await holder.until((e) => e.type === 'task-running');

    const refused = await runCli(there, ['pipeline.ts', 'Part', '--n', '1', ...key]);
    assert.equal(refused.code, 4, refused.stderr);
    const finished = refused.events.find((e) => e.type === 'run-finished') as { message: string };
    assert.match(
      finished.message,
      new RegExp(
        `concurrency key 'nightly' is held on the cluster by run ${holderStarted.runId as string} .*; use --lock wait`,
      ),
    );

    const waiter = startRun(t, there, ['pipeline.ts', 'Part', '--n', '2', '--lock', 'wait', ...key]);
    await waiter.untilStderr(/concurrency key 'nightly' is held on the cluster .*waiting/);
    assert.equal(
      waiter.events().some((e) => e.type === 'run-started'),
      false,
      'the waiting run has not started',
    );
    writeFileSync(gate, '');
    const first = await holder.done;
    assert.equal(first.code, 0, first.stderr);
    const second = await waiter.done;
    assert.equal(second.code, 0, second.stderr);
    const firstEnd = first.events.find((e) => e.type === 'run-finished')!.time as number;
    const secondStart = second.events.find((e) => e.type === 'run-started')!.time as number;
    assert.ok(
      secondStart >= firstEnd,
      `the second run started ${firstEnd - secondStart} ms before the first ended`,
    );
  },
);

test(
  "a key's holder SIGKILLed: the key lapses after its TTL and the waiting run gets it",
  { timeout },
  async (t) => {
    const ttl = 2000;
    const env = { PLUMB_CLUSTER_KEY_TTL_MS: String(ttl) };
    const server = await redis(t);
    const ws = workspace('fan', t);
    const worker = startWorker(t, { redis: server.url, cwd: ws, name: 'w1', concurrency: 2 });
    await worker.ready;
    const key = ['--concurrency-key', 'k', '--cluster', server.url];
    const gate = path.join(ws, 'gate-never');
    const holder = startRun(t, ws, ['pipeline.ts', 'Part', '--n', '0', '--gate', gate, ...key], env);
    const started = await holder.until((e) => e.type === 'run-started');
    await holder.until((e) => e.type === 'task-running');
    const waiter = startRun(t, ws, ['pipeline.ts', 'Part', '--n', '1', '--lock', 'wait', ...key], env);
    await waiter.untilStderr(/held on the cluster .*waiting/);
    // The holder is the run's scheduler (its pid is in run-started): it dies without releasing.
    const killedAt = Date.now();
    process.kill(started.pid as number, 'SIGKILL');
    const result = await waiter.done;
    assert.equal(result.code, 0, result.stderr);
    const got = result.events.find((e) => e.type === 'run-started')!.time as number;
    // Renewed every ttl/3, so it lapses between 2/3 ttl and ttl after the last renewal.
    assert.ok(got - killedAt >= ttl / 2, `the key was taken ${got - killedAt} ms after its holder died`);
    // The dead holder's run ends as crashed for whoever follows it.
    const dead = await holder.done;
    assert.equal(dead.code, 70, dead.stderr);
  },
);
