// Installs Debian's redis-server when missing (as root, like scripts/postgres/install.mjs does for
// PostgreSQL), so the plumb-cluster tests and benchmark have a real Redis to start.
// Quick when present: it only looks for the binary.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { findRedisServer } from './binaries.mjs';

const log = (message) => console.log(`redis:setup: ${message}`);
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

/** Installs redis-server unless it is there. */
export function ensureRedis() {
  const present = findRedisServer();
  if (present) return log(`present: ${present}`);
  if (process.getuid?.() !== 0)
    throw new Error('redis-server is missing: run as root, or apt-get install -y redis-server');
  // Another apt-get may hold the lock (the e2e or postgres set-up's): wait for it.
  const waitForLock = ['-o', 'DPkg::Lock::Timeout=600'];
  run('apt-get', [...waitForLock, 'update', '-qq']);
  // The package's post-install starts a service where systemd runs; the tests start their own server.
  run('apt-get', [...waitForLock, 'install', '-y', '-qq', '--no-install-recommends', 'redis-server']);
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
