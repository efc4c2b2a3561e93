// Permission tests as root: root reads and searches every folder, so a test about a folder that
// cannot be searched proves nothing there (CI runs as root). Such a test runs itself again in a
// child process as the unprivileged user `nobody` (uid 65534), where the permissions hold.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import os from 'node:os';

const NOBODY = 65534;

/** Whether this process is root (where `inChildAsNobody` is needed). */
export const isRoot = process.getuid?.() === 0;

/**
 * Runs the test named `name` in `file` (this test file's path) in a child `node --test` as `nobody`
 * and asserts it ran and passed there. Files the test makes must be readable by that user: the
 * repository and os.tmpdir() are.
 */
export function inChildAsNobody(file: string, name: string): void {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-reporter=tap', `--test-name-pattern=^${escaped}$`, file],
    {
      cwd: process.cwd(),
      uid: NOBODY,
      gid: NOBODY,
      // Without the parent's NODE_TEST_CONTEXT: the child is a test run of its own, not a file of ours.
      env: { ...withoutTestContext(process.env), HOME: os.tmpdir() },
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  const output = `${result.stdout}\n${result.stderr}`;
  assert.equal(result.status, 0, output);
  // The others in the file are skipped by the pattern; this one ran (not skipped) and passed.
  assert.match(output, new RegExp(`^ok \\d+ - ${escaped}$`, 'm'), output);
  assert.match(output, /^# pass 1$/m, output);
}

function withoutTestContext(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  delete copy.NODE_TEST_CONTEXT;
  return copy;
}
