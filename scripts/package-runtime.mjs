// Builds plumb-pipelines as it is published (run by `npm pack` in runtime/ through its prepack
// script): the library and CLI bundles, declarations by tsc, and the two entry files of its exports
// map, which make every way of loading the package share one runtime instance.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundles } from './build.mjs';
import { writeRuntimeEntries } from './runtime-entries.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'runtime', 'dist');
const require = createRequire(import.meta.url);
const log = (message) => console.error(`package-runtime: ${message}`);

export { INSTANCE_KEY } from './runtime-entries.mjs';

// Each file is written beside itself and renamed over the old one: test files running meanwhile
// (their pipelines load the package) never read half a bundle.
async function buildBundles() {
  const runtimeBundles = bundles.filter((b) => b.outdir === 'runtime/dist');
  const results = await Promise.all(
    runtimeBundles.map((b) => esbuild.build({ ...b, logLevel: 'error', write: false })),
  );
  for (const file of results.flatMap((r) => r.outputFiles)) {
    const temp = `${file.path}.${process.pid}.tmp`;
    mkdirSync(path.dirname(file.path), { recursive: true });
    writeFileSync(temp, file.contents);
    if (file.path === path.join(dist, 'cli.js')) chmodSync(temp, 0o755);
    renameSync(temp, file.path);
  }
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

function writeEntries() {
  log(`entries export ${writeRuntimeEntries(dist)} names`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  await buildBundles();
  buildDeclarations();
  writeEntries();
  log(`runtime/dist ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
