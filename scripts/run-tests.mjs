// Runs the test suites with node's built-in test runner (TypeScript through tsx), so CI reads
// node's own closing summary. Usage: node scripts/run-tests.mjs [path-substring …]
// e.g. `node scripts/run-tests.mjs test/runtime` runs only the runtime tests.
// Files run two at a time (PLUMB_TEST_CONCURRENCY: much of a file's time is spent waiting on timers,
// child processes and servers; two on CI's two cores keep each file's CPU as it was alone), except
// the real-VS-Code files (test/e2e), CPU-heavy and timing-sensitive, each of which runs alone: a
// scheduler here hands out slots, test/support/test-slot.mjs takes one in each file's process.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const skipDirs = new Set(['node_modules', 'fixtures', 'workspaces', '.plumb', 'test-output']);
// CPU-heavy and timing-sensitive: nothing else runs beside them.
const alone = (file) => file.startsWith('test/e2e/');

function findTests(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return skipDirs.has(entry.name) ? [] : findTests(full);
    return entry.name.endsWith('.test.ts') ? [path.relative(root, full)] : [];
  });
}

const filters = process.argv.slice(2);
const files = findTests(path.join(root, 'test'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error(`run-tests: no test files match ${filters.join(' ') || 'test/**/*.test.ts'}`);
  process.exit(1);
}
const concurrency = Number(process.env.PLUMB_TEST_CONCURRENCY ?? 2);
if (!Number.isInteger(concurrency) || concurrency < 1) {
  console.error(`run-tests: PLUMB_TEST_CONCURRENCY must be a whole number >= 1`);
  process.exit(2);
}

/**
 * A readers/writer lock over test files: each file's process asks on connecting (its path) and
 * holds what it is granted until its socket closes, i.e. until it ends, however it ends. Granted
 * in order of asking; an alone file waits for the files running to end and the ones after it wait
 * for it.
 */
function startScheduler(address) {
  const waiting = [];
  const running = new Set();
  const grant = () => {
    while (waiting.length > 0) {
      const next = waiting[0];
      const blocked = [...running].some((r) => r.alone) || (next.alone && running.size > 0);
      if (blocked) return;
      waiting.shift();
      running.add(next);
      next.socket.write('go\n');
    }
  };
  const server = net.createServer((socket) => {
    let asked = '';
    let entry;
    socket.on('data', (chunk) => {
      if (entry) return;
      asked += chunk;
      if (!asked.includes('\n')) return;
      const { file } = JSON.parse(asked);
      entry = { socket, alone: alone(path.relative(root, path.resolve(root, file))) };
      waiting.push(entry);
      grant();
    });
    const release = () => {
      if (!entry) return;
      running.delete(entry);
      const at = waiting.indexOf(entry);
      if (at >= 0) waiting.splice(at, 1);
      entry = undefined;
      grant();
    };
    socket.on('close', release);
    socket.on('error', release);
  });
  server.listen(address);
  return server;
}

const scratch = mkdtempSync(path.join(os.tmpdir(), 'plumb-tests-'));
const address = path.join(scratch, 'slots.sock');
const scheduler = startScheduler(address);
const cleanUp = () => rmSync(scratch, { recursive: true, force: true });
process.on('exit', cleanUp);

const slot = pathToFileURL(path.join(root, 'test/support/test-slot.mjs')).href;
const child = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    '--import',
    slot,
    '--enable-source-maps',
    '--test',
    '--test-reporter=spec',
    `--test-concurrency=${concurrency}`,
    ...files,
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, PLUMB_TEST_SLOTS: address } },
);
child.on('exit', (code, signal) => {
  scheduler.close();
  process.exit(signal ? 1 : (code ?? 1));
});
