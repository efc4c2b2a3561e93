// A worker SIGKILLed mid-task loses nothing (cluster/src/worker.ts: lock and stalled-job settings):
// BullMQ finds its job stalled and another worker runs it; the atomic output never shows a partial
// file, and the run ends complete with the same bytes as a run nobody killed.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { redis, startRun, startWorker, workspace } from './support/cluster';

// Stalled jobs are looked for every second and a dead worker's lock lapses after 3 s.
const fastStalls = { PLUMB_CLUSTER_LOCK_MS: '3000', PLUMB_CLUSTER_STALLED_MS: '1000' };

async function until(what: string, check: () => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

test(
  'a worker killed with SIGKILL mid-task: its job runs again on another worker and the run ends complete, byte-identical',
  { timeout: 120_000 },
  async (t) => {
    const server = await redis(t);
    const ws = workspace('fan', t);
    const gate = path.join(ws, 'gate');
    const out = path.join(ws, 'out');
    const doomed = startWorker(t, { redis: server.url, cwd: ws, name: 'doomed', env: fastStalls });
    await doomed.ready;
    const running = startRun(t, ws, [
      'pipeline.ts',
      'Join',
      '--count',
      '1',
      '--gate',
      gate,
      '--cluster',
      server.url,
    ]);
    // Part 0 is half written (its temporary file exists, the gate holds the rest) and its run has
    // stored where it runs (the worker runs it at once, in its own process): kill its worker.
    await running.until((e) => e.type === 'task-log' && e.line === 'running on worker doomed');
    await until('part 0 to start writing', () => existsSync(out) && readdirSync(out).length > 0);
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    assert.equal(existsSync(path.join(out, 'part-0.txt')), false, 'no partial file at the output path');
    const survivor = startWorker(t, { redis: server.url, cwd: ws, name: 'survivor', env: fastStalls });
    await survivor.ready;
    writeFileSync(gate, '');
    const run = await running.done;
    assert.equal(run.code, 0, run.stderr);
    const logs = run.events.filter((e) => e.type === 'task-log').map((e) => e.line as string);
    assert.ok(logs.includes('running on worker doomed'), logs.join('\n'));
    assert.ok(logs.includes('running on worker survivor'), logs.join('\n'));
    assert.equal(readFileSync(path.join(out, 'part-0.txt'), 'utf8'), 'part 0\ndone 0\n');
    assert.equal(readFileSync(path.join(out, 'all.txt'), 'utf8'), 'part 0\ndone 0\n');
    // The killed attempt's temporary file is swept before the retry writes.
    assert.deepEqual(readdirSync(out).sort(), ['all.txt', 'part-0.txt']);
    const done = run.events.filter((e) => e.type === 'task-done').map((e) => e.taskId);
    assert.deepEqual(done, ['Part(n=0)', 'Join(count=1)'], 'each task done once');
  },
);
