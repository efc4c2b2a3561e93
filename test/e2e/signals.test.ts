// The suite must never leave code-server or Chromium behind, also when its process is interrupted
// (Ctrl+C) or terminated (CI's timeout): a process holding both, as the suite does, gets the signal
// and every process it started must be gone shortly after.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { projectRoot } from './harness/paths';
import { processes, processTree, stillAlive } from './harness/processes';

const holder = path.join(projectRoot, 'test', 'e2e', 'harness', 'holdTools.ts');

describe('code-server and Chromium end with the process that started them', { timeout: 3 * 60_000 }, () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`on ${signal}`, { timeout: 90_000 }, async () => {
      const child = spawn(process.execPath, ['--import', 'tsx', holder], {
        cwd: projectRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      try {
        const deadline = Date.now() + 60_000;
        while (!/ready \d+/.test(output)) {
          assert.ok(child.exitCode === null, `the holder exited early:\n${output}`);
          assert.ok(Date.now() < deadline, `the holder never got ready:\n${output}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        const serverPid = Number(/ready (\d+)/.exec(output)![1]);
        const started = processTree(child.pid!);
        const all = processes();
        assert.ok(started.includes(serverPid), 'code-server runs under the holder');
        assert.ok(
          started.some((pid) => /chromium/.test(all.get(pid)?.command ?? '')),
          'Chromium runs under the holder',
        );
        // Everything in code-server's group too (helpers a dying parent may have re-parented).
        const group = [...all].filter(([, p]) => p.group === serverPid).map(([pid]) => pid);
        child.kill(signal);
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000).unref())]);
        const left = await stillAlive([...new Set([...started, ...group])], 10_000);
        const live = processes();
        assert.deepEqual(
          left.map((pid) => `${pid} ${live.get(pid)?.command.slice(0, 120)}`),
          [],
          `left running after ${signal}`,
        );
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    });
  }
});
