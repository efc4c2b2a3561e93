// Installs Debian packages for the test set-ups (PostgreSQL, Redis): root only, apt's lock waited
// for (another set-up or an unattended upgrade may hold it), every step time-limited so CI never hangs.
import { spawnSync } from 'node:child_process';

const STEP_TIMEOUT_MS = 20 * 60_000;

function run(log, command, args) {
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

/** apt-get update + install of `packages`; `what` names them in the error a non-root user gets. */
export function aptInstall(packages, { log, what }) {
  if (process.getuid?.() !== 0)
    throw new Error(`${what} is missing: run as root, or apt-get install -y ${packages.join(' ')}`);
  const waitForLock = ['-o', 'DPkg::Lock::Timeout=600'];
  run(log, 'apt-get', [...waitForLock, 'update', '-qq']);
  run(log, 'apt-get', [...waitForLock, 'install', '-y', '-qq', '--no-install-recommends', ...packages]);
}
