// The extension for every platform: each platform's esbuild (from the registry's @esbuild/<platform>
// packages) is a binary built for that platform, and a .vsix made for another platform than this
// one carries exactly that binary. (`npm run package -- --all-platforms` makes all five, ~75 s here;
// this packs one and checks the checker.)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import {
  TARGETS,
  checkVsix,
  esbuildPlatformPackage,
  hostTarget,
  platformVsixPath,
} from '../../scripts/package.mjs';
import { binaryPlatform, esbuildBinaryPath } from '../../scripts/vsix-contents.mjs';

const repo = path.resolve(__dirname, '..', '..');

test('every platform VS Code users have gets its own esbuild binary, built for it', () => {
  assert.deepEqual(TARGETS, ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64']);
  for (const target of TARGETS) {
    const binary = path.join(esbuildPlatformPackage(target), esbuildBinaryPath(target));
    assert.equal(binaryPlatform(readFileSync(binary)), target, binary);
  }
  assert.equal(binaryPlatform(readFileSync(path.join(repo, 'package.json'))), undefined, 'not a binary');
});

test("a .vsix for another platform holds that platform's esbuild and nothing of this one's", () => {
  const target = hostTarget === 'linux-arm64' ? 'linux-x64' : 'linux-arm64';
  const built = existsSync(path.join(repo, 'dist', 'client', 'extension.js'));
  const result = spawnSync(
    process.execPath,
    ['scripts/package.mjs', '--target', target, ...(built ? ['--no-build'] : [])],
    { cwd: repo, encoding: 'utf8', timeout: 300_000 },
  );
  assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
  const vsix = platformVsixPath(target);
  assert.deepEqual(checkVsix(vsix, target), []);
  // The same archive is wrong for any other platform, and the check says why.
  const other = TARGETS.find((t) => t !== target)!;
  assert.match(checkVsix(vsix, other).join('\n'), /esbuild binaries .*expected only .*@esbuild\/.*/);
  assert.match(checkVsix(vsix, other).join('\n'), new RegExp(`does not target ${other}`));
});
