import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventLineReader } from '../../client/src/eventLineReader';
import { eventStream } from './support/eventStream';

const ev = eventStream('run-1');
const lines = [
  ev({ type: 'task-pending', taskId: 'A()' }),
  ev({ type: 'task-running', taskId: 'A()', attempt: 1 }),
  ev({ type: 'task-log', taskId: 'A()', level: 'info', line: 'ünïcode ✓ line' }),
].map((e) => JSON.stringify(e));

test('events split across chunks at every possible byte come out whole and in order', () => {
  const text = lines.join('\n') + '\n';
  for (let cut = 0; cut <= text.length; cut++) {
    const reader = new EventLineReader();
    const events = [...reader.push(text.slice(0, cut)), ...reader.push(text.slice(cut)), ...reader.end()];
    assert.deepEqual(
      events.map((e) => e.seq),
      [0, 1, 2],
      `cut at ${cut}`,
    );
  }
});

test('a last line without newline counts at the end; CRLF and blank lines are fine', () => {
  const reader = new EventLineReader();
  assert.deepEqual(
    reader.push(`${lines[0]}\r\n\r\n${lines[1]}`).map((e) => e.seq),
    [0],
  );
  assert.deepEqual(
    reader.end().map((e) => e.seq),
    [1],
  );
  assert.deepEqual(reader.end(), []);
});

test('lines that are not events go to the other-output callback, not lost', () => {
  const other: string[] = [];
  const reader = new EventLineReader((line) => other.push(line));
  const events = reader.push(`console.log from user code\n${lines[0]}\n{broken json\n`);
  assert.equal(events.length, 1);
  assert.deepEqual(other, ['console.log from user code', '{broken json']);
});
