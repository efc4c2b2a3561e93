// A throwaway PostgreSQL cluster: initdb in a temporary directory, a server on a free loopback port
// (its socket in the same directory), one database, stopped and removed afterwards. Used by the tests,
// the benchmark and the example. As root it runs the server as the `postgres` user: PostgreSQL refuses
// to run as root. Command line: `node scripts/postgres/cluster.mjs start|stop [dir]` (see README).
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPostgresBin } from './binaries.mjs';

const USER = 'plumb';
const DATABASE = 'plumb';

/** uid/gid to run the server as: ourselves, or the `postgres` user when we are root. */
function serverAccount() {
  if (process.getuid?.() !== 0) return {};
  const id = (flag) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const uid = id('-u');
  const gid = id('-g');
  if (uid.status !== 0 || gid.status !== 0)
    throw new Error(
      'running as root and there is no postgres user to run the server as (apt-get install postgresql creates it)',
    );
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function run(bin, command, args, account, env = {}) {
  const result = spawnSync(path.join(bin, command), args, {
    ...account,
    encoding: 'utf8',
    env: { ...process.env, LC_ALL: 'C', ...env },
    timeout: 60_000,
    killSignal: 'SIGKILL',
  });
  if (result.error) throw new Error(`${command}: ${result.error.message}`);
  if (result.status !== 0)
    throw new Error(`${command} failed (exit ${result.status}): ${(result.stderr || result.stdout).trim()}`);
  return result.stdout;
}

/** A loopback port nobody listens on now (the server may still lose a race for it: start retries). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function settingsFile(dir) {
  return path.join(dir, 'cluster.json');
}

/**
 * Creates and starts a cluster in `dir` (a new temporary directory when omitted). Returns its
 * connection settings, the PG* environment for clients, and stop().
 */
export async function startCluster(options = {}) {
  const bin = findPostgresBin();
  if (!bin)
    throw new Error('PostgreSQL is not installed: run `npm run postgres:setup` (apt-get install postgresql)');
  const account = serverAccount();
  const dir = options.dir ?? mkdtempSync(path.join(os.tmpdir(), 'plumb-pg-'));
  mkdirSync(dir, { recursive: true });
  if (account.uid !== undefined) chownSync(dir, account.uid, account.gid);
  const data = path.join(dir, 'data');
  const password = options.password ?? `pw-${Math.random().toString(36).slice(2)}`;
  const pwfile = path.join(dir, 'pwfile');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (account.uid !== undefined) chownSync(pwfile, account.uid, account.gid);
  // Password auth over TCP (the tests need a wrong password to fail), trust on the private socket.
  run(
    bin,
    'initdb',
    [
      '-D',
      data,
      '-U',
      USER,
      `--pwfile=${pwfile}`,
      '-E',
      'UTF8',
      '--no-locale',
      '--no-sync',
      '--auth-local=trust',
      '--auth-host=scram-sha-256',
      '--no-instructions',
    ],
    account,
  );
  rmSync(pwfile, { force: true });
  let port;
  for (let attempt = 0; ; attempt++) {
    port = options.port ?? (await freePort());
    // A throwaway cluster needs no durability: fsync off makes loads and initdb much faster.
    const serverOptions = [
      `-c listen_addresses=127.0.0.1`,
      `-p ${port}`,
      `-c unix_socket_directories=${dir}`,
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
    ].join(' ');
    try {
      run(
        bin,
        'pg_ctl',
        ['-D', data, '-l', path.join(dir, 'server.log'), '-o', serverOptions, '-w', '-t', '60', 'start'],
        account,
      );
      break;
    } catch (error) {
      if (attempt >= 3 || options.port)
        throw new Error(`${error.message}\n${readLog(dir)}`, { cause: error });
    }
  }
  run(bin, 'createdb', ['-h', dir, '-p', String(port), '-U', USER, DATABASE], account);
  const settings = { dir, bin, host: '127.0.0.1', port, user: USER, password, database: DATABASE, account };
  writeFileSync(settingsFile(dir), `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
  return withControls(settings);
}

function readLog(dir) {
  try {
    return readFileSync(path.join(dir, 'server.log'), 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '';
  }
}

function withControls(settings) {
  const { bin, dir, host, port, user, password, database, account } = settings;
  return {
    ...settings,
    /** The PG* variables a client (node-postgres, psql) connects with. */
    env: { PGHOST: host, PGPORT: String(port), PGUSER: user, PGPASSWORD: password, PGDATABASE: database },
    /** Runs SQL through psql over the socket as the superuser; returns its unaligned output. */
    psql(sql, db = database) {
      return run(
        bin,
        'psql',
        [
          '-h',
          dir,
          '-p',
          String(port),
          '-U',
          user,
          '-d',
          db,
          '-X',
          '-q',
          '-A',
          '-t',
          '-v',
          'ON_ERROR_STOP=1',
          '-c',
          sql,
        ],
        account,
      );
    },
    /** Stops the server at once (nothing in it is worth keeping) and removes the directory. */
    stop({ keep = false } = {}) {
      if (existsSync(path.join(dir, 'data', 'postmaster.pid'))) {
        try {
          run(bin, 'pg_ctl', ['-D', path.join(dir, 'data'), '-m', 'immediate', '-w', 'stop'], account);
        } catch {
          /* already stopped */
        }
      }
      if (!keep) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The cluster started earlier in `dir` (by the command line), with its controls. */
export function openCluster(dir) {
  return withControls(JSON.parse(readFileSync(settingsFile(dir), 'utf8')));
}

async function main() {
  const [command, dirArg] = process.argv.slice(2);
  const dir = path.resolve(dirArg ?? '.plumb-postgres');
  if (command === 'start') {
    if (existsSync(settingsFile(dir))) openCluster(dir).stop();
    const cluster = await startCluster({ dir });
    // Printed as shell assignments: `eval "$(node scripts/postgres/cluster.mjs start)"`.
    for (const [key, value] of Object.entries(cluster.env)) console.log(`export ${key}='${value}'`);
    console.error(
      `postgres: started on ${cluster.host}:${cluster.port}, database ${cluster.database}, files in ${dir}`,
    );
  } else if (command === 'stop') {
    if (!existsSync(settingsFile(dir))) return console.error(`postgres: no cluster in ${dir}`);
    openCluster(dir).stop();
    console.error(`postgres: stopped and removed ${dir}`);
  } else {
    console.error('usage: node scripts/postgres/cluster.mjs start|stop [dir]   (dir: .plumb-postgres)');
    process.exit(2);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(`postgres: ${error.message}`);
    process.exit(1);
  });
}
