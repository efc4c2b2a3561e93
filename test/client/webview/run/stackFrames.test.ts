import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stackFrames } from '../../../../client/webview/src/run/stackFrames';

test("stackFrames marks the runtime's and Node's frames, keeps the task's own", () => {
  const stack = [
    'Error: the exploding task failed on purpose',
    '    at Explode.run (/w/broken/failing.ts:10:11)',
    '    at /ext/dist/runtime/cli.js:2315:48',
    '    at AsyncLocalStorage.run (node:async_hooks:346:14)',
    '    at helper (/w/broken/lib/helper.ts:3:9)',
    '    at runAttempt (/w/node_modules/plumb-pipelines/dist/cli.js:1:1)',
    '    at process.processImmediate (node:internal/timers:483:21)',
  ].join('\n');
  const frames = stackFrames(stack);
  assert.equal(frames.length, 6, 'the message lines are not frames');
  assert.deepEqual(
    frames.filter((f) => !f.internal).map((f) => f.text),
    ['at Explode.run (/w/broken/failing.ts:10:11)', 'at helper (/w/broken/lib/helper.ts:3:9)'],
  );
  assert.deepEqual(stackFrames('Error: no frames'), []);
});
