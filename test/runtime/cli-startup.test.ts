// What `plumb run` loads at start-up: the built-ins a run of in-process tasks never uses (process
// spawning, threads, fs/promises, crypto) stay unloaded until something asks for them (cli.ts,
// builtins-on-demand.ts, cli-isolate-on-demand.ts, sha1.ts).
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { runCli, workspace } from './support/cli';

const probe = path.join(__dirname, 'support', 'builtins-probe.cjs');

function builtinsOf(stderr: string): string[] {
  // The last line: the run's own (an isolated task's process prints one too, before it).
  return [...stderr.matchAll(/^@@builtins (.*)$/gm)].at(-1)?.[1]?.split(',') ?? [];
}

test('plumb run of in-process tasks loads neither child_process, worker_threads, fs/promises nor crypto', () => {
  const ws = workspace('pipelines');
  // The first run transpiles the pipeline (esbuild, which loads all of them); later runs hit the cache.
  assert.equal(runCli(ws, ['run', 'pipeline.ts', 'Chain', '--length', '2', '--quiet']).code, 0);
  const r = runCli(ws, ['run', 'pipeline.ts', 'Chain', '--length', '3', '--quiet'], {
    NODE_OPTIONS: `--require ${probe}`,
  });
  assert.equal(r.code, 0, r.stderr);
  const loaded = builtinsOf(r.stderr);
  assert.ok(loaded.includes('fs'), 'the probe saw the run');
  for (const name of ['child_process', 'worker_threads', 'fs/promises', 'crypto'])
    assert.ok(!loaded.includes(name), `${name} was loaded: ${loaded.join(', ')}`);
});

test('--events jsonl starts its writer thread, and an isolated task its pool, when asked for', () => {
  const ws = workspace('pipelines');
  const r = runCli(ws, ['run', 'pipeline.ts', 'Chain', '--length', '2', '--events', 'jsonl'], {
    NODE_OPTIONS: `--require ${probe}`,
  });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(builtinsOf(r.stderr).includes('worker_threads'));
  assert.ok(r.events.some((e) => e.type === 'run-finished'));
  const isolated = runCli(ws, ['run', 'pipeline.ts', 'Isolated', '--word', 'hello', '--quiet'], {
    NODE_OPTIONS: `--require ${probe}`,
  });
  assert.equal(isolated.code, 0, isolated.stderr);
  assert.ok(builtinsOf(isolated.stderr).includes('child_process'));
});
