// `npm run package`: the production build, esbuild placed beside the extension's runtime CLI, then
// `vsce package` into dist/plumb-<version>.vsix for this platform; `-- --all-platforms` (or
// `--target linux-arm64,…`) makes dist/vsix/plumb-<platform>-<version>.vsix with each platform's
// esbuild from the registry. Checks what went in: bundles and declared assets only, no dev
// dependencies, and in each archive exactly one esbuild binary, built for its platform.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { binaryPlatform, esbuildBinaryPath, readZipEntry, zipEntries } from './vsix-contents.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const require = createRequire(path.join(root, 'package.json'));
const log = (message) => console.log(`package: ${message}`);
/** No step may hang CI (vsce takes ~15 s here; once, under heavy load, ten minutes). */
const STEP_TIMEOUT_MS = 15 * 60_000;

/** Where this platform's .vsix lands; the end-to-end suite and `npm start` install it from here. */
export const vsixPath = path.join(root, 'dist', `${manifest.name}-${manifest.version}.vsix`);

// VS Code's names for platforms ("linux-x64"); esbuild's binary packages use the same ones.
export const hostTarget = `${process.platform === 'win32' ? 'win32' : process.platform}-${process.arch}`;
/** The platforms VS Code users have, each its own .vsix (`--all-platforms`). */
export const TARGETS = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64'];

/** Where `--all-platforms` (or `--target <t>`) writes the .vsix of platform t. */
export function platformVsixPath(target) {
  return path.join(root, 'dist', 'vsix', `${manifest.name}-${target}-${manifest.version}.vsix`);
}

const esbuildVersion = require('esbuild/package.json').version;

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
  // The extension's details page is client/README.md (for users), its images client/media/.
  for (const [from, to] of [
    ['package.json', 'package.json'],
    ['client/README.md', 'README.md'],
    ['client/media', 'media'],
    ['LICENSE', 'LICENSE'],
    ['CHANGELOG.md', 'CHANGELOG.md'],
    ['.vscodeignore', '.vscodeignore'],
    ['syntaxes', 'syntaxes'],
    ['snippets', 'snippets'],
  ]) {
    if (existsSync(path.join(root, from)))
      cpSync(path.join(root, from), path.join(stage, to), { recursive: true });
  }
  cpSync(path.join(root, 'dist'), path.join(stage, 'dist'), {
    recursive: true,
    filter: (source) => !source.endsWith('.vsix') && source !== path.join(root, 'dist', 'vsix'),
  });
  return stage;
}

// The runtime CLI keeps esbuild external (it ships a native binary) and uses it to transpile the
// user's TypeScript pipeline; the extension runs that CLI where the workspace may have no
// plumb-pipelines, so esbuild and this platform's binary travel in dist/runtime/node_modules.
function placeEsbuildBesideRuntime(distDir, target) {
  const modules = path.join(distDir, 'runtime', 'node_modules');
  rmSync(modules, { recursive: true, force: true });
  const esbuildDir = path.dirname(require.resolve('esbuild/package.json'));
  const binaryPackage = `@esbuild/${target}`;
  for (const entry of ['package.json', 'lib', 'LICENSE.md']) {
    cpSync(path.join(esbuildDir, entry), path.join(modules, 'esbuild', entry), { recursive: true });
  }
  cpSync(esbuildPlatformPackage(target), path.join(modules, binaryPackage), { recursive: true });
  log(`esbuild ${esbuildVersion} + ${binaryPackage} placed beside ${path.relative(root, distDir)}/runtime`);
}

/**
 * The folder of @esbuild/<target> at the version of our esbuild: this machine's from node_modules,
 * any other from the registry (`npm pack`), cached in node_modules/.cache/plumb-esbuild/.
 */
export function esbuildPlatformPackage(target) {
  if (target === hostTarget) return path.dirname(require.resolve(`@esbuild/${target}/package.json`));
  const cache = path.join(root, 'node_modules', '.cache', 'plumb-esbuild', `${esbuildVersion}-${target}`);
  const folder = path.join(cache, 'package');
  if (existsSync(path.join(folder, esbuildBinaryPath(target)))) return folder;
  rmSync(cache, { recursive: true, force: true });
  mkdirSync(cache, { recursive: true });
  execFileSync(
    'npm',
    ['pack', `@esbuild/${target}@${esbuildVersion}`, '--pack-destination', cache, '--silent'],
    { cwd: cache, stdio: ['ignore', 'ignore', 'inherit'], timeout: STEP_TIMEOUT_MS },
  );
  const tarball = readdirSync(cache).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack @esbuild/${target}@${esbuildVersion} wrote no tarball`);
  execFileSync('tar', ['-xzf', tarball], { cwd: cache, timeout: STEP_TIMEOUT_MS });
  rmSync(path.join(cache, tarball));
  if (!existsSync(path.join(folder, esbuildBinaryPath(target))))
    throw new Error(`@esbuild/${target} has no ${esbuildBinaryPath(target)}`);
  return folder;
}

/**
 * What a finished .vsix must hold for its platform: the bundles, and exactly one esbuild binary,
 * built for that platform. Returns the problems found (none: the archive is right).
 */
export function checkVsix(file, target) {
  const archive = zipEntries(file);
  const names = archive.entries.map((e) => e.name);
  const problems = [];
  for (const needed of [
    'extension/dist/client/extension.js',
    'extension/dist/runtime/cli.js',
    // cli.js only starts cli-main.js from its code cache: without it the extension cannot run anything.
    'extension/dist/runtime/cli-main.js',
    'extension/readme.md',
  ])
    // vsce writes readme.md and changelog.md in lower case.
    if (!names.some((n) => n.toLowerCase() === needed)) problems.push(`${needed} is missing`);
  const binaries = names.filter((n) =>
    /^extension\/dist\/runtime\/node_modules\/@esbuild\/[^/]+\/(bin\/esbuild|esbuild\.exe)$/.test(n),
  );
  const expected = `extension/dist/runtime/node_modules/@esbuild/${target}/${esbuildBinaryPath(target)}`;
  if (binaries.length !== 1 || binaries[0] !== expected)
    problems.push(`esbuild binaries ${JSON.stringify(binaries)}, expected only ${expected}`);
  else {
    const built = binaryPlatform(readZipEntry(archive, expected));
    if (built !== target) problems.push(`${expected} is built for ${built ?? 'an unknown platform'}`);
  }
  const manifest = readZipEntry(archive, 'extension.vsixmanifest').toString('utf8');
  if (!manifest.includes(`TargetPlatform="${target}"`))
    problems.push(`the manifest does not target ${target}`);
  return problems;
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

/** One .vsix for `target` from the staged package (esbuild's binary swapped in for that platform). */
function packageFor(stage, target, out) {
  placeEsbuildBesideRuntime(path.join(stage, 'dist'), target);
  if (existsSync(out)) rmSync(out);
  mkdirSync(path.dirname(out), { recursive: true });
  run(
    process.execPath,
    // Relative links stay relative: VS Code shows an installed extension's README from its folder.
    [vsce, 'package', '--no-dependencies', '--no-rewrite-relative-links', '--target', target, '--out', out],
    stage,
  );
  const problems = checkVsix(out, target);
  if (problems.length > 0) throw new Error(`${path.relative(root, out)}: ${problems.join('; ')}`);
  log(`${path.relative(root, out)}: esbuild for ${target} inside, checked`);
}

/** `--all-platforms`: every platform in TARGETS; `--target a,b`: those; default: this machine's. */
function requestedTargets(args) {
  if (args.includes('--all-platforms')) return TARGETS;
  const at = args.indexOf('--target');
  if (at < 0) return [];
  const asked = (args[at + 1] ?? '').split(',').filter(Boolean);
  const unknown = asked.filter((t) => !TARGETS.includes(t));
  if (asked.length === 0 || unknown.length > 0)
    throw new Error(`--target takes a comma-separated list of ${TARGETS.join(', ')}`);
  return asked;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const targets = requestedTargets(process.argv.slice(2));
  if (!process.argv.includes('--no-build')) run(process.execPath, ['scripts/build.mjs', '--production']);
  placeEsbuildBesideRuntime(path.join(root, 'dist'), hostTarget);
  const stage = stagePackage();
  try {
    checkPackagedFiles(stage);
    if (targets.length === 0) packageFor(stage, hostTarget, vsixPath);
    for (const target of targets) packageFor(stage, target, platformVsixPath(target));
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
