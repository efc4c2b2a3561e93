// The CLI's start from a V8 code cache (cli-code-cache.ts): written at the first start's exit, used by
// the next; a corrupt, stale or unwritable cache is only a slower start.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { cli, runCli, workspace } from './support/cli';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'plumb-code-cache-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of the built CLI's two files (its cli-main.js is touched below), and a cache folder of its own. */
function copyOfCli(name: string): { cliJs: string; main: string; cacheHome: string } {
  const dir = path.join(scratch, name);
  const cacheHome = path.join(dir, 'cache');
  mkdirSync(dir);
  for (const file of ['cli.js', 'cli-main.js'])
    copyFileSync(path.join(path.dirname(cli()), file), path.join(dir, file));
  return { cliJs: path.join(dir, 'cli.js'), main: path.join(dir, 'cli-main.js'), cacheHome };
}

function start(cliJs: string, cacheHome: string): { status: number | null; stdout: string; cache: string } {
  const r = spawnSync(process.execPath, [cliJs, '--version'], {
    encoding: 'utf8',
    env: { ...process.env, XDG_CACHE_HOME: cacheHome, NODE_DEBUG: 'plumb' },
  });
  return { status: r.status, stdout: r.stdout, cache: /code cache (\w+)/.exec(r.stderr)?.[1] ?? r.stderr };
}

const cacheFiles = (cacheHome: string) => readdirSync(path.join(cacheHome, 'plumb', 'code-cache'));

test('the second start uses the code cache the first wrote; a corrupt one is compiled anew and written again', () => {
  const { cliJs, cacheHome } = copyOfCli('corrupt');
  assert.deepEqual(start(cliJs, cacheHome), { status: 0, stdout: '0.1.0\n', cache: 'absent' });
  assert.equal(start(cliJs, cacheHome).cache, 'used');
  const [file] = cacheFiles(cacheHome);
  writeFileSync(path.join(cacheHome, 'plumb', 'code-cache', file!), 'not a code cache');
  assert.deepEqual(start(cliJs, cacheHome), { status: 0, stdout: '0.1.0\n', cache: 'rejected' });
  assert.equal(start(cliJs, cacheHome).cache, 'used');
});

test("a changed bundle never meets the old bundle's cache, which is then removed", () => {
  const { cliJs, main, cacheHome } = copyOfCli('changed');
  start(cliJs, cacheHome);
  const [before] = cacheFiles(cacheHome);
  utimesSync(main, new Date(), new Date(Date.now() + 5000)); // a rebuild writes the file anew
  assert.equal(start(cliJs, cacheHome).cache, 'absent');
  const now = cacheFiles(cacheHome);
  assert.equal(now.length, 1);
  assert.notEqual(now[0], before);
});

test('a cache folder that cannot be made leaves the start as it was', () => {
  const { cliJs, cacheHome } = copyOfCli('unwritable');
  writeFileSync(cacheHome, 'a file where the cache folder would go');
  assert.deepEqual(start(cliJs, cacheHome), { status: 0, stdout: '0.1.0\n', cache: 'absent' });
  assert.deepEqual(start(cliJs, cacheHome), { status: 0, stdout: '0.1.0\n', cache: 'absent' });
});

test('a run started from its own cache (source maps on) runs as before', () => {
  const ws = workspace('pipelines');
  const env = { NODE_DEBUG: 'plumb' };
  const args = ['run', 'pipeline.ts', 'Chain', '--length', '2', '--events', 'jsonl'];
  runCli(ws, ['--version'], env); // another command's cache: a run keeps its own
  assert.match(runCli(ws, args, env).stderr, /code cache absent/);
  const r = runCli(ws, args, env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /code cache used/);
  assert.equal(r.events.at(-1)?.type, 'run-finished');
});

test('the CLI bundle is ASCII, so Node reads it as a one-byte string', () => {
  const text = readFileSync(path.join(path.dirname(cli()), 'cli-main.js'), 'latin1');
  const line = text.split('\n').findIndex((l) => /[^\t\r -~]/.test(l));
  assert.equal(line, -1, `cli-main.js line ${line + 1} is not ASCII`);
});
