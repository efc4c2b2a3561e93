// The scheduler after a failure: an analysis or a publication that throws is tried again, from a
// fresh read of the workspace, so no stale diagnostics stay until the next edit; idle costs nothing.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { it } from 'node:test';
import type { AnalysisResult } from '../../server/src/analysis/analysisResult';
import { WorkspaceAnalysis } from '../../server/src/analysis/workspaceAnalysis';
import { AnalysisScheduler } from '../../server/src/analysisScheduler';

const task = (name: string) =>
  `import { LocalTarget, Task } from 'plumb-pipelines';\n` +
  `export class ${name} extends Task {\n  output() { return new LocalTarget('out/${name}.txt'); }\n}\n`;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A workspace with a.ts, scanned; `failFirst` makes its first analysis throw (an injected fault). */
function workspace(failFirst: boolean) {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-scheduler-')));
  fs.writeFileSync(path.join(root, 'a.ts'), task('A'));
  const analysis = new WorkspaceAnalysis([root]);
  analysis.scan();
  const analyse = analysis.analyse.bind(analysis);
  let calls = 0;
  analysis.analyse = () => {
    if (++calls === 1 && failFirst) throw new Error('injected fault');
    return analyse();
  };
  return {
    root,
    analysis,
    calls: () => calls,
    dispose: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

const familiesOf = (result: AnalysisResult | undefined) => result?.families.map((f) => f.family).sort();

it('tries a failed analysis again from a fresh read of the workspace, then stays idle', async () => {
  const { root, analysis, calls, dispose } = workspace(true);
  const published: AnalysisResult[] = [];
  const told: unknown[] = [];
  const scheduler = new AnalysisScheduler(
    analysis,
    { published: (r) => void published.push(r), failing: (f) => void told.push(f) },
    5,
    () => {},
    [30, 60],
  );
  try {
    // b.ts lands with no event (a watcher missed it): only a fresh read finds it.
    fs.writeFileSync(path.join(root, 'b.ts'), task('B'));
    scheduler.changed();
    for (let i = 0; i < 50 && published.length === 0; i++) await pause(20);
    assert.deepEqual(familiesOf(published.at(-1)), ['A', 'B']);
    const after = calls();
    await pause(200);
    assert.equal(calls(), after, 'no analysis runs while idle');
    assert.equal(published.length, 1);
    assert.deepEqual(told, [], 'a failure its retry mends is not shown to the user');
  } finally {
    scheduler.dispose();
    dispose();
  }
});

it('publishes again when a publication failed', async () => {
  const { analysis, dispose } = workspace(false);
  const attempts: AnalysisResult[] = [];
  const listener = {
    published: (r: AnalysisResult) => {
      attempts.push(r);
      if (attempts.length === 1) throw new Error('the connection failed');
    },
  };
  const scheduler = new AnalysisScheduler(analysis, listener, 5, () => {}, [30, 60]);
  try {
    scheduler.changed();
    for (let i = 0; i < 50 && attempts.length < 2; i++) await pause(20);
    assert.equal(attempts.length, 2);
    assert.deepEqual(familiesOf(attempts[1]), ['A']);
    await pause(200);
    assert.equal(attempts.length, 2, 'nothing more once it succeeded');
  } finally {
    scheduler.dispose();
    dispose();
  }
});
