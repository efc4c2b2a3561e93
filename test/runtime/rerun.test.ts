// plumb rerun against the real CLI: the affected set (downstream in a date window, upstream, failed),
// --list changing nothing, outputs replaced on success, put back after a failure, Ctrl-C or SIGKILL.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { finished, runCli, startCli, waitForOutput, workspace } from './support/cli';

const WEEK = ['Summary', '--dates', '2026-11-01-2026-11-03'];

/** Every file under dir (outside .plumb) with its content: what a rerun must never lose. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = path.join(d, name);
      if (name === '.plumb') continue;
      if (statSync(full).isDirectory()) walk(full);
      else out[path.relative(dir, full)] = readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return out;
}

/** A workspace whose whole week ran once (GEN=1). */
function ranOnce(): string {
  const dir = workspace('rerun');
  const r = runCli(dir, ['run', 'pipeline.ts', ...WEEK]);
  assert.equal(r.code, 0, r.stderr);
  return dir;
}

function listJson(dir: string, args: string[]) {
  const r = runCli(dir, ['rerun', 'pipeline.ts', ...args, '--list', '--json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as {
    tasks: { id: string; outputs: string[] }[];
    outputs: { taskId: string; path: string }[];
    counts: { tasks: number; outputs: number };
  };
}

function asideDirs(dir: string): string[] {
  const root = path.join(dir, '.plumb', 'rerun');
  return existsSync(root) ? readdirSync(root) : [];
}

test('downstream of Clean within a date window: those days of Clean, their reports and the summary; --list changes nothing', () => {
  const dir = ranOnce();
  const before = tree(dir);
  const set = listJson(dir, [
    ...WEEK,
    '--downstream',
    '--from',
    'Clean',
    '--since',
    '2026-11-02',
    '--until',
    '2026-11-03',
  ]);
  assert.deepEqual(set.tasks.map((t) => t.id).sort(), [
    'Clean(date=2026-11-02)',
    'Clean(date=2026-11-03)',
    'Report(date=2026-11-02)',
    'Report(date=2026-11-03)',
    'Summary(dates=2026-11-01-2026-11-03)',
  ]);
  assert.equal(set.counts.outputs, 5);
  assert.ok(set.outputs.some((o) => o.path.endsWith(path.join('out', 'summary', '2026-11-01-2026-11-03'))));
  assert.deepEqual(tree(dir), before);
  assert.deepEqual(asideDirs(dir), []);
});

test('upstream of a report: the report, its clean day and the lookup, never the external data', () => {
  const dir = ranOnce();
  const set = listJson(dir, ['Report', '--date', '2026-11-01', '--upstream']);
  assert.deepEqual(set.tasks.map((t) => t.id).sort(), [
    'Clean(date=2026-11-01)',
    'Lookup()',
    'Report(date=2026-11-01)',
  ]);
});

test('a root whose date is not given runs for each day of the window', () => {
  const dir = ranOnce();
  const set = listJson(dir, ['Report', '--upstream', '--since', '2026-11-02', '--until', '2026-11-03']);
  assert.deepEqual(
    set.tasks
      .map((t) => t.id)
      .filter((id) => id.startsWith('Report'))
      .sort(),
    ['Report(date=2026-11-02)', 'Report(date=2026-11-03)'],
  );
});

test('a rerun that succeeds replaces the affected outputs and nothing else, and keeps no copies', () => {
  const dir = ranOnce();
  const r = runCli(
    dir,
    ['rerun', 'pipeline.ts', ...WEEK, '--downstream', '--from', 'Report(date=2026-11-02)'],
    {
      GEN: '2',
    },
  );
  assert.equal(r.code, 0, r.stderr);
  const after = tree(dir);
  assert.equal(after['out/report/2026-11-02.txt'], 'report 2026-11-02 2\n');
  assert.equal(after['out/summary/2026-11-01-2026-11-03/summary.txt'], 'summary 2026-11-01-2026-11-03 2\n');
  assert.equal(after['out/report/2026-11-01.txt'], 'report 2026-11-01 1\n');
  assert.equal(after['out/clean/2026-11-02.csv'], 'clean 2026-11-02 1\n');
  assert.deepEqual(asideDirs(dir), []);
});

test('a rerun that fails puts back every output it did not produce again', () => {
  const dir = ranOnce();
  const before = tree(dir);
  const r = runCli(
    dir,
    ['rerun', 'pipeline.ts', ...WEEK, '--downstream', '--from', 'Clean', '--events', 'jsonl'],
    {
      GEN: '2',
      FAIL: 'Report',
    },
  );
  assert.equal(r.code, 1, r.stderr);
  const after = tree(dir);
  assert.deepEqual(Object.keys(after).sort(), Object.keys(before).sort());
  // The clean days ran again (new), the reports and the summary are the old ones, back in place.
  assert.equal(after['out/clean/2026-11-02.csv'], 'clean 2026-11-02 2\n');
  assert.equal(after['out/report/2026-11-02.txt'], 'report 2026-11-02 1\n');
  assert.equal(after['out/summary/2026-11-01-2026-11-03/summary.txt'], 'summary 2026-11-01-2026-11-03 1\n');
  const settled = r.events.find((e) => e.type === 'rerun-settled');
  assert.ok(settled && settled.type === 'rerun-settled');
  assert.equal(settled.restored.length, 4);
  assert.equal(settled.replaced.length, 3);
  assert.ok(
    r.events.findIndex((e) => e.type === 'rerun-plan') < r.events.findIndex((e) => e.type === 'run-started'),
  );
  assert.deepEqual(asideDirs(dir), []);
});

test('Ctrl-C during a rerun puts the outputs back (exit 130)', async () => {
  const dir = ranOnce();
  const before = tree(dir);
  const child = startCli(dir, ['rerun', 'pipeline.ts', ...WEEK, '--upstream', '--events', 'jsonl'], {
    GEN: '2',
    SLOW: 'Summary',
  });
  const done = finished(child);
  await waitForOutput(child, (text) => text.includes('Summary waits'));
  assert.equal(existsSync(path.join(dir, 'out/summary/2026-11-01-2026-11-03')), false);
  child.kill('SIGINT');
  const r = await done;
  assert.equal(r.code, 130, r.stderr);
  const after = tree(dir);
  assert.deepEqual(Object.keys(after).sort(), Object.keys(before).sort());
  assert.equal(after['out/summary/2026-11-01-2026-11-03/summary.txt'], 'summary 2026-11-01-2026-11-03 1\n');
  assert.deepEqual(asideDirs(dir), []);
});

test('a rerun killed with SIGKILL is undone by the next plumb command, or by plumb rerun --recover', async () => {
  for (const next of [
    ['list', 'pipeline.ts'],
    ['rerun', '--recover'],
  ]) {
    const dir = ranOnce();
    const before = tree(dir);
    const child = startCli(dir, ['rerun', 'pipeline.ts', ...WEEK, '--upstream', '--events', 'jsonl'], {
      GEN: '2',
      SLOW: 'Summary',
    });
    const done = finished(child);
    await waitForOutput(child, (text) => text.includes('Summary waits'));
    child.kill('SIGKILL');
    await done;
    assert.equal(
      existsSync(path.join(dir, 'out/summary/2026-11-01-2026-11-03')),
      false,
      'moved aside while it ran',
    );
    assert.equal(asideDirs(dir).length, 1);
    const r = runCli(dir, next);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /interrupted rerun .*restored/);
    const after = tree(dir);
    assert.deepEqual(Object.keys(after).sort(), Object.keys(before).sort(), next.join(' '));
    assert.equal(after['out/summary/2026-11-01-2026-11-03/summary.txt'], 'summary 2026-11-01-2026-11-03 1\n');
    assert.deepEqual(asideDirs(dir), []);
  }
});

test('--failed: the tasks whose last run failed and what depends on them', () => {
  const dir = workspace('rerun');
  const r = runCli(dir, ['run', 'pipeline.ts', ...WEEK], { FAIL: 'Report' });
  assert.equal(r.code, 1);
  const set = listJson(dir, [...WEEK, '--failed', '--since', '2026-11-03', '--until', '2026-11-03']);
  assert.deepEqual(set.tasks.map((t) => t.id).sort(), [
    'Report(date=2026-11-03)',
    'Summary(dates=2026-11-01-2026-11-03)',
  ]);
  const again = runCli(dir, ['rerun', 'pipeline.ts', ...WEEK, '--failed']);
  assert.equal(again.code, 0, again.stderr);
  assert.ok(existsSync(path.join(dir, 'out/summary/2026-11-01-2026-11-03/summary.txt')));
});

test('usage: a mode is required, --from must be in the graph', () => {
  const dir = ranOnce();
  assert.equal(runCli(dir, ['rerun', 'pipeline.ts', ...WEEK]).code, 2);
  const r = runCli(dir, ['rerun', 'pipeline.ts', ...WEEK, '--downstream', '--from', 'Nope', '--list']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /Nope is not in the graph of Summary/);
});
