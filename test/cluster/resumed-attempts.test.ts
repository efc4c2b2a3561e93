// A task's attempts are exact across a resume (cluster/src/resumed-attempts.ts, run-splice.ts): the
// worker coordinating a run is SIGKILLed while a task waits for its retry and another task runs on
// the other worker. The resumed run gives the failing task exactly the attempts its policy allows
// (1 + 1 retry), not a new series; its log says each attempt once, and the task still running says
// task-running once, with its worker's name. The retried attempt is no dead letter: only the last one
// stays in `plumb queue failed`, and the run's end takes the retried one off the queue.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { cli, redis, startRun, startWorker, workspace } from './support/cluster';

// A dead worker's locks (its tasks' and its run's) lapse after 3 s and are looked for every second.
const fastStalls = { PLUMB_CLUSTER_LOCK_MS: '3000', PLUMB_CLUSTER_STALLED_MS: '1000' };

test(
  'a run resumed while a task waits for its retry: the task gets exactly the attempts its policy allows, each said once; the running task keeps its worker',
  { timeout: 150_000 },
  async (t) => {
    const server = await redis(t);
    const ws = workspace('attempts', t);
    // A alone coordinates the run (it is the only worker when the run is submitted).
    const a = startWorker(t, { redis: server.url, cwd: ws, name: 'a', env: fastStalls });
    await a.ready;
    const submitter = startRun(t, ws, ['pipeline.ts', 'Resumed', '--workers', '2', '--cluster', server.url]);
    await submitter.until((e) => e.type === 'run-started');
    const b = startWorker(t, { redis: server.url, cwd: ws, name: 'b', concurrency: 2, env: fastStalls });
    await b.ready;
    await submitter.until((e) => e.type === 'task-retrying' && e.taskId === 'Fails()');
    await submitter.until((e) => e.type === 'task-running' && e.taskId === 'Held(n=1)');
    a.child.kill('SIGKILL');
    await submitter.until((e) => e.type === 'task-log' && /worker b resumed the run/.test(e.line as string));
    // The retry (attempt 2) runs and fails on B; then Held is let go.
    await submitter.until((e) => e.type === 'task-failed' && e.taskId === 'Fails()' && e.willRetry === false);
    mkdirSync(path.join(ws, 'gates'), { recursive: true });
    writeFileSync(path.join(ws, 'gates', '1'), '');
    const result = await submitter.done;
    assert.equal(result.code, 1, result.stderr);

    const events = result.events;
    assert.deepEqual(
      events.map((e) => e.seq),
      events.map((_, i) => i),
      'one log',
    );
    const ran = readFileSync(path.join(ws, 'ran.log'), 'utf8').trim().split('\n');
    assert.equal(
      ran.filter((l) => l === 'Fails()').length,
      2,
      `1 attempt + 1 retry, no more:\n${ran.join('\n')}`,
    );
    const of = (type: string, taskId: string) => events.filter((e) => e.type === type && e.taskId === taskId);
    assert.deepEqual(
      of('task-failed', 'Fails()').map((e) => [e.attempt, e.willRetry]),
      [
        [1, true],
        [2, false],
      ],
      'each attempt fails once in the log, the second as the last',
    );
    assert.deepEqual(
      of('task-running', 'Fails()').map((e) => e.attempt),
      [1, 2],
    );
    assert.equal(events.filter((e) => e.type === 'task-retrying' && e.taskId === 'Fails()').length, 1);
    const held = of('task-running', 'Held(n=1)');
    // Held ran on A or B; if on A, it ran again on B (its job stalled): the same attempt, said once.
    assert.equal(held.length, 1, JSON.stringify(held));
    assert.equal(held[0]!.attempt, 1);
    assert.match(String(held[0]!.worker), /^[ab]$/, 'task-running keeps its worker');
    const finished = events.at(-1) as {
      type: string;
      summary: { attempts: Record<string, number>; failed: string[] };
    };
    assert.equal(finished.type, 'run-finished');
    assert.equal(finished.summary.attempts['Fails()'], 2);
    assert.deepEqual(finished.summary.failed, ['Fails()'], b.output());

    // The dead-letter list holds the last attempt only, and the retried one is gone from the queue.
    const failed = spawnSync(process.execPath, [cli(), 'queue', 'failed', '--json', '--redis', server.url], {
      cwd: ws,
      encoding: 'utf8',
    });
    assert.equal(failed.status, 0, failed.stderr);
    const rows = JSON.parse(failed.stdout) as { taskId: string; attempt: number }[];
    assert.deepEqual(
      rows.map((r) => [r.taskId, r.attempt]),
      [['Fails()', 2]],
    );
    const stats = spawnSync(process.execPath, [cli(), 'queue', 'stats', '--json', '--redis', server.url], {
      cwd: ws,
      encoding: 'utf8',
    });
    assert.equal((JSON.parse(stats.stdout) as { failed: number }).failed, 1);
  },
);
