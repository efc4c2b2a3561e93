// No run lost when its host dies (cluster/src/coordinator.ts, run-job.ts, run-splice.ts): a cluster
// run's coordination is a job any worker takes. Host A coordinates a run and runs one of its steps;
// host B runs another. A dies (every process SIGKILLed) or is cut off from Redis: B takes the stalled
// run job over and resumes the run. The step done before is not run again, B's step in flight is
// followed rather than added twice, A's step runs again on B, the outputs are byte-identical, and
// the submitter (and a late --attach) read one log, seq 0…n, one run-started and one run-finished.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { redis, runCli, startRun, startWorker, workspace } from './support/cluster';
import { canMakeNamespaces, namespace } from './support/netns';

// A dead worker's locks (its tasks' and its run's) lapse after 3 s and are looked for every second.
const fastStalls = { PLUMB_CLUSTER_LOCK_MS: '3000', PLUMB_CLUSTER_STALLED_MS: '1000' };
const skip = canMakeNamespaces() ? false : 'network namespaces need root on Linux';

type Event = Record<string, unknown>;
const runningOn = (taskId: string, worker: string) => (e: Event) =>
  e.type === 'task-log' && e.taskId === taskId && e.line === `running on worker ${worker}`;

for (const failure of ['killed', 'cut off'] as const) {
  test(
    `the host coordinating a run is ${failure} mid-run: another worker resumes it, nothing done runs twice, one complete log, exit 0`,
    { skip, timeout: 150_000 },
    async (t) => {
      const hostA = namespace(t);
      const hostB = namespace(t);
      const server = await redis(t, [hostA.hostAddress, hostB.hostAddress]);
      const ws = workspace('resume', t);
      mkdirSync(path.join(ws, 'gates'));
      writeFileSync(path.join(ws, 'gates', '0'), '');
      const a = startWorker(t, {
        redis: `redis://${hostA.hostAddress}:${server.port}`,
        cwd: ws,
        name: 'a',
        env: fastStalls,
        prefix: hostA.exec,
      });
      await a.ready;
      const submitter = startRun(t, ws, ['pipeline.ts', 'Top', '--workers', '3', '--cluster', server.url]);
      // A, the only worker, coordinates the run, runs step 0 to its end and holds step 1.
      await submitter.until((e) => e.type === 'task-done' && e.taskId === 'Step(n=0)');
      await submitter.until(runningOn('Step(n=1)', 'a'));
      const b = startWorker(t, {
        redis: `redis://${hostB.hostAddress}:${server.port}`,
        cwd: ws,
        name: 'b',
        concurrency: 2,
        env: fastStalls,
        prefix: hostB.exec,
      });
      await b.ready;
      await submitter.until(runningOn('Step(n=2)', 'b'));

      if (failure === 'killed') hostA.killAll();
      else hostA.link(false);
      await submitter.until(
        (e) => e.type === 'task-log' && /worker b resumed the run/.test(e.line as string),
      );
      // A's step is taken over by B (its job stalled: it starts again); B's own step goes on where it was.
      const starts = () => readFileSync(path.join(ws, 'ran.log'), 'utf8').split('\n');
      const deadline = Date.now() + 60_000;
      while (starts().filter((l) => l === 'Step(n=1)').length < 2) {
        assert.ok(Date.now() < deadline, `step 1 never started again on B:\n${b.output()}`);
        await sleep(50);
      }
      writeFileSync(path.join(ws, 'gates', '1'), '');
      writeFileSync(path.join(ws, 'gates', '2'), '');
      const result = await submitter.done;
      assert.equal(result.code, 0, result.stderr);

      const events = result.events;
      assert.deepEqual(
        events.map((e) => e.seq),
        events.map((_, i) => i),
        'one log: every event once, in order',
      );
      assert.equal(events.filter((e) => e.type === 'run-started').length, 1);
      assert.equal(events.filter((e) => e.type === 'run-finished').length, 1);
      const finished = events.at(-1) as { type: string; exitCode: number; summary: { ran: string[] } };
      assert.equal(finished.type, 'run-finished');
      assert.equal(finished.exitCode, 0);
      const all = ['Step(n=0)', 'Step(n=1)', 'Step(n=2)', 'Top(count=3)'];
      assert.deepEqual(
        [...finished.summary.ran].sort(),
        all,
        'the summary counts what ran before the resume',
      );
      assert.deepEqual(
        events
          .filter((e) => e.type === 'task-done')
          .map((e) => e.taskId as string)
          .sort(),
        all,
        'each task done once',
      );
      // Started once each, but A's step, which died with A (or was cut off with it) and ran again on B.
      const ran = readFileSync(path.join(ws, 'ran.log'), 'utf8').trim().split('\n').sort();
      assert.deepEqual(ran, ['Step(n=0)', 'Step(n=1)', 'Step(n=1)', 'Step(n=2)', 'Top(count=3)']);
      const expected = 'step 0\ndone 0\nstep 1\ndone 1\nstep 2\ndone 2\n';
      assert.equal(readFileSync(path.join(ws, 'out', 'top.txt'), 'utf8'), expected);
      for (const n of [0, 1, 2])
        assert.equal(readFileSync(path.join(ws, 'out', `step-${n}.txt`), 'utf8'), `step ${n}\ndone ${n}\n`);

      const runId = events[0]!.runId as string;
      // The run log on disk tells the same story as the stream.
      const log = readFileSync(path.join(ws, '.plumb', 'runs', `${runId}.jsonl`), 'utf8')
        .trim()
        .split('\n');
      assert.deepEqual(
        log.map((l) => (JSON.parse(l) as { seq: number }).seq),
        events.map((e) => e.seq),
      );
      if (failure === 'cut off') {
        // A back on the network finds its run taken over: it writes nothing more and stops its scheduler.
        hostA.link(true);
        const deadline = Date.now() + 30_000;
        while (!/run \S+ was taken over by another worker/.test(a.output())) {
          assert.ok(Date.now() < deadline, `A never noticed the takeover:\n${a.output()}`);
          await sleep(100);
        }
      }
      const late = await runCli(ws, ['--attach', runId, '--cluster', server.url]);
      assert.equal(late.code, 0, late.stderr);
      assert.deepEqual(late.stdout.trim().split('\n'), result.stdout.trim().split('\n'));
    },
  );
}

test(
  'a worker stopped with SIGTERM finishes its task, hands its run over, and another worker resumes it (exit 0)',
  { timeout: 150_000 },
  async (t) => {
    const server = await redis(t);
    const ws = workspace('resume', t);
    mkdirSync(path.join(ws, 'gates'));
    writeFileSync(path.join(ws, 'gates', '0'), '');
    const a = startWorker(t, { redis: server.url, cwd: ws, name: 'a', env: fastStalls });
    await a.ready;
    const submitter = startRun(t, ws, ['pipeline.ts', 'Top', '--workers', '3', '--cluster', server.url]);
    await submitter.until(runningOn('Step(n=1)', 'a'));
    const b = startWorker(t, { redis: server.url, cwd: ws, name: 'b', concurrency: 2, env: fastStalls });
    await b.ready;
    await submitter.until(runningOn('Step(n=2)', 'b'));
    a.child.kill('SIGTERM');
    // A stops after its active task (step 1, released now), then hands the run over.
    writeFileSync(path.join(ws, 'gates', '1'), '');
    await a.exited;
    assert.equal(a.child.exitCode, 0, a.output());
    await submitter.until((e) => e.type === 'task-log' && /worker b resumed the run/.test(e.line as string));
    writeFileSync(path.join(ws, 'gates', '2'), '');
    const result = await submitter.done;
    assert.equal(result.code, 0, result.stderr);
    const events = result.events;
    assert.deepEqual(
      events.map((e) => e.seq),
      events.map((_, i) => i),
    );
    assert.equal(events.filter((e) => e.type === 'run-finished').length, 1);
    assert.equal(events.filter((e) => e.type === 'run-started').length, 1);
    const ran = readFileSync(path.join(ws, 'ran.log'), 'utf8').trim().split('\n').sort();
    assert.deepEqual(ran, ['Step(n=0)', 'Step(n=1)', 'Step(n=2)', 'Top(count=3)'], 'nothing ran twice');
    assert.equal(
      readFileSync(path.join(ws, 'out', 'top.txt'), 'utf8'),
      'step 0\ndone 0\nstep 1\ndone 1\nstep 2\ndone 2\n',
    );
  },
);

test(
  "a task's retry in flight when its run's host dies is followed by the resumed run, not started again",
  { skip, timeout: 150_000 },
  async (t) => {
    const hostA = namespace(t);
    const hostB = namespace(t);
    const server = await redis(t, [hostA.hostAddress, hostB.hostAddress]);
    const ws = workspace('resume', t);
    mkdirSync(path.join(ws, 'gates'));
    const a = startWorker(t, {
      redis: `redis://${hostA.hostAddress}:${server.port}`,
      cwd: ws,
      name: 'a',
      env: fastStalls,
      prefix: hostA.exec,
    });
    await a.ready;
    const submitter = startRun(t, ws, ['pipeline.ts', 'Both', '--workers', '2', '--cluster', server.url]);
    // A coordinates and holds step 5; B takes Retried, whose first attempt fails and whose retry holds.
    await submitter.until(runningOn('Step(n=5)', 'a'));
    const b = startWorker(t, {
      redis: `redis://${hostB.hostAddress}:${server.port}`,
      cwd: ws,
      name: 'b',
      concurrency: 3,
      env: fastStalls,
      prefix: hostB.exec,
    });
    await b.ready;
    await submitter.until((e) => e.type === 'task-retrying' && e.taskId === 'Retried()');
    await submitter.until(
      (e) => e.type === 'task-running' && e.taskId === 'Retried()' && e.attempt === 2 && e.worker === 'b',
    );
    hostA.killAll();
    await submitter.until((e) => e.type === 'task-log' && /worker b resumed the run/.test(e.line as string));
    const starts = () => readFileSync(path.join(ws, 'ran.log'), 'utf8').trim().split('\n');
    // Step 5 died with A and starts again on B.
    const deadline = Date.now() + 60_000;
    while (starts().filter((l) => l === 'Step(n=5)').length < 2) {
      assert.ok(Date.now() < deadline, `step 5 never started again:\n${b.output()}`);
      await sleep(50);
    }
    writeFileSync(path.join(ws, 'gates', '5'), '');
    writeFileSync(path.join(ws, 'gates', 'retried'), '');
    const result = await submitter.done;
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(
      starts().sort(),
      ['Both()', 'Retried()', 'Retried()', 'Step(n=5)', 'Step(n=5)'],
      'the retry in flight ran once',
    );
    assert.equal(readFileSync(path.join(ws, 'out', 'retried.txt'), 'utf8'), 'retried 2\n');
  },
);
