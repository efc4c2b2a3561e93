#!/usr/bin/env node
// `npm create plumb-pipelines [dir]` (npm runs this bin): runs `plumb init [dir]` of the
// plumb-pipelines this package depends on, so both write the same project and one code writes it.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
// The package's exports name its manifest; its bin is found from there (the CLI is not an export).
const manifestPath = require.resolve('plumb-pipelines/package.json');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const cli = path.join(path.dirname(manifestPath), manifest.bin.plumb);

const result = spawnSync(process.execPath, [cli, 'init', ...process.argv.slice(2)], { stdio: 'inherit' });
if (result.error) {
  console.error(`create-plumb-pipelines: could not run plumb init: ${result.error.message}`);
  process.exit(70);
}
// A signal that ended plumb init ends this process the same way (Ctrl+C stays Ctrl+C).
if (result.signal) process.kill(process.pid, result.signal);
process.exit(result.status ?? 70);
