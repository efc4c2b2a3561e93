// Breakpoints in a pipeline's .ts bind and hit under a debugger: the CLI transpiles with inline
// source maps naming the .ts file. A preloaded inspector client plays the part of VS Code's js-debug.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { cli, lineContaining, workspace } from './support/cli';

test('a breakpoint on a line of run() in the .ts pipeline pauses there', () => {
  const ws = workspace('pipelines');
  const file = path.join(ws, 'pipeline.ts');
  const line = lineContaining(file, "throw new Error('boom");
  const out = path.join(ws, 'probe.json');
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      pathToFileURL(path.join(__dirname, 'support/breakpoint-probe.mjs')).href,
      cli(),
      'run',
      'pipeline.ts',
      'Fails',
    ],
    {
      cwd: ws,
      encoding: 'utf8',
      env: {
        ...process.env,
        NO_COLOR: '1',
        PLUMB_PROBE_FILE: file,
        PLUMB_PROBE_LINE: String(line),
        PLUMB_PROBE_OUT: out,
      },
    },
  );
  assert.equal(r.status, 1, r.stderr);
  const findings = JSON.parse(readFileSync(out, 'utf8')) as {
    scriptUrl: string;
    sources: string[];
    breakpointSet: boolean;
    pausedAt: { functionName: string; originalSource: string; originalLine: number } | null;
  };
  assert.equal(findings.scriptUrl, `file://${file}`);
  assert.deepEqual(findings.sources, [file]);
  assert.equal(findings.breakpointSet, true);
  assert.deepEqual(findings.pausedAt, { functionName: 'run', originalSource: file, originalLine: line });
});
