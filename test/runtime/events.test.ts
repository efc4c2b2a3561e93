import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EVENT_SCHEMA_VERSION, parseEventLine } from '../../runtime/src/events';

test('parseEventLine reads a versioned event and ignores other lines', () => {
  const line = JSON.stringify({
    v: EVENT_SCHEMA_VERSION,
    runId: 'r1',
    seq: 0,
    time: 1,
    type: 'task-pending',
    taskId: 'A()',
  });
  assert.equal(parseEventLine(line)?.type, 'task-pending');
  assert.equal(parseEventLine('plumb: starting'), undefined);
  assert.equal(parseEventLine('{not json'), undefined);
  assert.equal(parseEventLine('{"type":"x"}'), undefined);
});
