// Priorities and queueing on the cluster (cluster/src/submit.ts): with every slot busy, ready tasks
// wait in the queue (queue stats counts them), and an ad-hoc run with --priority 1 goes ahead of
// runs submitted before it at the default priority.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { cli, redis, runCli, startWorker, workspace } from './support/cluster';

async function until(what: string, check: () => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

test(
  'with the only slot busy, jobs queue; an ad-hoc run with --priority 1 jumps ahead of scheduled ones',
  { timeout: 120_000 },
  async (t) => {
    const server = await redis(t);
    const ws = workspace('fan', t);
    const gate = path.join(ws, 'gate');
    const out = path.join(ws, 'out');
    const worker = startWorker(t, { redis: server.url, cwd: ws, name: 'w1', concurrency: 1 });
    await worker.ready;
    const waiting = () => {
      const r = spawnSync(process.execPath, [cli(), 'queue', 'stats', '--json', '--redis', server.url], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      return (JSON.parse(r.stdout) as { waiting: number; active: number }).waiting;
    };
    const holder = runCli(ws, ['pipeline.ts', 'Part', '--n', '0', '--gate', gate, '--cluster', server.url]);
    await until('part 0 to hold the worker', () => existsSync(out) && readdirSync(out).length > 0);
    const scheduled = runCli(ws, [
      'pipeline.ts',
      'Part',
      '--n',
      '1',
      'Part',
      '--n',
      '2',
      '--workers',
      '2',
      '--cluster',
      server.url,
    ]);
    await until('two scheduled jobs to wait', () => waiting() === 2);
    const adHoc = runCli(ws, ['pipeline.ts', 'Part', '--n', '3', '--priority', '1', '--cluster', server.url]);
    await until('the ad-hoc job to wait too', () => waiting() === 3);
    writeFileSync(gate, '');
    const results = await Promise.all([holder, scheduled, adHoc]);
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    const written = (n: number) => statSync(path.join(out, `part-${n}.txt`)).mtimeMs;
    assert.ok(
      written(3) < written(1) && written(3) < written(2),
      'the ad-hoc part ran before the scheduled ones',
    );
  },
);
