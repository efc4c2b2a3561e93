// The event stream's stamps and its JSON lines (serialised without re-serialising the stamp).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventStream } from '../../runtime/src/event-stream';
import { type RunEvent } from '../../runtime/src/events';

/** A stream whose events and lines are both recorded, in order. */
function recording(runId: string): { stream: EventStream; events: RunEvent[]; lines: string[] } {
  const stream = new EventStream(runId);
  const events: RunEvent[] = [];
  const lines: string[] = [];
  stream.onEvent((e) => events.push(e));
  stream.onLine((l) => lines.push(l));
  return { stream, events, lines };
}

test('each line is exactly JSON.stringify of the stamped event, in order', () => {
  const { stream, events, lines } = recording('20261124T120000000Z-"q\\');
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

test('emitTaskStep: the same line and the same object as emit() of its payload', () => {
  const ids = ['A()', 'A(s="x\n")', 'B(p=\\u2028 \u2028 ✗ "q")', 'C(n=-0)'];
  const steps = (stream: EventStream, viaStep: boolean) => {
    for (const id of ids) {
      const idJson = JSON.stringify(id);
      if (viaStep) {
        stream.emitTaskStep('task-pending', id, idJson);
        stream.emitTaskStep('task-running', id, idJson, 2);
        stream.emitTaskStep('task-done', id, idJson, 2, 0);
        stream.emitTaskStep('task-done', id, idJson, 1, NaN);
      } else {
        stream.emit({ type: 'task-pending', taskId: id });
        stream.emit({ type: 'task-running', taskId: id, attempt: 2 });
        stream.emit({ type: 'task-done', taskId: id, attempt: 2, durationMs: 0 });
        stream.emit({ type: 'task-done', taskId: id, attempt: 1, durationMs: NaN });
      }
    }
  };
  const seen = (viaStep: boolean) => {
    const { stream, events, lines } = recording('20261128T200000000Z-"r\\');
    steps(stream, viaStep);
    // Time stamps differ between the two streams: compared apart from them.
    const untimed = (text: string) => text.replace(/"time":\d+,/, '');
    return {
      lines: lines.map(untimed),
      events: events.map((e) => untimed(JSON.stringify(e))),
      direct: lines.map((l, i) => l === JSON.stringify(events[i])),
    };
  };
  const step = seen(true);
  const emitted = seen(false);
  assert.equal(step.lines.length, ids.length * 4);
  assert.deepEqual(step.lines, emitted.lines);
  assert.deepEqual(step.events, emitted.events);
  assert.ok(step.direct.every(Boolean), 'each line is JSON.stringify of the event its listeners got');
});

test('emitTaskStep builds no object for listeners of other types', () => {
  const stream = new EventStream('r');
  const taken: RunEvent[] = [];
  const lines: string[] = [];
  stream.onEvent((e) => taken.push(e), ['task-done']);
  stream.onLine((l) => lines.push(l));
  stream.emitTaskStep('task-pending', 'A()', '"A()"');
  stream.emitTaskStep('task-running', 'A()', '"A()"', 1);
  stream.emitTaskStep('task-done', 'A()', '"A()"', 1, 5);
  assert.equal(lines.length, 3);
  assert.deepEqual(
    taken.map((e) => [e.type, e.seq]),
    [['task-done', 2]],
  );
});

test("a line's time is its own event's when the clock moves between events (the time's text is kept per millisecond)", () => {
  const { stream, events, lines } = recording('20261129T000000000Z-t');
  const emitBoth = () => {
    stream.emitTaskStep('task-running', 'A()', '"A()"', 1);
    stream.emit({ type: 'task-pending', taskId: 'B()' });
  };
  emitBoth();
  const first = Date.now();
  while (Date.now() === first); // the next millisecond
  emitBoth();
  emitBoth();
  assert.equal(lines.length, 6);
  assert.deepEqual(
    lines,
    events.map((e) => JSON.stringify(e)),
  );
  assert.ok(events[0]!.time < events[5]!.time, 'the clock moved between the first and last events');
});
