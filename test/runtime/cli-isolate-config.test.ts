// The isolated-task pool's settings in plumb.toml ([run] isolate_recycle_after, isolate_max_rss_mb,
// which the environment overrides for one run; [tasks.X] isolate_share), and durable writes made
// inside pool members.
import assert from 'node:assert/strict';
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parseConfig } from '../../runtime/src/config';
import { type RunEvent } from '../../runtime/src/events';
import { runCli, workspace } from './support/cli';
import { assertGone } from './support/processes';

const memberPids = (events: RunEvent[]) =>
  events.flatMap((e) => (e.type === 'task-running' && e.pid ? [e.pid] : []));
const attemptsPerMember = (pids: number[]) =>
  [...new Set(pids)].map((pid) => pids.filter((p) => p === pid).length);

test('plumb.toml [run] isolate_recycle_after recycles a member after that many attempts', () => {
  const ws = workspace('processes');
  appendFileSync(path.join(ws, 'plumb.toml'), 'isolate_recycle_after = 3\n');
  const args = ['run', 'pool.ts', 'Probes', '--workers', '1', '--events', 'jsonl'];
  const r = runCli(ws, args);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(attemptsPerMember(memberPids(r.events)), [3, 3]);
  assertGone(memberPids(r.events));
});

test('PLUMB_ISOLATE_RECYCLE_AFTER wins over plumb.toml for one run', () => {
  const ws = workspace('processes');
  appendFileSync(path.join(ws, 'plumb.toml'), 'isolate_recycle_after = 3\n');
  const r = runCli(ws, ['run', 'pool.ts', 'Probes', '--workers', '1', '--events', 'jsonl'], {
    PLUMB_ISOLATE_RECYCLE_AFTER: '2',
  });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(attemptsPerMember(memberPids(r.events)), [2, 2, 2]);
  assertGone(memberPids(r.events));
});

test('plumb.toml [run] isolate_max_rss_mb recycles a member past it', () => {
  const ws = workspace('processes');
  appendFileSync(path.join(ws, 'plumb.toml'), 'isolate_max_rss_mb = 1\n'); // every member is past it
  const r = runCli(ws, ['run', 'pool.ts', 'Probes', '--workers', '1', '--events', 'jsonl']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(new Set(memberPids(r.events)).size, 6);
  assertGone(memberPids(r.events));
});

test('plumb.toml [tasks.X] isolate_share wins over the class: 1 gives each waiter a member of its own', () => {
  const ws = workspace('processes');
  // Waiter declares isolateShare = 4: four of them at once would share one member.
  appendFileSync(path.join(ws, 'plumb.toml'), '\n[tasks.Waiter]\nisolate_share = 1\n');
  const args = [
    'run',
    'shared.ts',
    'Shared',
    '--how',
    'none',
    '--n',
    '4',
    '--workers',
    '4',
    '--events',
    'jsonl',
  ];
  const r = runCli(ws, args);
  assert.equal(r.code, 0, r.stderr);
  const pids = memberPids(r.events);
  assert.equal(pids.length, 4);
  assert.equal(new Set(pids).size, 4, `${new Set(pids).size} members for 4 waiters at once`);
  assertGone(pids);
});

test('plumb.toml [tasks.X] isolate_share must be a whole number ≥ 1', () => {
  assert.equal(parseConfig('[tasks.W]\nisolate_share = 8\n', 'plumb.toml').tasks.W?.isolateShare, 8);
  for (const bad of ['0', '2.5', '"8"'])
    assert.throws(() => parseConfig(`[tasks.W]\nisolate_share = ${bad}\n`, 'plumb.toml'), /isolate_share/);
});

test('--durable: a pool member commits its synchronous writes before it reports the attempt done', () => {
  const ws = workspace('processes');
  const r = runCli(ws, ['run', 'pool.ts', 'Probes', '--workers', '2', '--durable', '--events', 'jsonl']);
  assert.equal(r.code, 0, r.stderr);
  const pids = memberPids(r.events);
  for (let i = 0; i < 6; i++) {
    const pid = Number(readFileSync(path.join(ws, `out/probe_${i}.txt`), 'utf8'));
    assert.ok(pids.includes(pid), `probe ${i} written by a member (${pid})`);
  }
  assert.deepEqual(
    readdirSync(path.join(ws, 'out')).filter((f) => f.endsWith('.plumb-tmp')),
    [],
    'no temp file left',
  );
  assertGone(pids);
});
