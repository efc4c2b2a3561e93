// A real cluster for the tests: redis-server on a free loopback port (scripts/redis), the CLI and
// plumb-cluster built as shipped, fixture workspaces under test-output/ (so their pipelines resolve
// plumb-cluster through the workspace's node_modules, as a user's would) and workers as real child
// processes, each stopped (SIGKILL: nothing of a test's worker is worth waiting for) when the test ends.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { buildClusterPackage, buildRuntimeCli } from '../../../scripts/build.mjs';
import { startRedis, type RedisServer } from '../../../scripts/redis/server.mjs';

const repo = path.resolve(__dirname, '../../..');
const scratch = path.join(repo, 'test-output', `cluster-${process.pid}`);
let built: string | undefined;
let workspaces = 0;

interface After {
  after(fn: () => Promise<void> | void): void;
}

/** The CLI as shipped, built once per test file beside the workspaces. */
export function cli(): string {
  if (!built) {
    buildClusterPackage();
    built = buildRuntimeCli(path.join(scratch, 'cli'));
  }
  return built;
}

/**
 * Marks every process a test starts, and what they start in turn (a cluster run's detached relay and
 * scheduler, a fire's run): whatever is left when the test ends is found by it and killed.
 */
const tagged = { PLUMB_CLUSTER_TEST: String(process.pid) };
const TAG = `PLUMB_CLUSTER_TEST=${process.pid}`;

function killTagged(): void {
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(TAG))
        process.kill(pid, 'SIGKILL');
    } catch {
      /* gone, or not ours to read */
    }
  }
}

/** A Redis of the test's own (also listening on `bind` addresses), stopped when it ends. */
export async function redis(t: After, bind: string[] = []): Promise<RedisServer> {
  const server = await startRedis({ bind });
  t.after(async () => {
    killTagged();
    await server.stop();
  });
  return server;
}

/** A copy of test/cluster/fixtures/<name>, removed when the test ends. */
export function workspace(name: string, t: After): string {
  const dir = path.join(scratch, `${name}-${++workspaces}`);
  mkdirSync(path.dirname(dir), { recursive: true });
  cpSync(path.join(__dirname, '..', 'fixtures', name), dir, { recursive: true });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface WorkerProcess {
  name: string;
  child: ChildProcess;
  output(): string;
  /** Resolves once the worker says it is ready (its BullMQ worker is connected). */
  ready: Promise<void>;
  exited: Promise<void>;
}

/** `plumb worker` as a real child process. */
export function startWorker(
  t: After,
  options: {
    redis: string;
    cwd: string;
    name: string;
    concurrency?: number;
    env?: Record<string, string>;
    /** A command prefix to run it under (ip netns exec <ns>: on another "host"). */
    prefix?: string[];
    /** More `plumb worker` options (--runs 0). */
    args?: string[];
  },
): WorkerProcess {
  const [command, ...prefixArgs] = [...(options.prefix ?? []), process.execPath];
  const child = spawn(
    command!,
    [
      ...prefixArgs,
      cli(),
      'worker',
      '--redis',
      options.redis,
      '--name',
      options.name,
      '--concurrency',
      String(options.concurrency ?? 1),
      ...(options.args ?? []),
    ],
    {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: '1', ...tagged, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    const check = () => {
      if (text.includes(': ready on ')) resolve();
    };
    child.stderr!.on('data', check);
    void exited.then(() => reject(new Error(`worker ${options.name} exited before it was ready:\n${text}`)));
  });
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      // Its isolated members watch it and follow it out.
      child.kill('SIGKILL');
      await exited;
    }
  });
  return { name: options.name, child, output: () => text, ready, exited };
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  events: Record<string, unknown>[];
}

/** `plumb run <args> --events jsonl` in `cwd`, to its end. */
export function runCli(cwd: string, args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli(), 'run', ...args, '--events', 'jsonl'], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', ...tagged, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const events = stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      resolve({ code, stdout, stderr, events });
    });
  });
}

export interface StartedRun {
  child: ChildProcess;
  /** The event lines read so far. */
  events(): Record<string, unknown>[];
  stderr(): string;
  /** Resolves once an event matching `check` has been read. */
  until(check: (e: Record<string, unknown>) => boolean, ms?: number): Promise<Record<string, unknown>>;
  /** Resolves once stderr matches. */
  untilStderr(pattern: RegExp, ms?: number): Promise<void>;
  done: Promise<RunResult>;
}

/**
 * `plumb run <args> --events jsonl` left running (runCli waits for its end). A cluster run's
 * scheduler outlives a killed submitter: it is stopped when the test ends (its pid is in run-started).
 */
export function startRun(
  t: After,
  cwd: string,
  args: string[],
  env: Record<string, string> = {},
): StartedRun {
  const child = spawn(process.execPath, [cli(), 'run', ...args, '--events', 'jsonl'], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', ...tagged, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const parsed = () =>
    stdout
      .split('\n')
      .filter((line) => line.startsWith('{') && line.endsWith('}'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  const waiters: (() => void)[] = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const w of [...waiters]) w();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const w of [...waiters]) w();
  });
  const done = new Promise<RunResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, events: parsed() }));
  });
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    const started = parsed().find((e) => e.type === 'run-started');
    try {
      if (typeof started?.pid === 'number') process.kill(started.pid, 'SIGKILL');
    } catch {
      /* ended with its run */
    }
  });
  const until = (check: (e: Record<string, unknown>) => boolean, ms = 60_000) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no such event within ${ms} ms:\n${stderr}`)), ms);
      const look = () => {
        const found = [...parsed(), {}].find(check);
        if (!found) return;
        clearTimeout(timer);
        waiters.splice(waiters.indexOf(look), 1);
        resolve(found);
      };
      waiters.push(look);
      look();
    });
  const untilStderr = async (pattern: RegExp, ms = 60_000) => {
    await until(() => pattern.test(stderr), ms).catch(() => {
      throw new Error(`stderr never matched ${String(pattern)} within ${ms} ms:\n${stderr}`);
    });
  };
  return { child, events: parsed, stderr: () => stderr, until, untilStderr, done };
}
