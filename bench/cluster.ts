// plumb-cluster's cost (issue 13): the wall time of N tasks through BullMQ on a real local Redis vs
// the local scheduler, and the throughput of 50 ms async sleepers with 1, 2 and 4 workers, each case beside
// BullMQ's own floor on the same Redis (bare workers, bench/cluster/floor-worker.mjs), with the tasks
// run in the workers' processes (their policy) and, for comparison, isolated (`-isolated` cases), and
// the sleepers once more with the queue kept fed (`-fed`: no --workers).
// Usage: node --import tsx bench/cluster.ts [--tiny 2000] [--no-tiny] [--sleepers 400] (not through the tsx CLI:
// its wrapper process and the detached relay of a cluster run do not mix). Prints one JSON line per case.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import { buildClusterPackage, buildRuntimeCli } from '../scripts/build.mjs';
import { startRedis } from '../scripts/redis/server.mjs';

const repo = path.resolve(__dirname, '..');
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const tiny = arg('tiny', 2000);
const skipTiny = process.argv.includes('--no-tiny');
const sleepers = arg('sleepers', 400);

const scratch = path.join(repo, 'test-output', `bench-cluster-${process.pid}`);
buildClusterPackage();
const cli = buildRuntimeCli(path.join(scratch, 'cli'));

function workspace(name: string): string {
  const dir = path.join(scratch, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(path.join(__dirname, 'cluster'), dir, { recursive: true });
  return dir;
}

interface Measured {
  /** Wall time of the command, process starts included. */
  wallMs: number;
  /** The run's own duration (run-finished.durationMs): graph, queue and tasks, no process start. */
  runMs: number;
  /** Each task's attempt as the scheduler saw it (task-done.durationMs): dispatch to done. */
  attemptMs: number[];
}

function run(cwd: string, args: string[]): Measured {
  const started = performance.now();
  const r = spawnSync(
    process.execPath,
    [cli, 'run', 'pipeline.ts', ...args, '--quiet', '--events', 'jsonl'],
    {
      cwd,
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    },
  );
  const wallMs = performance.now() - started;
  if (r.status !== 0)
    throw new Error(`plumb run ${args.join(' ')}: exit ${r.status}\n${r.stdout.slice(-3000)}${r.stderr}`);
  const events = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { type: string; durationMs?: number; taskId?: string });
  const finished = events.find((e) => e.type === 'run-finished')!;
  const attemptMs = events
    .filter((e) => e.type === 'task-done' && /Sleeper\(/.test(e.taskId ?? ''))
    .map((e) => e.durationMs!);
  return { wallMs, runMs: finished.durationMs!, attemptMs };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function workers(url: string, cwd: string, count: number): Promise<ChildProcess[]> {
  const children = Array.from({ length: count }, (_, i) =>
    spawn(process.execPath, [cli, 'worker', '--redis', url, '--name', `w${i}`], {
      cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
    }),
  );
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          let text = '';
          c.stderr!.on('data', (d: Buffer) => {
            text += d.toString();
            if (text.includes(': ready on ')) resolve();
          });
        }),
    ),
  );
  return children;
}

/**
 * BullMQ's own floor on the same Redis: `n` bare workers (bench/cluster/floor-worker.mjs, concurrency
 * 1, plumb's options) and a submitter that keeps `inFlight` jobs in flight (as plumb's --workers), adding the next when QueueEvents
 * reports one completed — plumb's path without plumb. Each job's added latency is add to completed
 * event, minus its sleep.
 */
async function floor(url: string, n: number, inFlight: number, count: number, ms: number) {
  const name = `floor-${n}-${count}-${ms}`;
  const children = Array.from({ length: n }, () =>
    spawn(process.execPath, [path.join(__dirname, 'cluster', 'floor-worker.mjs'), url, name], {
      stdio: ['ignore', 'ignore', 'pipe'],
    }),
  );
  await Promise.all(
    children.map((c) => new Promise<void>((resolve) => c.stderr!.on('data', () => resolve()))),
  );
  const u = new URL(url);
  const connection = { host: u.hostname, port: Number(u.port), maxRetriesPerRequest: null };
  const queue = new Queue(name, { connection, streams: { events: { maxLen: 100_000 } } });
  // From the (new, empty) stream's start: from '$' the first completions may come before its first read.
  const events = new QueueEvents(name, { connection, lastEventId: '0-0' });
  await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
  const waiting = new Map<string, () => void>();
  events.on('completed', ({ jobId }) => waiting.get(jobId)?.());
  const latencies: number[] = [];
  let next = 0;
  const slot = async () => {
    while (next < count) {
      const jobId = `j${next++}`;
      const added = performance.now();
      const done = new Promise<void>((resolve) => waiting.set(jobId, resolve));
      await queue.add('t', { ms }, { jobId, attempts: 1, priority: 100, removeOnComplete: { age: 3600 } });
      await done;
      latencies.push(performance.now() - added - ms);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: inFlight }, slot));
  const runMs = performance.now() - started;
  for (const c of children) c.kill('SIGKILL');
  await Promise.all([events.close(), queue.close()]);
  return { runMs, medianAddedMs: median(latencies) };
}

async function main() {
  const redis = await startRedis();
  const load = () => os.loadavg()[0]!.toFixed(1);
  try {
    // Per-task overhead: tiny tasks, local scheduler (in process) vs one cluster worker.
    if (!skipTiny) {
      const local = run(workspace('tiny-local'), ['All', '--count', String(tiny), '--workers', '4']);
      console.log(
        JSON.stringify({
          case: 'tiny-local',
          tasks: tiny,
          wallMs: Math.round(local.wallMs),
          runMs: local.runMs,
          perTaskMs: +(local.runMs / tiny).toFixed(3),
          load: load(),
        }),
      );
      for (const n of [1, 4]) {
        const f = await floor(redis.url, n, 4 * n, tiny, 0);
        console.log(
          JSON.stringify({
            case: `tiny-floor-${n}w`,
            tasks: tiny,
            runMs: Math.round(f.runMs),
            perTaskMs: +(f.runMs / tiny).toFixed(3),
            load: load(),
          }),
        );
        for (const isolated of [false, true]) {
          const label = `tiny-cluster-${n}w${isolated ? '-isolated' : ''}`;
          const ws = workspace(label);
          const ws_workers = await workers(redis.url, ws, n);
          // The first job (a task outside the measured set) warms the workers (their isolated members); time the rest.
          run(ws, [isolated ? 'IsolatedSleeper' : 'Sleeper', '--n', '1000000', '--cluster', redis.url]);
          const m = run(ws, [
            'All',
            '--count',
            String(tiny),
            '--workers',
            String(4 * n),
            ...(isolated ? ['--isolated', 'true'] : []),
            '--cluster',
            redis.url,
          ]);
          console.log(
            JSON.stringify({
              case: label,
              tasks: tiny,
              wallMs: Math.round(m.wallMs),
              runMs: m.runMs,
              perTaskMs: +(m.runMs / tiny).toFixed(3),
              medianAttemptMs: +median(m.attemptMs).toFixed(2),
              load: load(),
            }),
          );
          for (const w of ws_workers) w.kill('SIGKILL');
        }
      }
    }
    let floorOne = 0;
    const one = new Map<boolean, number>();
    for (const n of [1, 2, 4]) {
      const f = await floor(redis.url, n, n, sleepers, 50);
      if (n === 1) floorOne = f.runMs;
      console.log(
        JSON.stringify({
          case: `sleepers-floor-${n}w`,
          tasks: sleepers,
          runMs: Math.round(f.runMs),
          speedup: +(floorOne / f.runMs).toFixed(2),
          addedPerTaskMs: +(((f.runMs - (sleepers * 50) / n) * n) / sleepers).toFixed(2),
          medianAddedMs: +f.medianAddedMs.toFixed(2),
          load: load(),
        }),
      );
      // `fed`: no --workers, so the run keeps every ready task on the queue (a worker's moveToFinished
      // takes the next at once); its attempts' dispatch-to-done then holds their wait in the queue.
      for (const [isolated, fed] of [
        [false, false],
        [true, false],
        [false, true],
      ] as const) {
        const label = `sleepers-${n}w${isolated ? '-isolated' : ''}${fed ? '-fed' : ''}`;
        const ws = workspace(label);
        const ws_workers = await workers(redis.url, ws, n);
        run(ws, [isolated ? 'IsolatedSleeper' : 'Sleeper', '--n', '1000000', '--cluster', redis.url]);
        const m = run(ws, [
          'All',
          '--count',
          String(sleepers),
          '--ms',
          '50',
          ...(fed ? [] : ['--workers', String(n)]),
          ...(isolated ? ['--isolated', 'true'] : []),
          '--cluster',
          redis.url,
        ]);
        if (n === 1 && !fed) one.set(isolated, m.runMs);
        const ideal = (sleepers * 50) / n;
        console.log(
          JSON.stringify({
            case: label,
            tasks: sleepers,
            wallMs: Math.round(m.wallMs),
            runMs: m.runMs,
            speedup: +(one.get(isolated)! / m.runMs).toFixed(2),
            // Throughput's view: the run's time over the ideal, per task and worker slot.
            addedPerTaskMs: +(((m.runMs - ideal) * n) / sleepers).toFixed(2),
            // Each task's view: its attempt (dispatch to done, as the scheduler saw it) minus its 50 ms.
            medianAddedMs: +(median(m.attemptMs) - 50).toFixed(2),
            load: load(),
          }),
        );
        for (const w of ws_workers) w.kill('SIGKILL');
      }
    }
  } finally {
    await redis.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

void main().then(() => process.exit(0));
