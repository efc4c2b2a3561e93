// The plan as the editor shows it (client/src/planModel.ts): the command line, the parameters it
// can use without asking, per-family overlay states, the Run title, and what a failed plan says.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PlanEvent, RunEvent } from '../../runtime/src/events';
import type { TaskParamInfo } from '../../server/src/protocol';
import {
  graphPlan,
  planArguments,
  planKey,
  planParams,
  planResultOf,
  runTitle,
} from '../../client/src/planModel';

const request = { file: '/w/p.ts', family: 'Report', params: { date: '2026-11-01' }, unit: false };

test('the plan asks for exactly the run Run would start, with --plan', () => {
  assert.deepEqual(planArguments(request), [
    'run',
    '/w/p.ts',
    'Report',
    '--events',
    'jsonl',
    '--param',
    'date=2026-11-01',
    '--no-color',
    '--plan',
  ]);
  assert.ok(planArguments({ ...request, unit: true }).includes('--unit'));
  assert.equal(planKey(request), planKey({ ...request, params: { date: '2026-11-01' } }));
  assert.notEqual(planKey(request), planKey({ ...request, params: { date: '2026-11-02' } }));
  assert.notEqual(planKey(request), planKey({ ...request, unit: true }));
  assert.equal(
    planKey({ ...request, params: { a: '1', b: '2' } }),
    planKey({ ...request, params: { b: '2', a: '1' } }),
  );
});

test('parameters nothing provides come from the values typed last; without them, no plan (never a prompt)', () => {
  const params: TaskParamInfo[] = [
    { name: 'date', type: 'date', required: true } as TaskParamInfo,
    { name: 'country', type: 'string', required: false, defaultText: "'NZ'" } as TaskParamInfo,
  ];
  assert.deepEqual(planParams(params, {}), { missing: ['date'] });
  assert.deepEqual(planParams(params, { date: '2026-11-01', country: 'SE' }), {
    params: { date: '2026-11-01' },
  });
});

const plan: PlanEvent = {
  v: 2,
  runId: 'r',
  seq: 0,
  time: 0,
  type: 'plan',
  roots: ['Report(date=2026-11-01)'],
  unit: false,
  tasks: [
    { id: 'Report(date=2026-11-01)', family: 'Report', kind: 'task', state: 'will-run' },
    { id: 'Clean(date=2026-11-01)', family: 'Clean', kind: 'task', state: 'will-run' },
    { id: 'Clean(date=2026-10-31)', family: 'Clean', kind: 'task', state: 'complete' },
    {
      id: 'Customers()',
      family: 'Customers',
      kind: 'external',
      state: 'blocked',
      missingPaths: ['/w/c.csv'],
    },
    { id: 'Events()', family: 'Events', kind: 'external', state: 'complete' },
  ],
  counts: { total: 5, complete: 2, willRun: 2, blocked: 1, skipped: 0, broken: 0 },
  text: '2 of 5 tasks will run; 1 blocked by missing external data: Customers() (c.csv); 2 already complete',
};

test('per family: the most telling state of its tasks, with how many are in each', () => {
  const g = graphPlan('Report', plan);
  assert.equal(g.status, 'ready');
  assert.equal(g.unit, false);
  assert.equal(g.target, 'Report');
  assert.deepEqual(g.families, {
    Report: { state: 'will-run', counts: { 'will-run': 1 } },
    Clean: { state: 'will-run', counts: { 'will-run': 1, complete: 1 } },
    Customers: { state: 'blocked', counts: { blocked: 1 } },
    Events: { state: 'complete', counts: { complete: 1 } },
  });
  assert.deepEqual(g.counts, plan.counts);
  assert.equal(g.text, plan.text);
});

test('the Run title says how many will run', () => {
  assert.equal(runTitle('▶ Run', plan.counts), '▶ Run (2 of 5 will run)');
  assert.equal(
    runTitle('▶ Run', { total: 3, complete: 3, willRun: 0, blocked: 0, skipped: 0, broken: 0 }),
    '▶ Run (all complete)',
  );
  assert.equal(runTitle('▶ Run', undefined), '▶ Run');
  assert.equal(
    runTitle('▶ Run (2 of 5 will run)', { ...plan.counts, willRun: 1 }),
    '▶ Run (1 of 5 will run)',
  );
});

test('no plan: the runtime’s own message, else its last words, else the exit code', () => {
  assert.deepEqual(planResultOf([plan], 0, ''), { kind: 'plan', plan });
  const finished = {
    type: 'run-finished',
    outcome: 'error',
    exitCode: 2,
    message: 'Nope is not a task exported by p.ts',
  } as unknown as RunEvent;
  assert.deepEqual(planResultOf([finished], 2, 'plumb: Nope…\n'), {
    kind: 'unavailable',
    reason: 'Nope is not a task exported by p.ts',
  });
  assert.deepEqual(planResultOf([], 70, 'plumb: crashed: boom\n'), {
    kind: 'unavailable',
    reason: 'plumb: crashed: boom',
  });
  assert.deepEqual(planResultOf([], 1, ''), {
    kind: 'unavailable',
    reason: 'plumb exited with code 1 without a plan',
  });
});
