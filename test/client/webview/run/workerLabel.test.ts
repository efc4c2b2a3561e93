// Which cluster worker ran a task: task-running's `worker` kept per attempt, shown on the node
// ("on host-b") and per try in the details; a local run shows none.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunEvent } from '../../../../runtime/src/events';
import { applyRunEvents, emptyRun } from '../../../../client/webview/src/run/runState';
import { attemptWorker, workerLabel } from '../../../../client/webview/src/run/workerLabel';
import { readRunEvents } from '../fixtureFiles';

const weather = 'FetchWeather(date_interval=2026-11-01-2026-11-07)';

test('each attempt keeps its worker; the node names the latest one', () => {
  let n = 0;
  // The fixture's run as a cluster run: attempts alternate between two workers.
  const events = readRunEvents('run-failed-after-retry.jsonl').map((e): RunEvent =>
    e.type === 'task-running' ? { ...e, worker: n++ % 2 ? 'host-b:41' : 'host-a:17' } : e,
  );
  const state = applyRunEvents(emptyRun('run-fixture', true), events);
  const task = state.tasks.get(weather)!;
  assert.ok(task.attempts.length >= 2);
  assert.ok(task.attempts.every((a) => /^host-[ab]:\d+$/.test(a.worker ?? '')));
  assert.equal(workerLabel(task), `on ${task.attempts.at(-1)!.worker}`);
  assert.equal(attemptWorker(task.attempts[0]!), ` on ${task.attempts[0]!.worker}`);
  assert.notEqual(task.attempts[0]!.worker, task.attempts[1]!.worker, 'a retry may run on another host');
});

test('a local run names no worker', () => {
  const state = applyRunEvents(emptyRun('run-fixture', true), readRunEvents('run-failed-after-retry.jsonl'));
  const task = state.tasks.get(weather)!;
  assert.equal(workerLabel(task), undefined);
  assert.equal(attemptWorker(task.attempts[0]!), '');
});
