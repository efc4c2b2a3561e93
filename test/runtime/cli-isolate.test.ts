// Isolated attempts through the real CLI: results are never lost under load, process trees die with
// their task, and nothing outlives its run.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { EXIT_CODES } from '../../runtime/src/events';
import { runCli, workspace } from './support/cli';
import { assertGone } from './support/processes';

test('48 isolated tasks finishing together: every result is read, none "ended without a result"', () => {
  const ws = workspace('pipelines');
  for (let round = 0; round < 2; round++) {
    const r = runCli(ws, ['run', 'processes.ts', 'Burst', '--workers', '48', '--events', 'jsonl']);
    const failures = r.events.flatMap((e) => (e.type === 'task-failed' ? [e.error.message] : []));
    assert.deepEqual(failures, [], `round ${round}`);
    assert.equal(r.code, 0, r.stderr);
    const pids = r.events.flatMap((e) => (e.type === 'task-running' && e.pid ? [e.pid] : []));
    assert.equal(pids.length, round === 0 ? 48 : 0);
    assertGone(pids);
    for (let i = 0; i < 48; i++) {
      assert.match(
        readFileSync(path.join(ws, `out/burst_${i}.txt`), 'utf8'),
        new RegExp(`^part ${i} from \\d+\\n$`),
      );
    }
  }
  assert.equal(EXIT_CODES.success, 0);
});
