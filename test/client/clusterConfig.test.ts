// "Run on cluster": where the Redis URL comes from (setting, else plumb.toml [cluster] redis), and
// the command line it runs (plumb run … --cluster <url>).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { clusterRedisOf, clusterUrl } from '../../client/src/clusterConfig';
import { runArguments } from '../../client/src/runCommandLine';

test('plumb.toml [cluster] redis, unless the setting names another; nothing without either', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-cluster-config-'));
  try {
    assert.equal(clusterUrl(root, undefined), undefined, 'no plumb.toml');
    fs.writeFileSync(path.join(root, 'plumb.toml'), '[run]\nworkers = 2\n');
    assert.equal(clusterUrl(root, ''), undefined, 'no [cluster]');
    fs.writeFileSync(path.join(root, 'plumb.toml'), '[cluster]\nredis = "redis://127.0.0.1:6380"\n');
    assert.equal(clusterUrl(root, undefined), 'redis://127.0.0.1:6380');
    assert.equal(clusterUrl(root, ' redis://10.0.0.2:6379 '), 'redis://10.0.0.2:6379');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  assert.equal(clusterRedisOf('[cluster\nredis = 1'), undefined, 'a broken file has no cluster');
  assert.equal(clusterRedisOf('[cluster]\nredis = 6379'), undefined, 'not a URL string');
});

test('a cluster run is the same plumb run with --cluster <url>', () => {
  const args = runArguments(
    {
      file: '/p/pipeline.ts',
      family: 'Daily',
      params: { date: '2026-11-01' },
      unit: false,
      cluster: 'redis://h:1',
    },
    { kind: 'stdout' },
  );
  assert.deepEqual(args, [
    'run',
    '/p/pipeline.ts',
    'Daily',
    '--events',
    'jsonl',
    '--cluster',
    'redis://h:1',
    '--param',
    'date=2026-11-01',
    '--no-color',
  ]);
});
