// What runs at once on a cluster is the workers' --concurrency, not plumb.toml's [run] workers (one
// machine's setting, 1 by default): a run without --workers puts every ready task on the queue
// (runtime/src/cli-cluster.ts). The guide's "two workers, four tasks each" depends on it.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { redis, startRun, startWorker, workspace } from './support/cluster';

test(
  'a cluster run without --workers runs as many tasks at once as its workers take, whatever plumb.toml [run] workers says',
  { timeout: 90_000 },
  async (t) => {
    const server = await redis(t);
    const ws = workspace('attempts', t);
    const worker = startWorker(t, { redis: server.url, cwd: ws, name: 'w1', concurrency: 2 });
    await worker.ready;
    const run = startRun(t, ws, ['pipeline.ts', 'Pair', '--cluster', server.url]);
    // Both held at once: with one task at a time the second would wait for the first's gate.
    for (const n of [1, 2])
      await run.until((e) => e.type === 'task-running' && e.taskId === `Held(n=${n})`, 20_000);
    mkdirSync(path.join(ws, 'gates'));
    for (const n of [1, 2]) writeFileSync(path.join(ws, 'gates', String(n)), '');
    const result = await run.done;
    assert.equal(result.code, 0, result.stderr);
  },
);
