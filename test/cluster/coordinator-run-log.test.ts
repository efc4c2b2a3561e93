// cluster/src/coordinator.ts storedRunLogFile: a resumed run's log is rewritten where its scheduler
// wrote it: the project's .plumb/runs, or the test area's for a test-mode run (its own history).
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { storedRunLogFile } from '../../cluster/src/coordinator';

const finished = JSON.stringify({ type: 'run-finished', summary: { projectRoot: '/p' } });

test('a production run: the project’s .plumb/runs', () => {
  const lines = [JSON.stringify({ v: 2, type: 'run-started', runId: 'r1' }), finished];
  assert.equal(storedRunLogFile(lines, 'r1'), path.join('/p', '.plumb', 'runs', 'r1.jsonl'));
});

test('a test-mode run: the test area’s .plumb/runs, which run-started names', () => {
  const started = JSON.stringify({ v: 2, type: 'run-started', runId: 'r1', testArea: '/p/.plumb/test-area' });
  assert.equal(
    storedRunLogFile([started, finished], 'r1'),
    path.join('/p', '.plumb', 'test-area', '.plumb', 'runs', 'r1.jsonl'),
  );
});

test('no summary yet: nowhere', () => {
  assert.equal(storedRunLogFile([JSON.stringify({ type: 'run-started' })], 'r1'), undefined);
});
