// Installs Debian's PostgreSQL server and psql when missing (as root, like scripts/e2e/setup.mjs does
// for Chromium), so the plumb-postgres tests, example and benchmark have a real server to start.
// Quick when present: it only looks for the binaries.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { aptInstall } from '../apt-install.mjs';
import { findPostgresBin } from './binaries.mjs';

const log = (message) => console.log(`postgres:setup: ${message}`);

/** Installs the server (postgresql) and the client (psql, for the benchmark) unless both are there. */
export function ensurePostgres() {
  const bin = findPostgresBin();
  if (bin && existsSync('/usr/bin/psql')) return log(`present: ${bin}`);
  aptInstall(['postgresql'], { log, what: 'PostgreSQL' });
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
