// Where a sleeper's time goes on the cluster path: one worker, `--workers 1`, N sleepers, each job's
// timestamps (PLUMB_CLUSTER_TRACE) from dispatch to the scheduler's task-done, medians per step.
// Usage: node --import tsx bench/cluster/trace.ts [--n 100] [--ms 50] [--workers 1] [--isolated]
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildClusterPackage, buildRuntimeCli } from '../../scripts/build.mjs';
import { startRedis } from '../../scripts/redis/server.mjs';

const repo = path.resolve(__dirname, '../..');
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const n = arg('n', 100);
const ms = arg('ms', 50);
const nWorkers = arg('workers', 1);
const isolated = process.argv.includes('--isolated');
const scratch = path.join(repo, 'test-output', `bench-trace-${process.pid}`);
buildClusterPackage();
const cli = buildRuntimeCli(path.join(scratch, 'cli'));
const ws = path.join(scratch, 'ws');
mkdirSync(ws, { recursive: true });
cpSync(__dirname, ws, { recursive: true });
const traceFile = path.join(scratch, 'trace.jsonl');

async function main() {
  const redis = await startRedis();
  const env = { ...process.env, PLUMB_CLUSTER_TRACE: traceFile };
  const workers = Array.from({ length: nWorkers }, (_, i) =>
    spawn(process.execPath, [cli, 'worker', '--redis', redis.url, '--name', `w${i}`], {
      cwd: ws,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    }),
  );
  await Promise.all(
    workers.map(
      (c) =>
        new Promise<void>((r) => {
          let t = '';
          c.stderr!.on('data', (d: Buffer) => {
            t += d;
            if (t.includes(': ready on ')) r();
          });
        }),
    ),
  );
  try {
    const go = (args: string[]) => {
      const r = spawnSync(
        process.execPath,
        [cli, 'run', 'pipeline.ts', ...args, '--quiet', '--events', 'jsonl', '--cluster', redis.url],
        { cwd: ws, env, encoding: 'utf8', maxBuffer: 1 << 28 },
      );
      if (r.status !== 0) throw new Error(r.stdout + r.stderr);
      return r.stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    };
    go([isolated ? 'IsolatedSleeper' : 'Sleeper', '--n', '1000000']);
    rmSync(traceFile, { force: true });
    const events = go([
      'All',
      '--count',
      String(n),
      '--ms',
      String(ms),
      '--workers',
      String(nWorkers),
      ...(isolated ? ['--isolated', 'true'] : []),
    ]);
    const runId = events[0]!.runId as string;
    const marks = readFileSync(traceFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { t: number; what: string; id: string });
    const jobOf = (taskId: string) => createHash('sha1').update(`${runId}\0${taskId}\u00001`).digest('hex');
    const byJob = new Map<string, Record<string, number>>();
    const at = (id: string) => byJob.get(id) ?? (byJob.set(id, {}), byJob.get(id)!);
    for (const m of marks) at(m.what.startsWith('run-') ? jobOf(m.id) : m.id)[m.what] = m.t;
    for (const e of events)
      if (e.type === 'task-done' && /Sleeper\(/.test(String(e.taskId))) {
        const j = at(jobOf(e.taskId as string));
        j['done-event'] = e.time as number;
        j['dispatch-event'] = (e.time as number) - (e.durationMs as number);
      }
    const steps = [
      'sub-dispatch',
      'sub-added',
      'w-picked',
      'w-runner',
      'run-start',
      'run-end',
      'w-runner-end',
      'w-reports',
      'w-finished',
      'sub-completed',
      'done-event',
    ];
    const med = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
    const rows: string[] = [];
    for (let i = 1; i < steps.length; i++) {
      const d = [...byJob.values()]
        .filter((j) => j[steps[i]!] && j[steps[i - 1]!])
        .map((j) => j[steps[i]!]! - j[steps[i - 1]!]!);
      rows.push(`${steps[i - 1]} → ${steps[i]}: median ${med(d).toFixed(2)} ms (n=${d.length})`);
    }
    const whole = [...byJob.values()]
      .filter((j) => j['done-event'] && j['dispatch-event'])
      .map((j) => j['done-event']! - j['dispatch-event']! - ms);
    rows.push(`task-done.durationMs − ${ms}: median ${med(whole).toFixed(2)} ms`);
    // With one slot: from a job's completion, as the submitter read it, to the scheduler's next dispatch.
    const ordered = [...byJob.values()]
      .filter((j) => j['sub-dispatch'] && j['sub-completed'])
      .sort((a, b) => a['sub-dispatch']! - b['sub-dispatch']!);
    const gaps = ordered.slice(1).map((j, i) => j['sub-dispatch']! - ordered[i]!['sub-completed']!);
    rows.push(
      `sub-completed → next sub-dispatch: median ${med(gaps).toFixed(2)} ms (meaningful with one slot)`,
    );
    const finished = events.find((e) => e.type === 'run-finished')!;
    rows.push(
      `runMs ${finished.durationMs as number}, per task ${((((finished.durationMs as number) - (n * ms) / nWorkers) * nWorkers) / n).toFixed(2)} ms above ${ms}; load ${os.loadavg()[0]!.toFixed(2)}`,
    );
    console.log(rows.join('\n'));
  } finally {
    for (const w of workers) w.kill('SIGKILL');
    await redis.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}
void main().then(() => process.exit(0));
