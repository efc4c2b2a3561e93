// Concurrency keys through the real CLI: --lock wait waits for the key's holder, and a key whose
// holder died never counts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { finished, runCli, startCli, workspace } from '../support/cli';

function project(): string {
  const dir = workspace('schedules');
  writeFileSync(path.join(dir, 'plumb.toml'), '[tasks.Report]\nconcurrency_key = "customer-{customer}"\n');
  return dir;
}

test('--lock wait: a run whose key is held says so and waits, then runs', async () => {
  const dir = project();
  const gate = path.join(dir, 'gate');
  const held = startCli(dir, [
    'run',
    'pipeline.ts',
    'Report',
    '--customer',
    'acme',
    '--day',
    '2026-11-01',
    '--gate',
    gate,
  ]);
  const heldDone = finished(held);
  const locks = path.join(dir, '.plumb', 'locks');
  for (
    let i = 0;
    i < 500 && !(existsSync(locks) && readdirSync(locks).some((n) => n.startsWith('key-')));
    i++
  )
    await new Promise((r) => setTimeout(r, 20));
  const waiter = startCli(dir, [
    'run',
    'pipeline.ts',
    'Report',
    '--customer',
    'acme',
    '--day',
    '2026-11-02',
    '--lock',
    'wait',
  ]);
  let stderr = '';
  waiter.stderr!.on('data', (d: Buffer) => (stderr += String(d)));
  const waiterDone = finished(waiter);
  for (let i = 0; i < 1000 && !stderr.includes('waiting'); i++) await new Promise((r) => setTimeout(r, 20));
  assert.match(
    stderr,
    /concurrency key 'customer-acme' is held by a run of Report\(customer=acme, day=2026-11-01\) \(pid \d+, since [^)]+\); waiting/,
  );
  assert.ok(!existsSync(path.join(dir, 'out', 'acme_2026-11-02.txt')), 'it waits');
  writeFileSync(gate, '');
  assert.equal((await heldDone).code, 0);
  assert.equal((await waiterDone).code, 0);
  assert.ok(existsSync(path.join(dir, 'out', 'acme_2026-11-02.txt')));
});

test('a key whose holder died never counts', () => {
  const dir = project();
  const dead = spawnSync(process.execPath, ['-e', '']).pid!;
  const hash = createHash('sha1').update('concurrency-key\ncustomer-acme').digest('hex').slice(0, 16);
  const locks = path.join(realpathSync(dir), '.plumb', 'locks');
  mkdirSync(locks, { recursive: true });
  writeFileSync(
    path.join(locks, `key-${hash}.lock`),
    JSON.stringify({ pid: dead, root: 'Report(customer=acme, day=2026-10-01)', since: Date.now() }),
  );
  const r = runCli(dir, ['run', 'pipeline.ts', 'Report', '--customer', 'acme', '--day', '2026-11-02']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.ok(
    !existsSync(path.join(locks, `key-${hash}.lock`)),
    'the stale lock was taken over, then released',
  );
});

test('a key template naming no parameter of the task is an error (exit 2) naming the key and the parameters', () => {
  const dir = project();
  const r = runCli(dir, [
    'run',
    'pipeline.ts',
    'Report',
    '--customer',
    'acme',
    '--day',
    '2026-11-02',
    '--concurrency-key',
    'region-{region}',
  ]);
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    /--concurrency-key region-\{region\}: \{region\} is not a parameter of Report \(it has customer, day\)/,
  );
});
