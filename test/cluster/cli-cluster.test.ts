// runtime/src/cli-cluster.ts: the CLI loads plumb-cluster only when a cluster is asked for; without
// it, a usage error that says what to install, and local runs never need it. --cluster alone finds
// the cluster in the environment or plumb.toml.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { buildRuntimeCli } from '../../scripts/build.mjs';
import { cli, redis, runCli, startWorker, workspace } from './support/cluster';

test(
  'without plumb-cluster installed, worker, queue and run --cluster say to install it (exit 2)',
  { timeout: 90_000 },
  (t) => {
    // Outside the repository: nothing resolves plumb-cluster from there.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'plumb-no-cluster-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const cli = buildRuntimeCli(path.join(dir, 'cli'));
    writeFileSync(path.join(dir, 'p.js'), 'module.exports = {};\n');
    for (const args of [
      ['worker', '--redis', 'redis://127.0.0.1:1'],
      ['queue', 'stats'],
      ['run', 'p.js', 'A', '--cluster', 'redis://127.0.0.1:1'],
    ]) {
      const r = spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /needs the plumb-cluster package: npm install plumb-cluster/);
    }
  },
);

test(
  '--cluster alone takes PLUMB_REDIS_URL, else plumb.toml [cluster] redis; a file after it is not its URL',
  { timeout: 120_000 },
  async (t) => {
    const server = await redis(t);
    const ws = workspace('fan', t);
    const worker = startWorker(t, { redis: server.url, cwd: ws, name: 'w1' });
    await worker.ready;
    const env = { PLUMB_REDIS_URL: '' };
    // Nothing configured: a usage error that says where a URL can come from.
    const none = await runCli(ws, ['pipeline.ts', 'Part', '--n', '0', '--cluster'], env);
    assert.equal(none.code, 2, none.stderr);
    assert.match(none.stderr, /--cluster <url>, PLUMB_REDIS_URL or plumb.toml \[cluster\] redis/);
    // plumb.toml's [cluster] redis, with --cluster last and with --cluster before the file.
    writeFileSync(path.join(ws, 'plumb.toml'), `[cluster]\nredis = "${server.url}"\n`);
    for (const [n, args] of [
      [0, ['pipeline.ts', 'Part', '--n', '0', '--cluster']],
      [1, ['--cluster', 'pipeline.ts', 'Part', '--n', '1']],
    ] as const) {
      const run = await runCli(ws, [...args], env);
      assert.equal(run.code, 0, run.stderr);
      assert.ok(
        run.events.some((e) => e.type === 'task-running' && e.worker === 'w1'),
        `Part(n=${n}) ran on the cluster's worker: ${run.stdout}${run.stderr}`,
      );
    }
    // A [cluster] redis that is not a string is a usage error; PLUMB_REDIS_URL alone is enough.
    writeFileSync(path.join(ws, 'plumb.toml'), '[cluster]\nredis = 42\n');
    const bad = await runCli(ws, ['pipeline.ts', 'Part', '--n', '2', '--cluster'], env);
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /\[cluster\] redis must be a string/);
    writeFileSync(path.join(ws, 'plumb.toml'), '');
    const fromEnv = await runCli(ws, ['pipeline.ts', 'Part', '--n', '2', '--cluster'], {
      PLUMB_REDIS_URL: server.url,
    });
    assert.equal(fromEnv.code, 0, fromEnv.stderr);
    assert.ok(fromEnv.events.some((e) => e.type === 'task-running' && e.worker === 'w1'));
  },
);

test(
  "plumb's help names the cluster's commands: run --attach, schedule --cluster, --cluster alone",
  { timeout: 90_000 },
  () => {
    const help = (args: string[]) => {
      const r = spawnSync(process.execPath, [cli(), ...args, '--help'], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      assert.equal(r.status, 0, `${args.join(' ')} --help: ${r.stderr}`);
      return r.stdout;
    };
    const main = help([]);
    assert.match(main, /^ {2}run --attach <runId> /m);
    assert.match(main, /^ {2}schedule --cluster \[<redis-url>\] /m);
    const run = help(['run']);
    assert.match(
      run,
      /--cluster \[<redis-url>\] .*\n.*alone: PLUMB_REDIS_URL, else plumb\.toml \[cluster\] redis/,
    );
    assert.match(run, /--attach <runId> /);
    assert.match(main, /^ {2}run --cancel <runId> /m);
    assert.match(run, /--cancel <runId> /);
    assert.match(help(['schedule']), /--cluster \[<redis-url>\]/);
    assert.match(help(['schedule', '--cluster']), /exit codes: 0 /);
  },
);
