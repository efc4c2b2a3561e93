// create-plumb-pipelines as `npm create plumb-pipelines [dir]` runs it: npm turns that into
// `npm exec create-plumb-pipelines [dir]`, which installs the package with its dependency
// plumb-pipelines and runs its one bin. Neither is on the registry yet, so both come packed from
// here (`npm pack`) and `npx --package` installs them the way npm exec does, in an empty folder
// outside the repository.
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

const repo = path.resolve(__dirname, '..', '..');
let scratch = '';
let runtimeTarball = '';
let createTarball = '';
let createFiles: string[] = [];

// The outer `npm test` leaves npm_* variables that would steer the inner npm; a user's shell has none.
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));

function sh(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 120_000 });
}

function pack(folder: string): { file: string; files: string[] } {
  const packed = sh('npm', ['pack', '--json', '--pack-destination', scratch], path.join(repo, folder));
  assert.equal(packed.status, 0, `npm pack in ${folder}\n${packed.stdout}\n${packed.stderr}`);
  const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
  return { file: path.join(scratch, info!.filename), files: info!.files.map((f) => f.path) };
}

/** An empty folder holding only the two tarballs, as a user's folder before `npm create`. */
function emptyFolder(name: string): string {
  const dir = path.join(scratch, name);
  mkdirSync(dir);
  for (const tarball of [runtimeTarball, createTarball])
    cpSync(tarball, path.join(dir, path.basename(tarball)));
  return dir;
}

/** What `npm create plumb-pipelines <args>` runs once both packages are published. */
function npmCreate(dir: string, args: string[]): SpawnSyncReturns<string> {
  return sh(
    'npx',
    [
      '--yes',
      '--package',
      `./${path.basename(runtimeTarball)}`,
      '--package',
      `./${path.basename(createTarball)}`,
      'create-plumb-pipelines',
      ...args,
    ],
    dir,
  );
}

before(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'plumb-create-'));
  assert.ok(path.relative(repo, scratch).startsWith('..'), 'the folders live outside the repository');
  runtimeTarball = pack('runtime').file;
  const create = pack('create');
  createTarball = create.file;
  createFiles = create.files;
});

after(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test('the package: one bin, what it packs, and the plumb-pipelines it runs is the one of its version', () => {
  const manifest = JSON.parse(readFileSync(path.join(repo, 'create', 'package.json'), 'utf8')) as {
    name: string;
    version: string;
    bin: Record<string, string>;
    dependencies: Record<string, string>;
    repository: { url: string; directory: string };
  };
  const runtime = JSON.parse(readFileSync(path.join(repo, 'runtime', 'package.json'), 'utf8')) as {
    version: string;
    repository: { url: string };
  };
  // npm create <x> runs the package create-<x>, whose bin of that name npm exec picks.
  assert.equal(manifest.name, 'create-plumb-pipelines');
  assert.deepEqual(Object.keys(manifest.bin), ['create-plumb-pipelines']);
  assert.deepEqual(createFiles.sort(), ['index.mjs', 'package.json', 'README.md'].sort());
  // Released together: the project it writes depends on ^<runtime version>, the one it runs.
  assert.equal(manifest.version, runtime.version);
  assert.deepEqual(manifest.dependencies, { 'plumb-pipelines': `^${runtime.version}` });
  assert.equal(manifest.repository.url, runtime.repository.url);
  assert.equal(manifest.repository.directory, 'create');
});

test('npm create plumb-pipelines <dir>: writes the project plumb init writes, with the same next steps', () => {
  const dir = emptyFolder('create');
  const created = npmCreate(dir, ['sales']);
  assert.equal(created.status, 0, `${created.stdout}\n${created.stderr}`);
  const made = path.join(dir, 'sales');
  assert.deepEqual(readdirSync(made).sort(), [
    '.gitignore',
    'README.md',
    'generate-data.mjs',
    'input',
    'package.json',
    'pipeline.ts',
    'plumb.toml',
    'tsconfig.json',
  ]);
  assert.match(
    created.stdout,
    /Next steps:\n {2}cd sales\n {2}npm install\n {2}npx plumb run pipeline\.ts All\n/,
  );

  // The same files, byte for byte, as plumb init of the same package writes.
  const init = sh(
    'npx',
    ['--yes', '--package', `./${path.basename(runtimeTarball)}`, 'plumb', 'init', 'sales-by-init'],
    dir,
  );
  assert.equal(init.status, 0, init.stderr);
  for (const file of ['pipeline.ts', 'plumb.toml', 'tsconfig.json', '.gitignore', 'generate-data.mjs'])
    assert.equal(
      readFileSync(path.join(made, file), 'utf8'),
      readFileSync(path.join(dir, 'sales-by-init', file), 'utf8'),
      file,
    );

  // Its exit codes are plumb init's: an existing project is refused (2), nothing changed.
  writeFileSync(path.join(made, 'pipeline.ts'), '// mine\n');
  const again = npmCreate(dir, ['sales']);
  assert.equal(again.status, 2, again.stderr);
  assert.match(again.stderr, /never overwrites/);
  assert.equal(readFileSync(path.join(made, 'pipeline.ts'), 'utf8'), '// mine\n');
  const help = npmCreate(dir, ['--help']);
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /usage: plumb init \[dir\][\s\S]*exit codes: 0 /);
});

test('npm create plumb-pipelines without a folder writes into the current one (as npm init does)', () => {
  const dir = emptyFolder('here');
  const created = npmCreate(dir, []);
  assert.equal(created.status, 0, created.stderr);
  assert.ok(existsSync(path.join(dir, 'pipeline.ts')));
  assert.doesNotMatch(created.stdout, /\bcd\b/, 'no cd step when the project is here');
});
