// plumb worker's isolated pool obeys the project's plumb.toml as a local run's does
// ([run] isolate_recycle_after, isolate_max_rss_mb): a worker used to keep its members for the
// default 1,000 attempts whatever the project said.
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { redis, runCli, startWorker, workspace } from './support/cluster';

test(
  'a worker recycles its pool members after plumb.toml [run] isolate_recycle_after',
  { timeout: 90_000 },
  async (t) => {
    const server = await redis(t);
    const ws = workspace('fan', t);
    const toml = path.join(ws, 'plumb.toml');
    const before = existsSync(toml) ? readFileSync(toml, 'utf8') : '';
    appendFileSync(toml, `${/\[run\]/.test(before) ? '' : '\n[run]\n'}isolate_recycle_after = 1\n`);
    // Isolated by their policy (the worker runs the others in its own process, as plumb run does).
    appendFileSync(toml, '\n[tasks.Part]\nisolate = true\n\n[tasks.Join]\nisolate = true\n');
    const worker = startWorker(t, { redis: server.url, cwd: ws, name: 'w1', concurrency: 1 });
    await worker.ready;
    const run = await runCli(ws, ['pipeline.ts', 'Join', '--count', '3', '--cluster', server.url]);
    assert.equal(run.code, 0, run.stderr);
    const pids = run.events.flatMap((e) =>
      e.type === 'task-running' && typeof e.pid === 'number' ? [e.pid] : [],
    );
    assert.equal(pids.length, 4, JSON.stringify(run.events.filter((e) => e.type === 'task-running')));
    assert.equal(new Set(pids).size, 4, `one member per attempt: ${pids.join(', ')}`);
  },
);
