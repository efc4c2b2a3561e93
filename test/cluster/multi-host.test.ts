// The cluster across hosts: a worker in its own network namespace reaches Redis over a veth address
// (nothing leaves this machine), its outputs in a directory every worker sees. Killed mid-task, or cut
// off from Redis for a while, it loses nothing: the run ends complete with the same bytes.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { redis, startRun, startWorker, workspace } from './support/cluster';
import { canMakeNamespaces, namespace } from './support/netns';

const fastStalls = { PLUMB_CLUSTER_LOCK_MS: '3000', PLUMB_CLUSTER_STALLED_MS: '1000' };
const skip = canMakeNamespaces() ? false : 'network namespaces need root on Linux';

async function until(what: string, check: () => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

for (const failure of ['killed', 'cut off'] as const) {
  test(
    `a worker on another host ${failure} mid-task: another worker runs its job and the run ends complete, byte-identical`,
    { skip, timeout: 120_000 },
    async (t) => {
      const far = namespace(t);
      const server = await redis(t, [far.hostAddress]);
      const ws = workspace('fan', t);
      const gate = path.join(ws, 'gate');
      const out = path.join(ws, 'out');
      const remote = startWorker(t, {
        redis: `redis://${far.hostAddress}:${server.port}`,
        cwd: ws,
        name: 'far',
        env: fastStalls,
        prefix: far.exec,
      });
      await remote.ready;
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
      // The far worker runs part 0 at once, in its own process: its run has stored where first.
      await running.until((e) => e.type === 'task-log' && e.line === 'running on worker far');
      await until('part 0 to start on the far host', () => existsSync(out) && readdirSync(out).length > 0);
      if (failure === 'killed') {
        remote.child.kill('SIGKILL');
        await remote.exited;
      } else far.link(false);
      const near = startWorker(t, { redis: server.url, cwd: ws, name: 'near', env: fastStalls });
      await near.ready;
      writeFileSync(gate, '');
      const run = await running.done;
      if (failure === 'cut off') far.link(true);
      assert.equal(run.code, 0, run.stderr);
      const logs = run.events.filter((e) => e.type === 'task-log').map((e) => e.line as string);
      assert.ok(logs.includes('running on worker far'), logs.join('\n'));
      assert.ok(logs.includes('running on worker near'), logs.join('\n'));
      assert.equal(readFileSync(path.join(out, 'part-0.txt'), 'utf8'), 'part 0\ndone 0\n');
      assert.equal(readFileSync(path.join(out, 'all.txt'), 'utf8'), 'part 0\ndone 0\n');
      const done = run.events.filter((e) => e.type === 'task-done').map((e) => e.taskId);
      assert.deepEqual(done, ['Part(n=0)', 'Join(count=1)'], 'each task done once');
      if (failure === 'cut off') {
        // Back on the network, the far worker is still there to take jobs.
        assert.equal(remote.child.exitCode, null, remote.output());
      }
    },
  );
}
