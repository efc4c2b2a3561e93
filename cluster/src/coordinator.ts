// The coordinator: a `plumb worker`'s side of the runs queue. For each run job it starts the run's
// scheduler (`plumb run … --cluster`, whose attempts are task jobs) and stores its event lines in the
// run's stream. A run whose coordinator died (its host lost: the job's lock lapsed) is resumed here
// by a new scheduler under the same run id: outputs say what is complete, in-flight task jobs are
// found again by their ids, and its lines are spliced onto those already stored (run-splice.ts).
// Only the run's current owner writes its stream, so a coordinator cut off from Redis that comes
// back finds the run taken over, writes nothing more and stops its scheduler.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Queue, Worker, type Job } from 'bullmq';
import {
  EVENT_SCHEMA_VERSION,
  EXIT_CODES,
  runLogFileOf,
  type RunFinishedEvent,
  type RunSummary,
} from 'plumb-pipelines';
import { type CliHost } from './host';
import { connectionOf, TASK_QUEUE } from './job';
import { removeSuperseded, RESUMED_ENV } from './resumed-attempts';
import { RUN_QUEUE, runCancelKey, runOwnerKey, type RunJobData, type RunJobProgress } from './run-job';
import { resumeSplicer, storedRun } from './run-splice';
import { runStreamKey } from './run-stream';

/** How the scheduler learns what it is and which run it runs (read by the CLI's cli-cluster.ts). */
export const SCHEDULER_ENV = {
  role: 'PLUMB_CLUSTER_ROLE',
  runId: 'PLUMB_CLUSTER_RUN_ID',
  /** The coordinator's pid: the scheduler dies with it (it never runs on unowned). */
  parent: 'PLUMB_CLUSTER_PARENT',
} as const;

/** How long a finished run's events, owner and cancel keys stay in Redis. */
const KEEP_FINISHED_S = 7 * 24 * 3600;
/** How often the coordinator looks for a Ctrl-C from a follower and for a takeover. */
const WATCH_MS = 250;
/** How long a run-finished scheduler may take to close its connections before it is killed. */
const GIVE_UP_MS = 30_000;

// Append only while this coordinator owns the run (KEYS: owner, stream; ARGV: token, lines…).
const APPEND = `if redis.call('get', KEYS[1]) ~= ARGV[1] then return 0 end
for i = 2, #ARGV do redis.call('xadd', KEYS[2], '*', 'e', ARGV[i]) end
return 1`;
// Every stored line of the run (KEYS: stream).
const READ = `local out = {}
for _, entry in ipairs(redis.call('xrange', KEYS[1], '-', '+')) do out[#out + 1] = entry[2][2] end
return out`;
// The owner and whether a follower asked to cancel (KEYS: owner, cancel).
const WATCH = `return {redis.call('get', KEYS[1]), redis.call('get', KEYS[2])}`;
// A finished run's keys expire (KEYS: any; ARGV: seconds).
const EXPIRE = `for _, k in ipairs(KEYS) do redis.call('expire', k, ARGV[1]) end return 1`;

export interface CoordinatorOptions {
  redis: string;
  name: string;
  /** Runs coordinated at once by this worker. */
  runs: number;
}

export interface RunJobResult {
  exitCode: number;
  resumed: boolean;
  coordinator: string;
}

const EMPTY_SUMMARY: RunSummary = {
  ran: [],
  alreadyComplete: [],
  failed: [],
  schedulingErrors: [],
  blocked: [],
  blockedByMissingExternal: [],
  missingExternal: [],
  cancelled: [],
  notRun: [],
  succeededAfterRetry: [],
  incompleteRoots: [],
  attempts: {},
  causes: {},
  missingPaths: {},
  errors: {},
};

/** The runs queue's BullMQ Worker; `stop()` hands this worker's runs over to the others. */
export function coordinatorWorker(
  host: CliHost,
  options: CoordinatorOptions,
): { worker: Worker<RunJobData, RunJobResult>; stop(): Promise<void> } {
  const connection = connectionOf(options.redis);
  // A plain connection for the stream and the owner keys (BullMQ's own reconnect handling).
  const keys = new Queue(RUN_QUEUE, { connection });
  // A finished run's superseded attempts (resumed-attempts.ts) leave the task queue with it.
  const tasks = new Queue(TASK_QUEUE, { connection });
  const client = keys.client.then((c) => {
    c.defineCommand('plumbRunAppend', { numberOfKeys: 2, lua: APPEND });
    c.defineCommand('plumbRunRead', { numberOfKeys: 1, lua: READ });
    c.defineCommand('plumbRunWatch', { numberOfKeys: 2, lua: WATCH });
    c.defineCommand('plumbRunExpire', { numberOfKeys: 3, lua: EXPIRE });
    return c;
  });
  const schedulers = new Set<ChildProcess>();
  /** Set by stop(): the runs here are handed over, not ended. */
  let handingOver = false;

  const processor = async (job: Job<RunJobData, RunJobResult>): Promise<RunJobResult> => {
    const data = job.data;
    const c = await client;
    const token = randomUUID();
    // Owner first, then read: whatever an earlier coordinator stored is all it will ever store.
    await c.set(runOwnerKey(data.runId), token, { EX: KEEP_FINISHED_S });
    const stored = storedRun(await readRun(c, data.runId));
    const resumed = stored.lastSeq >= 0;
    const result = (exitCode: number): RunJobResult => ({ exitCode, resumed, coordinator: options.name });
    if (stored.finished) {
      // The run ended; only its job's end was lost with the coordinator (and maybe its clean-up).
      await removeSuperseded(tasks, data.runId).catch(() => undefined);
      return result((JSON.parse(stored.finished) as RunFinishedEvent).exitCode);
    }
    const splice = resumed ? resumeSplicer(stored, options.name) : (line: string) => [line];

    let owned = true;
    let queued: string[] = [];
    let chain = Promise.resolve();
    let writeError: unknown;
    const append = (lines: string[]) => {
      if (lines.length === 0 || !owned) return;
      const first = queued.length === 0;
      queued.push(...lines);
      // Lines that arrive while a write is on its way go together in the next one.
      if (first)
        chain = chain
          .then(async () => {
            const batch = queued;
            queued = [];
            const ok = await c
              .runCommand('plumbRunAppend', [
                runOwnerKey(data.runId),
                runStreamKey(data.runId),
                token,
                ...batch,
              ])
              .catch(async () => {
                // Redis unreachable for now: BullMQ's connection retries; so do we, in order.
                await new Promise((r) => setTimeout(r, 500));
                return c.runCommand('plumbRunAppend', [
                  runOwnerKey(data.runId),
                  runStreamKey(data.runId),
                  token,
                  ...batch,
                ]);
              });
            if (ok === 0) lostRun();
          })
          .catch((e: unknown) => {
            writeError ??= e;
          });
    };
    // Set once it is started: a takeover seen before then has nothing to stop.
    const running: { scheduler?: ChildProcess } = {};
    const lostRun = () => {
      if (!owned) return;
      owned = false;
      process.stderr.write(
        `plumb worker ${options.name}: run ${data.runId} was taken over by another worker; stopping its scheduler here\n`,
      );
      running.scheduler?.kill('SIGKILL');
    };
    let lastSeq = stored.lastSeq;
    /** The run-finished of a run whose scheduler did not end it (it crashed, or was cancelled before it could). */
    const ended = (outcome: 'crashed' | 'cancelled', message: string) =>
      JSON.stringify({
        v: EVENT_SCHEMA_VERSION,
        runId: data.runId,
        seq: resumed ? 0 : lastSeq + 1,
        time: Date.now(),
        type: 'run-finished',
        outcome,
        exitCode: EXIT_CODES[outcome],
        durationMs: Date.now() - (resumed ? stored.startedAt : (job.processedOn ?? Date.now())),
        summary: EMPTY_SUMMARY,
        message,
      });
    const endWithout = async (outcome: 'crashed' | 'cancelled', message: string) => {
      const out = splice(ended(outcome, message));
      if (resumed) {
        await chain.catch(() => undefined);
        if (owned) await rewriteRunLog(c, data.runId, out);
      }
      append(out);
      await chain.catch(() => undefined);
      await expire(c, data.runId);
      return result(EXIT_CODES[outcome]);
    };

    if (!existsSync(data.cwd))
      return endWithout(
        'crashed',
        `worker ${options.name} cannot see the run's directory ${data.cwd} (every host needs the same project at the same path)`,
      );
    // Cancelled before any scheduler ran it (or between two): nothing of it starts.
    if ((await c.get(runCancelKey(data.runId))) !== null)
      return endWithout('cancelled', 'cancelled before the run started');
    const child = spawn(
      process.execPath,
      [
        ...process.execArgv,
        host.cliScript,
        ...data.argv,
        '--cluster',
        options.redis,
        '--events',
        'jsonl',
        // Its followers draw the run; its stderr is for what it says before the run starts.
        ...(data.argv.includes('--quiet') ? [] : ['--quiet']),
      ],
      {
        cwd: data.cwd,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          ...data.env,
          [SCHEDULER_ENV.role]: 'scheduler',
          [SCHEDULER_ENV.runId]: data.runId,
          [SCHEDULER_ENV.parent]: String(process.pid),
          ...(resumed ? { [RESUMED_ENV]: '1' } : {}),
        },
      },
    );
    running.scheduler = child;
    schedulers.add(child);
    child.once('exit', () => {
      schedulers.delete(child);
      // Something it started may still hold its stdout: stop reading a while after it exited.
      setTimeout(() => child.stdout?.destroy(), 5000).unref();
    });
    let stderr = '';
    let seenEvent = false;
    child.stderr!.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      stderr = (stderr + text).slice(-8000);
      // Before its first event the scheduler may wait for a lock or a key: the follower shows why.
      if (!seenEvent) void job.updateProgress({ note: text } satisfies RunJobProgress).catch(() => undefined);
    });
    let cancelled = false;
    const watch = setInterval(() => {
      void c
        .runCommand('plumbRunWatch', [runOwnerKey(data.runId), runCancelKey(data.runId)])
        .then(([owner, cancel]: [string | null, string | null]) => {
          if (owner !== null && owner !== token) lostRun();
          else if (cancel && !cancelled) {
            cancelled = true;
            child.kill('SIGINT');
          }
        })
        .catch(() => undefined);
    }, WATCH_MS);
    let finished = false;
    try {
      // A resumed run's end waits for its log on disk to be made whole (rewriteRunLog): whoever reads
      // run-finished finds the same story there.
      let held: string[] | undefined;
      for await (const line of createInterface({ input: child.stdout! })) {
        if (!line.startsWith('{')) continue;
        seenEvent = true;
        const out = splice(line);
        for (const l of out) lastSeq = (JSON.parse(l) as { seq: number }).seq;
        if (line.includes('"type":"run-finished"')) {
          finished = true;
          setTimeout(() => child.kill('SIGKILL'), GIVE_UP_MS).unref();
          if (resumed) held = out;
          else append(out);
        } else append(out);
      }
      const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) resolve([child.exitCode, child.signalCode]);
        else child.once('exit', (cd, s) => resolve([cd, s]));
      });
      if (handingOver) {
        // Never settled: the job stays active until its lock lapses and another worker resumes it.
        await new Promise(() => undefined);
      }
      if (!owned) throw new Error(`run ${data.runId} was taken over by another worker`);
      let exitCode = code ?? EXIT_CODES.crashed;
      if (!finished) {
        // Whoever follows the run, now or later, still learns how it ended: a scheduler cancelled
        // before its Ctrl-C handling was in place ends the run cancelled, as a local run would.
        const out = splice(
          cancelled && signal === 'SIGINT'
            ? ended('cancelled', 'cancelled before the run started')
            : ended(
                'crashed',
                `the run's scheduler exited (${signal ?? `code ${code}`}) before the run finished${stderr.trim() ? `:\n${stderr.trim()}` : ''}`,
              ),
        );
        if (resumed) held = out;
        else append(out);
        exitCode = cancelled && signal === 'SIGINT' ? EXIT_CODES.cancelled : EXIT_CODES.crashed;
      }
      if (held) {
        await chain;
        if (owned) await rewriteRunLog(c, data.runId, held);
        append(held);
      }
      await chain;
      if (writeError) throw writeError;
      if (!owned) throw new Error(`run ${data.runId} was taken over by another worker`);
      await expire(c, data.runId);
      await removeSuperseded(tasks, data.runId).catch(() => undefined);
      return result(exitCode);
    } finally {
      clearInterval(watch);
    }
  };

  const worker = new Worker<RunJobData, RunJobResult>(RUN_QUEUE, processor, {
    connection,
    concurrency: options.runs,
    name: options.name,
    // A coordinator whose host died is noticed as a task's worker would be; its run is resumed.
    lockDuration: Number(process.env.PLUMB_CLUSTER_LOCK_MS) || 10_000,
    stalledInterval: Number(process.env.PLUMB_CLUSTER_STALLED_MS) || 5_000,
    // However many hosts a run outlives, it is resumed, never failed for having stalled.
    maxStalledCount: 1_000_000,
  });
  return {
    worker,
    async stop() {
      // Its runs are handed over: their schedulers stop, their jobs' locks lapse, other workers resume them.
      handingOver = true;
      for (const s of schedulers) s.kill('SIGKILL');
      await worker.close(true);
      await Promise.all([keys.close(), tasks.close()]);
    },
  };
}

type Client = Awaited<Queue['client']>;

async function readRun(c: Client, runId: string): Promise<string[]> {
  return (await c.runCommand('plumbRunRead', [runStreamKey(runId)])) as string[];
}

async function expire(c: Client, runId: string): Promise<void> {
  await c.runCommand('plumbRunExpire', [
    runStreamKey(runId),
    runOwnerKey(runId),
    runCancelKey(runId),
    String(KEEP_FINISHED_S),
  ]);
}

/**
 * A resumed run's log on disk (.plumb/runs/<runId>.jsonl, in the test area for a test run) was written by two schedulers: it becomes
 * the one story the stream tells, as a run nobody resumed would have it.
 */
/**
 * Where the scheduler wrote the run's log: `.plumb/runs/` of the project the summary names, or of
 * the test area run-started names (a test-mode run keeps its own history: runtime's runLogDir).
 */
export function storedRunLogFile(lines: string[], runId: string): string | undefined {
  const last = JSON.parse(lines.at(-1) ?? '{}') as Partial<RunFinishedEvent>;
  const root = last.summary?.projectRoot;
  if (!root) return undefined;
  const started = lines.find((l) => l.includes('"type":"run-started"'));
  const testArea = started ? (JSON.parse(started) as { testArea?: string }).testArea : undefined;
  return runLogFileOf(root, testArea, runId);
}

async function rewriteRunLog(c: Client, runId: string, end: string[]): Promise<void> {
  const lines = [...(await readRun(c, runId)), ...end];
  const file = storedRunLogFile(lines, runId);
  if (!file) return;
  if (!existsSync(path.dirname(file))) return;
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, lines.map((l) => `${l}\n`).join(''));
  renameSync(temporary, file);
}
