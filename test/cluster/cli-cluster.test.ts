// runtime/src/cli-cluster.ts: the CLI loads plumb-cluster only when a cluster is asked for; without
// it, a usage error that says what to install, and local runs never need it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { buildRuntimeCli } from '../../scripts/build.mjs';

test(
  'without plumb-cluster installed, worker, queue and run --cluster say to install it (exit 2)',
  { timeout: 90_000 },
  (t) => {
    // Outside the repository: nothing resolves plumb-cluster from there.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'plumb-no-cluster-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const cli = buildRuntimeCli(path.join(dir, 'cli'));
    writeFileSync(path.join(dir, 'p.js'), 'module.exports = {};\n');
    for (const args of [
      ['worker', '--redis', 'redis://127.0.0.1:1'],
      ['queue', 'stats'],
      ['run', 'p.js', 'A', '--cluster', 'redis://127.0.0.1:1'],
    ]) {
      const r = spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /needs the plumb-cluster package: npm install plumb-cluster/);
    }
  },
);
