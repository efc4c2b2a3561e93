// Installs Debian's redis-server when missing (as root, like scripts/postgres/install.mjs does for
// PostgreSQL), so the plumb-cluster tests and benchmark have a real Redis to start.
// Quick when present: it only looks for the binary.
import { fileURLToPath } from 'node:url';
import { aptInstall } from '../apt-install.mjs';
import { findRedisServer } from './binaries.mjs';

const log = (message) => console.log(`redis:setup: ${message}`);

/** Installs redis-server unless it is there. */
export function ensureRedis() {
  const present = findRedisServer();
  if (present) return log(`present: ${present}`);
  // The package's post-install starts a service where systemd runs; the tests start their own server.
  aptInstall(['redis-server'], { log, what: 'redis-server' });
  const installed = findRedisServer();
  if (!installed) throw new Error('apt-get installed redis-server but no redis-server binary was found');
  log(`installed: ${installed}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    ensureRedis();
  } catch (error) {
    console.error(`redis:setup: ${error.message}`);
    process.exit(1);
  }
}
