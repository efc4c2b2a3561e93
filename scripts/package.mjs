// `npm run package`: the production build, esbuild placed beside the extension's runtime CLI, then
// `vsce package` into dist/plumb-<version>.vsix for this platform. Checks what went in: bundles and
// declared assets only, no dev dependencies.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const require = createRequire(path.join(root, 'package.json'));
const log = (message) => console.log(`package: ${message}`);
/** No step may hang CI (vsce takes ~15 s here; once, under heavy load, ten minutes). */
const STEP_TIMEOUT_MS = 15 * 60_000;

/** Where the .vsix lands; the end-to-end suite and `npm start` install it from here. */
export const vsixPath = path.join(root, 'dist', `${manifest.name}-${manifest.version}.vsix`);

// VS Code's names for platforms ("linux-x64"); esbuild's binary packages use the same ones.
const target = `${process.platform === 'win32' ? 'win32' : process.platform}-${process.arch}`;

// Each step logs its time: packaging runs inside every `npm test`, and a slow step should show.
function run(command, args, cwd = root) {
  const started = Date.now();
  log(`$ ${command} ${args.join(' ')}`);
  execFileSync(command, args, { cwd, stdio: 'inherit', timeout: STEP_TIMEOUT_MS });
  log(`  (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

const vsce = path.join(path.dirname(require.resolve('@vscode/vsce/package.json')), 'vsce');

// vsce walks every file under its folder before applying .vscodeignore; in a working checkout that
// is the e2e cache (a whole code-server), test output and benchmark scratch: hundreds of thousands
// of files, minutes under load. So the package is made from a staging folder holding only what may
// ship; .vscodeignore still decides, and the check below still verifies, what goes in.
function stagePackage() {
  const stage = mkdtempSync(path.join(os.tmpdir(), 'plumb-vsix-'));
  for (const entry of [
    'package.json',
    'README.md',
    'LICENSE',
    'CHANGELOG.md',
    '.vscodeignore',
    'syntaxes',
    'media',
  ]) {
    if (existsSync(path.join(root, entry)))
      cpSync(path.join(root, entry), path.join(stage, entry), { recursive: true });
  }
  cpSync(path.join(root, 'dist'), path.join(stage, 'dist'), {
    recursive: true,
    filter: (source) => !source.endsWith('.vsix'),
  });
  return stage;
}

// The runtime CLI keeps esbuild external (it ships a native binary) and uses it to transpile the
// user's TypeScript pipeline; the extension runs that CLI where the workspace may have no
// plumb-pipelines, so esbuild and this platform's binary travel in dist/runtime/node_modules.
function placeEsbuildBesideRuntime() {
  const modules = path.join(root, 'dist', 'runtime', 'node_modules');
  rmSync(modules, { recursive: true, force: true });
  const esbuildDir = path.dirname(require.resolve('esbuild/package.json'));
  const binaryPackage = `@esbuild/${target}`;
  const binaryDir = path.dirname(require.resolve(`${binaryPackage}/package.json`));
  for (const entry of ['package.json', 'lib', 'LICENSE.md']) {
    cpSync(path.join(esbuildDir, entry), path.join(modules, 'esbuild', entry), { recursive: true });
  }
  cpSync(binaryDir, path.join(modules, binaryPackage), { recursive: true });
  log(`esbuild ${require('esbuild/package.json').version} + ${binaryPackage} copied beside dist/runtime`);
}

/** Relative file paths the manifest's `contributes` names (grammars, icons, language configs). */
function contributedFiles(value) {
  if (typeof value === 'string') return /^\.?\//.test(value) ? [path.posix.normalize(value)] : [];
  if (Array.isArray(value)) return value.flatMap(contributedFiles);
  if (value && typeof value === 'object') return Object.values(value).flatMap(contributedFiles);
  return [];
}

function checkPackagedFiles(stage) {
  const started = Date.now();
  const listing = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], {
    cwd: stage,
    encoding: 'utf8',
    timeout: STEP_TIMEOUT_MS,
  });
  const files = listing.split('\n').filter(Boolean);
  const devDependencies = files.filter((f) => f.startsWith('node_modules/'));
  if (devDependencies.length > 0)
    throw new Error(`node_modules in the package: ${devDependencies.join(', ')}`);
  const needed = [manifest.main, ...contributedFiles(manifest.contributes)];
  const missing = needed.filter((f) => !files.includes(path.posix.normalize(f)));
  if (missing.length > 0) throw new Error(`files the manifest names are not packaged: ${missing.join(', ')}`);
  log(
    `${files.length} files: ${needed.length} named by the manifest, all present (${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  run(process.execPath, ['scripts/build.mjs', '--production']);
  placeEsbuildBesideRuntime();
  const stage = stagePackage();
  try {
    checkPackagedFiles(stage);
    if (existsSync(vsixPath)) rmSync(vsixPath);
    run(
      process.execPath,
      [vsce, 'package', '--no-dependencies', '--target', target, '--out', vsixPath],
      stage,
    );
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
  log(`${path.relative(root, vsixPath)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
