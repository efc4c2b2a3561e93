// Runs the bundled runtime CLI (dist/runtime/cli.js, as the extension does) on a copy of a fixture
// pipeline and returns its event stream: real events for the run view's tests.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseEventLine, type RunEvent } from '../../../runtime/src/events';

const root = path.resolve(__dirname, '../../..');
const cli = path.join(root, 'dist/runtime/cli.js');

export function runFixturePipeline(fixture: string, task: string, args: string[] = []): RunEvent[] {
  return runPipelineRuns(path.join(__dirname, 'fixtures', fixture), 'pipeline.ts', task, 1, args)[0]!;
}

/** `plumb backfill` of `family` in a fresh copy of `folder` (`args`: the window): one run, its range task the root. */
export function runBackfillIn(folder: string, family: string, args: string[]): RunEvent[] {
  return runPipelineRuns(folder, 'pipeline.ts', family, 1, args, 'backfill')[0]!;
}

/**
 * Runs `task` of `module` `runs` times in one fresh copy of `folder` (a fixture, or an example of the
 * repository): the second run finds what the first one made. Returns each run's events.
 */
export function runPipelineRuns(
  folder: string,
  module: string,
  task: string,
  runs: number,
  args: string[] = [],
  verb: 'run' | 'backfill' = 'run',
): RunEvent[][] {
  if (!existsSync(cli)) throw new Error('dist/runtime/cli.js is not built: run `npm run build` first');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plumb-webview-run-'));
  try {
    // Outputs and run records of an example tried by hand (both gitignored) would skip the work.
    const leftOver = new Set(['data', '.plumb'].map((name) => path.join(folder, name)));
    cpSync(folder, dir, { recursive: true, filter: (source) => !leftOver.has(source) });
    return Array.from({ length: runs }, () => {
      const result = spawnSync(process.execPath, [cli, verb, module, task, '--events', 'jsonl', ...args], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 60_000,
        // A 2,000-task run's event stream is several MB: spawnSync's 1 MB default cut it off.
        maxBuffer: 256 * 1024 * 1024,
      });
      const events = result.stdout
        .split('\n')
        .map(parseEventLine)
        .filter((e): e is RunEvent => e !== undefined);
      if (!events.some((e) => e.type === 'run-finished')) {
        throw new Error(
          `the run did not finish (exit ${result.status}${result.error ? `, ${result.error.message}` : ''}): ${result.stderr}`,
        );
      }
      return events;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
