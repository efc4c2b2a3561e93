// Installs Debian's PostgreSQL server and psql when missing (as root, like scripts/e2e/setup.mjs does
// for Chromium), so the plumb-postgres tests, example and benchmark have a real server to start.
// Quick when present: it only looks for the binaries.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { findPostgresBin } from './binaries.mjs';

const log = (message) => console.log(`postgres:setup: ${message}`);
const STEP_TIMEOUT_MS = 20 * 60_000;

function run(command, args) {
  log(`$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    timeout: STEP_TIMEOUT_MS,
    killSignal: 'SIGKILL',
  });
  if (result.error) throw new Error(`${command} ${args.join(' ')}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status})`);
}

/** Installs the server (postgresql) and the client (psql, for the benchmark) unless both are there. */
export function ensurePostgres() {
  const bin = findPostgresBin();
  if (bin && existsSync('/usr/bin/psql')) return log(`present: ${bin}`);
  if (process.getuid?.() !== 0)
    throw new Error('PostgreSQL is missing: run as root, or apt-get install -y postgresql');
  // Another apt-get may hold the lock (the e2e set-up's, an unattended upgrade): wait for it.
  const waitForLock = ['-o', 'DPkg::Lock::Timeout=600'];
  run('apt-get', [...waitForLock, 'update', '-qq']);
  run('apt-get', [...waitForLock, 'install', '-y', '-qq', '--no-install-recommends', 'postgresql']);
  const installed = findPostgresBin();
  if (!installed)
    throw new Error('apt-get installed postgresql but no initdb was found under /usr/lib/postgresql');
  log(`installed: ${installed}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    ensurePostgres();
  } catch (error) {
    console.error(`postgres:setup: ${error.message}`);
    process.exit(1);
  }
}
