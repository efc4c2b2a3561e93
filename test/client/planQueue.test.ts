// Plans for the editor against the real runtime CLI (client/src/planQueue.ts): made by the same
// command line as Run plus --plan, cached per run until invalidated, one process at a time, and a
// newer graph request stopping an older one.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { type PlanResult } from '../../client/src/planModel';
import { PlanQueue, spawnPlan } from '../../client/src/planQueue';
import { cli, workspace } from '../runtime/support/cli';

function queueIn(ws: string, changes: string[] = []): PlanQueue {
  return new PlanQueue(
    (request) => spawnPlan({ nodePath: process.execPath, cliPath: cli(), cwd: ws }, request),
    (change) => changes.push(change),
  );
}
const planOf = (result: PlanResult | undefined) => {
  assert.ok(result?.kind === 'plan', JSON.stringify(result));
  return result.plan;
};

test('a plan of the Run command line: its counts; cached until invalidated, then stale until replaced', async () => {
  const ws = workspace('plan');
  const changes: string[] = [];
  const queue = queueIn(ws, changes);
  const request = {
    file: `${ws}/pipeline.ts`,
    family: 'Report',
    params: { date: '2026-11-01' },
    unit: false,
  };
  const plan = planOf(await queue.request(request, 'graph'));
  assert.deepEqual(plan.counts, { total: 6, complete: 2, willRun: 2, blocked: 2, skipped: 0, broken: 0 });
  assert.equal(queue.started, 1);
  // The lens asking for the same run gets the cached plan: no second process.
  assert.equal(planOf(await queue.request(request, 'lens')), plan);
  assert.equal(queue.started, 1);

  queue.invalidate();
  assert.equal(queue.peek(request)?.stale, true, 'the old plan stays shown, marked stale');
  assert.equal(planOf(await queue.request(request, 'lens')).counts.willRun, 2);
  assert.equal(queue.started, 2);
  assert.equal(queue.peek(request)?.stale, false);
  // The same counts again: a lens would read the same, so nothing asks for a redraw.
  assert.deepEqual(changes, ['plan', 'stale', 'same-plan']);

  // An output gone: Totals will run again, the lens's count changes, and says so.
  rmSync(path.join(ws, 'out', 'totals-2026-11-01.csv'));
  queue.invalidate();
  assert.equal(planOf(await queue.request(request, 'lens')).counts.willRun, 3);
  assert.deepEqual(changes, ['plan', 'stale', 'same-plan', 'stale', 'plan']);
});

test('a newer graph request supersedes an older one (its process stopped); lens requests wait their turn', async () => {
  const ws = workspace('plan');
  const queue = queueIn(ws);
  const file = `${ws}/pipeline.ts`;
  const started = Date.now();
  const slow = queue.request({ file, family: 'SlowToPlan', params: {}, unit: false }, 'graph');
  // Let the slow plan's process start before the newer request comes.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const lens = queue.request({ file, family: 'Dashboard', params: {}, unit: false }, 'lens');
  const newer = queue.request({ file, family: 'Audit', params: {}, unit: false }, 'graph');
  assert.equal(await slow, undefined, 'superseded');
  assert.deepEqual(planOf(await newer).roots, ['Audit()']);
  assert.deepEqual(planOf(await lens).roots, ['Dashboard()']);
  assert.ok(Date.now() - started < 30_000, 'the slow plan (a minute) was not waited for');
  assert.equal(queue.started, 3);
  assert.equal(queue.peek({ file, family: 'SlowToPlan', params: {}, unit: false }), undefined);
});

test('a task the runtime cannot plan says why', async () => {
  const ws = workspace('plan');
  const result = await queueIn(ws).request(
    { file: `${ws}/pipeline.ts`, family: 'Nope', params: {}, unit: false },
    'graph',
  );
  assert.equal(result?.kind, 'unavailable');
  assert.match(result?.kind === 'unavailable' ? result.reason : '', /Nope is not a task exported by/);
});

test('a plan that takes too long is stopped and says so: it never holds the queue', async () => {
  const ws = workspace('plan');
  const queue = new PlanQueue((request) =>
    // A short limit for the slow one only: on a loaded machine a plain plan may take seconds too.
    spawnPlan(
      {
        nodePath: process.execPath,
        cliPath: cli(),
        cwd: ws,
        ...(request.family === 'SlowToPlan' ? { timeoutMs: 1500 } : {}),
      },
      request,
    ),
  );
  const file = `${ws}/pipeline.ts`;
  const slow = queue.request({ file, family: 'SlowToPlan', params: {}, unit: false }, 'lens');
  const next = queue.request({ file, family: 'Audit', params: {}, unit: false }, 'lens');
  assert.deepEqual(await slow, { kind: 'unavailable', reason: 'no plan after 1.5 s (a slow complete()?)' });
  assert.deepEqual(planOf(await next).roots, ['Audit()']);
});
