// A throwaway Redis: redis-server on a free loopback port with its files in a temporary directory,
// stopped and removed afterwards. Used by the plumb-cluster tests and benchmark. No persistence (no
// RDB, no AOF) unless asked: the tests restart nothing. Command line: `node scripts/redis/server.mjs`
// prints its URL and runs until interrupted.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { findRedisServer } from './binaries.mjs';

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

/** Resolves once something accepts a TCP connection on host:port and answers PING with PONG. */
function ping(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let reply = '';
    socket.setTimeout(2000, () => socket.destroy());
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk;
      if (reply.includes('\r\n')) {
        socket.destroy();
        resolve(reply.startsWith('+PONG'));
      }
    });
    socket.on('error', () => resolve(false));
    socket.on('close', () => resolve(false));
  });
}

async function startOnce(bin, dir, port, bind, persist) {
  const config = [
    `bind ${bind}`,
    `port ${port}`,
    `dir ${dir}`,
    'protected-mode no',
    'daemonize no',
    `logfile ${path.join(dir, 'redis.log')}`,
    // BullMQ requires it: a queue's keys must never be evicted.
    'maxmemory-policy noeviction',
    ...(persist ? ['appendonly yes', 'appendfsync everysec'] : ['save ""', 'appendonly no']),
  ];
  const configFile = path.join(dir, 'redis.conf');
  writeFileSync(configFile, `${config.join('\n')}\n`);
  const child = spawn(bin, [configFile], { stdio: 'ignore' });
  let exited = false;
  child.on('exit', () => (exited = true));
  // Generous: on a loaded machine the server may take seconds to start listening.
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && !exited) {
    if (await ping('127.0.0.1', port)) return child;
    await sleep(50);
  }
  child.kill('SIGKILL');
  const log = (() => {
    try {
      return readFileSync(path.join(dir, 'redis.log'), 'utf8').trim().split('\n').slice(-5).join('\n');
    } catch {
      return '';
    }
  })();
  throw new Error(`redis-server did not start on port ${port}${exited ? ' (it exited)' : ''}\n${log}`);
}

/**
 * Starts redis-server on a free loopback port (options.port to choose; options.bind adds addresses,
 * e.g. a veth address other namespaces reach). Returns { url, host, port, dir, pid, stop() }.
 */
export async function startRedis(options = {}) {
  const bin = findRedisServer();
  if (!bin)
    throw new Error(
      'redis-server is not installed: run `npm run redis:setup` (apt-get install redis-server)',
    );
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plumb-redis-'));
  const bind = ['127.0.0.1', ...(options.bind ?? [])].join(' ');
  let child;
  let port;
  for (let attempt = 0; ; attempt++) {
    port = options.port ?? (await freePort());
    try {
      child = await startOnce(bin, dir, port, bind, options.persist === true);
      break;
    } catch (error) {
      if (attempt >= 3 || options.port) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
  const onExit = () => child.kill('SIGKILL');
  process.on('exit', onExit);
  return {
    url: `redis://127.0.0.1:${port}`,
    host: '127.0.0.1',
    port,
    dir,
    pid: child.pid,
    /** Stops the server at once (nothing in it is worth keeping) and removes its directory. */
    async stop() {
      process.off('exit', onExit);
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  startRedis()
    .then((redis) => {
      console.log(redis.url);
      console.error(`redis: started on ${redis.url}, files in ${redis.dir}; Ctrl-C stops it`);
      const stop = () => redis.stop().then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    })
    .catch((error) => {
      console.error(`redis: ${error.message}`);
      process.exit(1);
    });
}
