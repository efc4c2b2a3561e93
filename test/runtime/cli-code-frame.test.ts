// Code frames and the user's own stack frames for pipelines that do not load.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codeFrame, userFrames } from '../../runtime/src/cli-code-frame';

test('a code frame: the lines around, a marker on the line, a caret under the column (tabs kept)', () => {
  const text = ['one', 'two', '\tthree = = 3', 'four', 'five', 'six'].join('\n');
  assert.equal(
    codeFrame(text, 3, 10),
    ['  1 | one', '  2 | two', '> 3 | \tthree = = 3', '    | \t        ^', '  4 | four', '  5 | five'].join(
      '\n',
    ),
  );
  assert.equal(codeFrame('only', 1, 1), '> 1 | only\n    | ^');
});

test("user frames drop Node's internals and the runtime's files", () => {
  const stack = [
    'Error: boom',
    '    at readSettings (/ws/helper.ts:4:9)',
    '    at Module._compile (node:internal/modules/cjs/loader:1521:14)',
    '    at Object.<anonymous> (/ws/node_modules/plumb-pipelines/dist/cli.js:10:3)',
    '    at /ws/pipeline.ts:3:1',
  ].join('\n');
  const frames = userFrames(stack, (f) => f.includes('/node_modules/plumb-pipelines/'));
  assert.deepEqual(
    frames.map((f) => f.at),
    [
      { file: '/ws/helper.ts', line: 4, column: 9 },
      { file: '/ws/pipeline.ts', line: 3, column: 1 },
    ],
  );
});
