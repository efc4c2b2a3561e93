// A worker that cannot see an input the run found complete (cluster/src/input-visibility.ts): the
// worker here is a host without the shared disk — its own mount namespace with an empty out/ over the
// project's — so the part written by another worker is not there. The task fails with an error naming
// the worker, the path and the fix, not an ENOENT from inside run().
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import { test } from 'node:test';
import { redis, runCli, startWorker, workspace } from './support/cluster';
import { canMakeNamespaces } from './support/netns';

const skip = canMakeNamespaces() ? false : 'a private mount namespace needs root on Linux';

test(
  'a worker without the shared outputs fails the task naming itself, the missing input and the fix (shared storage)',
  { skip, timeout: 90_000 },
  async (t) => {
    const server = await redis(t);
    const ws = workspace('fan', t);
    const out = path.join(ws, 'out');
    mkdirSync(out);
    const sighted = startWorker(t, { redis: server.url, cwd: ws, name: 'sighted' });
    await sighted.ready;
    const part = await runCli(ws, ['pipeline.ts', 'Part', '--n', '0', '--cluster', server.url]);
    assert.equal(part.code, 0, part.stderr);
    // The sighted worker coordinates the next run (its scheduler finds part 0 complete); its only task
    // slot is held by another run's part, so the run's task goes to the blind worker.
    const gate = path.join(ws, 'gate');
    const holder = runCli(ws, ['pipeline.ts', 'Part', '--n', '9', '--gate', gate, '--cluster', server.url]);
    while (!existsSync(path.join(out, 'part-9.txt')) && !readdirSync(out).some((f) => f.includes('part-9')))
      await sleep(25);
    // The same pipeline files at the same path, but its own (empty) out/: another host's local disk;
    // it coordinates no run (--runs 0).
    const blind = startWorker(t, {
      args: ['--runs', '0'],
      redis: server.url,
      cwd: ws,
      name: 'blind',
      prefix: [
        'unshare',
        '-m',
        '--propagation',
        'private',
        'sh',
        '-c',
        `mount -t tmpfs none ${out} && exec "$@"`,
        'sh',
      ],
    });
    await blind.ready;
    const join = await runCli(ws, ['pipeline.ts', 'Join', '--count', '1', '--cluster', server.url]);
    assert.equal(join.code, 1, join.stderr);
    const failed = join.events.find((e) => e.type === 'task-failed') as {
      taskId: string;
      error: { message: string };
    };
    assert.equal(failed.taskId, 'Join(count=1)');
    writeFileSync(gate, '');
    assert.equal((await holder).code, 0);
    assert.match(
      failed.error.message,
      new RegExp(
        `^worker blind cannot see ${path.join(out, 'part-0.txt')}, an input of Join\\(count=1\\) that the run found complete .*shared file system`,
      ),
    );
  },
);
