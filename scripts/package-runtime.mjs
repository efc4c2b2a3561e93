// Builds plumb-pipelines as it is published (run by `npm pack` in runtime/ through its prepack
// script): the library and CLI bundles, declarations by tsc, and the two entry files of its exports
// map, which make every way of loading the package share one runtime instance.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundles } from './build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'runtime', 'dist');
const require = createRequire(import.meta.url);
const log = (message) => console.error(`package-runtime: ${message}`);

/** The key under which the first runtime instance loaded in a process is shared. */
export const INSTANCE_KEY = 'plumb-pipelines.runtime';

async function buildBundles() {
  const runtimeBundles = bundles.filter((b) => b.outdir === 'runtime/dist');
  await Promise.all(runtimeBundles.map((b) => esbuild.build({ ...b, logLevel: 'error' })));
  chmodSync(path.join(dist, 'cli.js'), 0o755);
}

// runtime/tsconfig.json writes declarations into runtime/dist/types (the same files `tsc -b` makes
// for the repository's own projects); --force when a clean removed them but the build info remains.
// Type errors are `npm run typecheck`'s to report (tsc still writes the declarations), so they are
// shown here but only a missing declaration file stops the package.
function buildDeclarations() {
  const tsc = require.resolve('typescript/bin/tsc');
  const build = (...extra) =>
    spawnSync(process.execPath, [tsc, '-b', path.join(root, 'runtime'), ...extra], {
      cwd: root,
      // stdout stays clean for `npm pack --json`.
      stdio: ['ignore', process.stderr, process.stderr],
    }).status;
  let status = build();
  if (!existsSync(path.join(dist, 'types', 'index.d.ts'))) status = build('--force');
  if (!existsSync(path.join(dist, 'types', 'index.d.ts')))
    throw new Error('tsc wrote no runtime/dist/types/index.d.ts');
  if (status !== 0) log('the runtime has type errors (above); declarations written anyway');
}

// The CLI bundles its own copy of the runtime and registers it under INSTANCE_KEY before it loads
// a pipeline; whatever then imports the package (a CommonJS require the loader does not intercept,
// an ES module import) gets that same instance, so `instanceof Task` and task ids agree. Outside
// the CLI the first load registers dist/index.js.
function writeEntries() {
  const names = Object.keys(require(path.join(dist, 'index.js'))).sort();
  const key = JSON.stringify(INSTANCE_KEY);
  writeFileSync(
    path.join(dist, 'entry.cjs'),
    `'use strict';\n// The CommonJS entry of plumb-pipelines: one runtime instance per process.\n` +
      `const key = Symbol.for(${key});\n` +
      `module.exports = globalThis[key] ?? (globalThis[key] = require('./index.js'));\n`,
  );
  writeFileSync(
    path.join(dist, 'entry.mjs'),
    `// The ES module entry of plumb-pipelines: the CommonJS instance's exports, by name.\n` +
      `import runtime from './entry.cjs';\n` +
      `export const { ${names.join(', ')} } = runtime;\n` +
      `export default runtime;\n`,
  );
  log(`entries export ${names.length} names`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  await buildBundles();
  buildDeclarations();
  writeEntries();
  log(`runtime/dist ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
