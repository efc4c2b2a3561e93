// The event stream's stamps and its JSON lines (serialised without re-serialising the stamp).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventStream } from '../../runtime/src/event-stream';
import { type RunEvent } from '../../runtime/src/events';

test('each line is exactly JSON.stringify of the stamped event, in order', () => {
  const stream = new EventStream('20261124T120000000Z-"q\\');
  const events: RunEvent[] = [];
  const lines: string[] = [];
  stream.onEvent((e) => events.push(e));
  stream.onLine((l) => lines.push(l));
  stream.emit({ type: 'task-pending', taskId: 'A(s="x\n")' });
  stream.emit({ type: 'task-running', taskId: 'A()', attempt: 1 });
  stream.emit({
    type: 'task-failed',
    taskId: 'B(d=2026-11-01)',
    attempt: 2,
    durationMs: 3,
    error: { name: 'Error', message: 'boom ✗', stack: 'Error: boom\n    at x' },
    willRetry: false,
  });
  assert.equal(lines.length, 3);
  assert.deepEqual(
    lines,
    events.map((e) => JSON.stringify(e)),
  );
  assert.deepEqual(
    events.map((e) => e.seq),
    [0, 1, 2],
  );
});

test('a listener given event types gets only those; lines still carry every event', () => {
  const stream = new EventStream('r');
  const taken: string[] = [];
  const every: string[] = [];
  const lines: string[] = [];
  stream.onEvent((e) => taken.push(e.type), ['task-failed', 'run-finished']);
  stream.onEvent((e) => every.push(e.type));
  stream.onLine((l) => lines.push(l));
  stream.emit({ type: 'task-pending', taskId: 'A()' });
  stream.emit({ type: 'task-running', taskId: 'A()', attempt: 1 });
  stream.emit({
    type: 'task-failed',
    taskId: 'A()',
    attempt: 1,
    durationMs: 0,
    error: { name: 'Error', message: 'x' },
    willRetry: false,
  });
  assert.deepEqual(taken, ['task-failed']);
  assert.deepEqual(every, ['task-pending', 'task-running', 'task-failed']);
  assert.deepEqual(
    lines.map((l) => (JSON.parse(l) as RunEvent).seq),
    [0, 1, 2],
  );
});
