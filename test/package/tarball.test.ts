// plumb-pipelines as a user gets it: `npm pack` in runtime/, then `npm install ./<tarball>` into new
// projects in a temporary folder outside the repository (CommonJS, ES modules, and one made by
// `plumb init`), type-checked with `tsc --strict` and run with `npx plumb`.
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
import { isBuiltin } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { allDiagnostics, analyseFolder, edgeList } from '../server/fixtureWorkspace';

const repo = path.resolve(__dirname, '..', '..');
const fixtures = path.join(__dirname, 'fixtures');
const tsc = path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
let scratch = '';
let tarball = '';
let packedFiles: string[] = [];

// The outer `npm test` leaves npm_* variables (its workspace, its user agent) that would steer the
// inner npm; a user's shell has none of them.
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));

function sh(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 120_000 });
}

function ok(result: SpawnSyncReturns<string>, what: string): string {
  assert.equal(result.status, 0, `${what} exited ${result.status}\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** `npm install ./<tarball>` as a user types it (the npm cache serves esbuild & co. when it can). */
function installTarball(project: string): void {
  const local = path.join(project, path.basename(tarball));
  cpSync(tarball, local);
  ok(
    sh(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        '--loglevel=error',
        `./${path.basename(local)}`,
      ],
      project,
    ),
    `npm install in ${path.basename(project)}`,
  );
}

function project(name: string): string {
  const dir = path.join(scratch, name);
  cpSync(path.join(fixtures, name), dir, { recursive: true });
  return dir;
}

before(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'plumb-package-'));
  assert.ok(path.relative(repo, scratch).startsWith('..'), 'the projects live outside the repository');
  const packed = sh('npm', ['pack', '--json', '--pack-destination', scratch], path.join(repo, 'runtime'));
  const [info] = JSON.parse(ok(packed, 'npm pack')) as { filename: string; files: { path: string }[] }[];
  tarball = path.join(scratch, info!.filename);
  packedFiles = info!.files.map((f) => f.path);
});

after(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test('the tarball holds bundles, declarations and entries, and no TypeScript sources', () => {
  for (const file of [
    'dist/cli.js',
    'dist/cli-main.js',
    'dist/cli-member.js',
    'dist/entry.cjs',
    'dist/entry.mjs',
    'dist/types/index.d.ts',
  ])
    assert.ok(packedFiles.includes(file), `${file} is packed`);
  assert.deepEqual(
    packedFiles.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')),
    [],
    'no raw sources',
  );
  const manifest = JSON.parse(readFileSync(path.join(repo, 'runtime', 'package.json'), 'utf8')) as {
    exports: Record<string, Record<string, string>>;
    bin: Record<string, string>;
    dependencies: Record<string, string>;
  };
  for (const target of Object.values(manifest.exports['.']!))
    assert.ok(packedFiles.includes(target.replace(/^\.\//, '')), `${target} (exports) is packed`);
  assert.deepEqual(Object.keys(manifest.bin), ['plumb']);
  // Every package the shipped bundles require (or the loader's own require) is a declared dependency.
  const required = new Set<string>();
  for (const bundle of ['cli.js', 'cli-main.js', 'cli-member.js', 'index.js']) {
    const code = readFileSync(path.join(repo, 'runtime', 'dist', bundle), 'utf8');
    for (const [, name] of code.matchAll(/\b\w*[rR]equire\("([^"./][^"]*)"\)/g)) {
      if (!isBuiltin(name!)) required.add(name!.startsWith('@') ? name! : name!.split('/')[0]!);
    }
  }
  assert.deepEqual([...required].sort(), ['esbuild'], 'what the bundles leave external');
  // smol-toml and picocolors are bundled in: build inputs (devDependencies), not installed by users.
  assert.deepEqual(Object.keys(manifest.dependencies), ['esbuild']);
});

test('a CommonJS project: tsc --strict (emitting declarations) accepts the pipeline, npx plumb runs it, require() works', () => {
  const dir = project('cjs-project');
  installTarball(dir);
  ok(sh(process.execPath, [tsc, '-p', '.', '--strict'], dir), 'tsc --strict');

  const run = sh('npx', ['--no', 'plumb', 'run', 'pipeline.ts', 'All', '--no-color'], dir);
  ok(run, 'npx plumb run');
  assert.equal(readFileSync(path.join(dir, 'out', 'shout_plumb.txt'), 'utf8'), 'HELLO PLUMB ON 2026-11-01\n');
  const rerun = ok(
    sh('npx', ['--no', 'plumb', 'run', 'pipeline.ts', 'All', '--events', 'jsonl'], dir),
    'rerun',
  );
  assert.doesNotMatch(rerun, /"type":"task-started"/, 'a rerun starts no task');

  const library = ok(sh(process.execPath, ['use-library.cjs'], dir), 'require(plumb-pipelines)');
  assert.equal(library.trim(), 'Day(day=2026-11-02) true true');
});

test('an ES module project: import works, in TypeScript and in a plain .mjs pipeline under the CLI', () => {
  const dir = project('esm-project');
  installTarball(dir);
  ok(sh(process.execPath, [tsc, '-p', '.', '--strict'], dir), 'tsc --strict');

  ok(sh('npx', ['--no', 'plumb', 'run', 'pipeline.ts', 'Doubled', '--no-color'], dir), 'run pipeline.ts');
  assert.equal(readFileSync(path.join(dir, 'out', 'doubled_2.txt'), 'utf8'), '42\n');
  // Node's ES loader resolves this import, not the CLI's require hook: the package's entry must hand
  // it the CLI's own runtime, or Stamp would not be a task to the CLI.
  ok(sh('npx', ['--no', 'plumb', 'run', 'pipeline.mjs', 'Stamp', '--no-color'], dir), 'run pipeline.mjs');
  assert.equal(readFileSync(path.join(dir, 'out', 'stamp_esm.txt'), 'utf8'), 'esm\n');

  const library = ok(sh(process.execPath, ['use-library.mjs'], dir), 'import plumb-pipelines');
  assert.equal(library.trim(), 'Day(day=2026-11-03) true true');
});

test('plumb init: the printed next steps work as written, the editor sees its graph, a rerun is already complete, no overwrite', () => {
  // From an empty folder with only the tarball: `npx plumb-pipelines init` as it will run once the
  // package is on the registry (npx installs it into its cache and runs its one bin, plumb).
  const dir = path.join(scratch, 'empty');
  mkdirSync(dir);
  cpSync(tarball, path.join(dir, path.basename(tarball)));
  const npxInit = (folder: string) =>
    sh('npx', ['--yes', '--package', `./${path.basename(tarball)}`, 'plumb', 'init', folder], dir);
  const init = ok(npxInit('sales'), 'npx plumb-pipelines init');
  const made = path.join(dir, 'sales');
  for (const file of ['package.json', 'tsconfig.json', 'plumb.toml', 'pipeline.ts', '.gitignore'])
    assert.ok(existsSync(path.join(made, file)), `${file} written`);
  assert.ok(readdirSync(path.join(made, 'input')).length > 0, 'sample input written');
  const manifest = JSON.parse(readFileSync(path.join(made, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  assert.match(manifest.dependencies['plumb-pipelines']!, /^\^\d+\.\d+\.\d+$/);
  assert.match(readFileSync(path.join(made, '.gitignore'), 'utf8'), /^\.plumb\/$/m);

  // The steps as printed, run one by one. `npm install` gets the tarball: plumb-pipelines is not on
  // the registry yet (the package.json's ^version is what a published install resolves).
  const steps = init
    .slice(init.indexOf('Next steps:'))
    .split('\n')
    .slice(1)
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('Then'));
  assert.deepEqual(steps, ['cd sales', 'npm install', 'npx plumb run pipeline.ts All']);
  // What the editor shows before anything is installed (only the extension): every task and edge,
  // no pipeline diagnostic — and the same once the package is installed.
  const seen = () => {
    const { result } = analyseFolder(made);
    return {
      tasks: result
        .tasks()
        .map((t) => `${t.kind} ${t.family}`)
        .sort(),
      edges: edgeList(result),
      diagnostics: allDiagnostics(result).map((d) => `${d.code}: ${d.message}`),
    };
  };
  const editor = {
    tasks: ['external DailyOrders', 'task DailyRevenue', 'task RevenueReport', 'wrapper All'].sort(),
    edges: ['All → RevenueReport', 'DailyRevenue → DailyOrders', 'RevenueReport → DailyRevenue'],
    diagnostics: [],
  };
  assert.deepEqual(seen(), editor, 'the language server, before npm install');
  installTarball(made);
  assert.deepEqual(seen(), editor, 'the language server, with the package installed');
  ok(sh(process.execPath, [tsc, '-p', '.', '--strict'], made), 'tsc --strict on the new project');
  const run = sh('npx', ['plumb', 'run', 'pipeline.ts', 'All', '--no-color'], made);
  ok(run, 'npx plumb run pipeline.ts All');
  const report = readFileSync(path.join(made, 'output', 'report_2026-11-01-2026-11-03_top3.txt'), 'utf8');
  assert.equal(report.trim().split('\n').length, 3, report);
  const rerun = sh('npx', ['plumb', 'run', 'pipeline.ts', 'All', '--no-color'], made);
  ok(rerun, 'rerun');
  assert.match(rerun.stderr + rerun.stdout, /already complete/i);

  // Again into the same folder: refused, nothing changed.
  writeFileSync(path.join(made, 'pipeline.ts'), '// mine\n');
  const again = npxInit('sales');
  assert.equal(again.status, 2, again.stderr);
  assert.match(again.stderr, /never overwrites/);
  assert.equal(readFileSync(path.join(made, 'pipeline.ts'), 'utf8'), '// mine\n');
});
