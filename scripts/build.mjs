// One build for every bundle Plumb ships: extension client, language server, runtime library + CLI,
// webviews. `--watch` rebuilds on change; `--production` minifies (used by `npm run package`).
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeRuntimeEntries } from './runtime-entries.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const node = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  sourcesContent: false,
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
  // The server (and anything else) importing plumb-pipelines bundles its source: the package's main is
  // its own build output, which does not exist yet on a fresh clone.
  alias: { 'plumb-pipelines': './runtime/src/index.ts' },
};
// Webviews: each view's CSS (with the codicons it imports) is emitted next to its script, and the
// codicon font beside them under a stable name, so the host's HTML and CSP can name the files.
const browser = {
  ...node,
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  loader: { '.ttf': 'file' },
  assetNames: '[name]',
};

// The runtime CLI: in plumb-pipelines, inside the extension, and as tests and benchmarks run it.
// esbuild stays external: it ships a native binary, and the CLI uses it to transpile the user's
// TypeScript pipelines. Never minified: its frames appear in the stack traces of failed tasks.
// cli-member.js, beside it, is what isolated tasks' pool members start: only what attempts need.
// cli.js itself only starts cli-main.js (the CLI) from a V8 code cache (cli-code-cache.ts).
// The bundles stay ASCII (esbuild escapes strings; the few comments it keeps must be ASCII too):
// Node then reads cli-main.js as a one-byte string, 1–2 ms of each start less than a two-byte one.
const runtimeCli = {
  ...node,
  entryPoints: {
    cli: 'runtime/src/cli-code-cache.ts',
    'cli-main': 'runtime/src/cli.ts',
    'cli-member': 'runtime/src/cli-member.ts',
  },
  // plumb-cluster is loaded only when a cluster is asked for, from the project or beside the CLI.
  external: ['esbuild', 'plumb-cluster'],
  minify: false,
};

/** Builds the runtime CLI as shipped into `outdir` (for tests and benchmarks); returns its path. */
export function buildRuntimeCli(outdir) {
  esbuild.buildSync({ ...runtimeCli, outdir, logLevel: 'error' });
  return path.join(outdir, 'cli.js');
}

/**
 * Builds cli.js (and cli-main.js, cli-member.js where that copy has them), as shipped, from another copy of the
 * runtime's sources: `srcRoot` holds `runtime/src` (a commit's, for a benchmark's before/after) and
 * lies inside the repository, so the packages it imports resolve. Returns cli.js's path.
 */
export function buildRuntimeCliFrom(srcRoot, outdir) {
  const src = (file) => path.join(srcRoot, 'runtime/src', file);
  // Copies from before the code cache have no cli-code-cache.ts: their cli.js is the CLI itself.
  const entryPoints = existsSync(src('cli-code-cache.ts'))
    ? { cli: src('cli-code-cache.ts'), 'cli-main': src('cli.ts') }
    : { cli: src('cli.ts') };
  const member = src('cli-member.ts');
  if (existsSync(member)) entryPoints['cli-member'] = member;
  esbuild.buildSync({ ...runtimeCli, entryPoints, outdir, logLevel: 'error' });
  return path.join(outdir, 'cli.js');
}

// plumb-postgres, its own package: the runtime is its peer (the CLI hands pipelines its own
// instance), pg and pg-copy-streams its dependencies; none of them is inlined.
const postgresPackage = {
  ...node,
  entryPoints: { index: 'postgres/src/index.ts' },
  outdir: 'postgres/dist',
  external: ['plumb-pipelines', 'pg', 'pg-copy-streams', 'smol-toml'],
  alias: {},
  minify: false,
};

/**
 * Builds plumb-postgres's bundle (postgres/dist/index.js), as tests of pipelines using it need.
 * Each file is written beside itself and renamed: a pipeline another test runs meanwhile never
 * loads half a bundle.
 */
export function buildPostgresPackage() {
  writeBesideAndRename(esbuild.buildSync({ ...postgresPackage, logLevel: 'error', write: false }));
  return path.join(root, 'postgres/dist/index.js');
}

/** Writes a build's files each beside itself, then renames it over the old one. */
function writeBesideAndRename(result) {
  for (const file of result.outputFiles) {
    const temp = `${file.path}.${process.pid}.tmp`;
    mkdirSync(path.dirname(file.path), { recursive: true });
    writeFileSync(temp, file.contents);
    renameSync(temp, file.path);
  }
}

// plumb-cluster, its own package: BullMQ is its dependency, not inlined; the CLI hands it its loader.
const clusterPackage = {
  ...node,
  entryPoints: { index: 'cluster/src/index.ts' },
  outdir: 'cluster/dist',
  external: ['plumb-pipelines', 'bullmq'],
  alias: {},
  minify: false,
};

/**
 * Builds plumb-cluster's bundle (cluster/dist/index.js), as the cluster tests need; written as
 * plumb-postgres's is, since test files running side by side each build it.
 */
export function buildClusterPackage() {
  writeBesideAndRename(esbuild.buildSync({ ...clusterPackage, logLevel: 'error', write: false }));
  return path.join(root, 'cluster/dist/index.js');
}

// Each bundle says where it runs and what it must not inline.
export const bundles = [
  // The runtime library and CLI, as published in plumb-pipelines (the library unminified too).
  {
    ...node,
    entryPoints: { index: 'runtime/src/index.ts' },
    outdir: 'runtime/dist',
    external: ['esbuild'],
    minify: false,
  },
  { ...runtimeCli, outdir: 'runtime/dist', banner: { js: '#!/usr/bin/env node' } },
  postgresPackage,
  clusterPackage,
  // The same CLI bundled into the extension, so Run works where the workspace has no plumb-pipelines.
  { ...runtimeCli, outdir: 'dist/runtime' },
  { ...node, entryPoints: { server: 'server/src/server.ts' }, outdir: 'dist/server' },
  {
    ...node,
    entryPoints: { extension: 'client/src/extension.ts' },
    outdir: 'dist/client',
    external: ['vscode'],
  },
  {
    ...browser,
    entryPoints: { graph: 'client/webview/src/graph/main.ts', run: 'client/webview/src/run/main.ts' },
    outdir: 'dist/webview',
  },
  // elkjs lays out graphs in a web worker so a large DAG never blocks the webview's main thread.
  {
    ...browser,
    entryPoints: { 'layout-worker': 'client/webview/src/layout/worker.ts' },
    outdir: 'dist/webview',
  },
];

function missingEntries() {
  return bundles.flatMap((b) => Object.values(b.entryPoints).filter((p) => !existsSync(path.join(root, p))));
}

async function main() {
  const missing = missingEntries();
  if (missing.length > 0) {
    console.error(`build: missing entry points: ${missing.join(', ')}`);
    process.exit(1);
  }
  if (watch) {
    for (const b of bundles) await (await esbuild.context(b)).watch();
    console.log('build: watching for changes…');
  } else {
    const started = Date.now();
    await Promise.all(bundles.map((b) => esbuild.build(b)));
    writeRuntimeEntries(path.join(root, 'runtime', 'dist'));
    console.log(`build: ${bundles.length} bundles in ${Date.now() - started} ms`);
  }
}

// Imported (tests and benchmarks use buildRuntimeCli) it builds nothing. No top-level await: the
// tests load this module through require().
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
