import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { RunEvent } from '../../runtime/src/events';
import { chooseRunToShow, runToShow } from '../../client/src/runToShow';
import { emptySummary, eventStream } from './support/eventStream';

let project: string;
let runs: string;

/** A run log as the runtime leaves it; `finished` false is a run the reload killed mid-way. */
async function writeRun(runId: string, start: number, finished: boolean): Promise<void> {
  const ev = eventStream(runId, start);
  const events: RunEvent[] = [
    ev({
      type: 'run-started',
      root: 'Weekly_Summary(date=2026-11-02)',
      family: 'Weekly_Summary',
      params: {},
      module: 'pipeline.ts',
      cwd: project,
      pid: 1,
      workers: 1,
      unit: false,
      config: {},
      runtimeVersion: '0',
    }),
  ];
  if (finished)
    events.push(
      ev({ type: 'run-finished', outcome: 'success', exitCode: 0, durationMs: 5, summary: emptySummary }),
    );
  const file = path.join(runs, `${runId}.jsonl`);
  await writeFile(file, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  await utimes(file, start / 1000, start / 1000);
}

before(async () => {
  project = await mkdtemp(path.join(os.tmpdir(), 'plumb-run-to-show-'));
  runs = path.join(project, '.plumb', 'runs');
  await mkdir(runs, { recursive: true });
});

after(async () => {
  await rm(project, { recursive: true, force: true });
});

test('a view with no run of this session says "No run yet" only while no run log exists', async () => {
  assert.deepEqual(await runToShow([runs], false, undefined), { kind: 'none' });
  // The restored view's own saved state plays no part: VS Code may have saved it before the run.
  await writeRun('run-a', Date.UTC(2026, 10, 2, 9, 0), true);
  assert.deepEqual(await runToShow([runs], false, undefined), {
    kind: 'past',
    runId: 'run-a',
    opened: false,
  });
});

test('after a reload the view shows the newest run on disk, one the reload cut short too', async () => {
  await writeRun('run-b', Date.UTC(2026, 10, 2, 9, 5), false);
  assert.deepEqual(await runToShow([runs], false, null), { kind: 'past', runId: 'run-b', opened: false });
});

test('a past run the person opened stays on show across a reload while its log exists', async () => {
  assert.deepEqual(await runToShow([runs], false, 'run-a'), { kind: 'past', runId: 'run-a', opened: true });
  assert.deepEqual(await runToShow([runs], false, 'run-gone'), {
    kind: 'past',
    runId: 'run-b',
    opened: false,
  });
});

test('a run of this session is newer than every log: the view follows it', () => {
  assert.deepEqual(chooseRunToShow({ sessionRun: true, opened: 'run-a', onDisk: ['run-b', 'run-a'] }), {
    kind: 'live',
  });
});
