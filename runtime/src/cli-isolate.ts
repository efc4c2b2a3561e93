// Process isolation: task attempts in other processes, for CPU-bound work that should use more
// cores than the run's one thread, crash-prone tasks, and timeouts that really stop a run(). The
// attempts run in a pool of warm processes (cli-isolate-pool.ts; the member side is
// cli-isolate-member.ts), each leading a process group of its own: a timeout or a cancel kills
// the member's group, i.e. the task's whole process tree, and the pool starts another. Results are
// decided only once the attempt's last message and output lines have been read.
import path from 'node:path';
import { sweepStaleTemps } from './atomic-write';
import { type TaskNode } from './graph';
import { type IsolatedRunner } from './scheduler';
import { taskParamStrings } from './task-factory';
import { type TaskRunHooks } from './task-context';
import { outputsOf } from './task';
import { TaskCancelledError, TaskTimeoutError, type AttemptOutcome } from './worker';
import { killOrphansOf } from './cli-parent-watch';
import { OWNER_ENV, ownerTag, thisProcess } from './process-identity';
import { IsolatePool, type AttemptSink, type MemberEnd } from './cli-isolate-pool';

export { runIsolatedChild } from './cli-isolate-member';

/** A member runs at most this many attempts (PLUMB_ISOLATE_RECYCLE_AFTER), then a fresh one takes over. */
const DEFAULT_MAX_ATTEMPTS = 100;
/** A member past this RSS after an attempt is recycled (PLUMB_ISOLATE_MAX_RSS_MB). */
const DEFAULT_MAX_RSS_MB = 1024;

function positiveEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** The parent side: runs attempts of isolated tasks in a pool of warm children of `cliScript`. */
export function isolatedRunner(cliScript: string, modulePath: string, projectRoot: string): IsolatedRunner {
  const owner = ownerTag(projectRoot);
  const pool = new IsolatePool({
    cliScript,
    init: { module: modulePath, projectRoot, parent: thisProcess() },
    env: { ...process.env, NO_COLOR: '1', [OWNER_ENV]: owner },
    maxAttempts: positiveEnv('PLUMB_ISOLATE_RECYCLE_AFTER', DEFAULT_MAX_ATTEMPTS),
    maxRssBytes: positiveEnv('PLUMB_ISOLATE_MAX_RSS_MB', DEFAULT_MAX_RSS_MB) * 1024 * 1024,
  });
  let orphansKilled = false;
  return async (node: TaskNode, hooks: TaskRunHooks, _attempt, spawned) => {
    if (!orphansKilled) {
      orphansKilled = true;
      killOrphansOf(projectRoot); // survivors of a dead run must not run beside this one
    }
    if (hooks.stopped) return decide(node, hooks, {}, undefined); // cancelled before it began
    const member = pool.acquire();
    spawned(member.pid);
    const sink: AttemptSink = {
      message: (m) => {
        if (m.type === 'progress') hooks.progress(m.fraction);
        else if (m.type === 'status') hooks.status(m.message, m.rows);
        else hooks.log(m.level, m.text);
      },
      line: (level, text) => hooks.log(level, text),
    };
    const onAbort = () => member.kill();
    hooks.signal.addEventListener('abort', onAbort, { once: true });
    let end: MemberEnd;
    try {
      end = await member.run(node.task.taskFamily, taskParamStrings(node.task), sink);
    } finally {
      hooks.signal.removeEventListener('abort', onAbort);
    }
    const outcome = decide(node, hooks, end, member.pid);
    pool.release(member, end, outcome.kind === 'failed');
    return outcome;
  };
}

function decide(
  node: TaskNode,
  hooks: TaskRunHooks,
  end: MemberEnd,
  pid: number | undefined,
): AttemptOutcome {
  if (hooks.signal.aborted) {
    const reason: unknown = hooks.signal.reason;
    sweepOutputDirs(node);
    if (reason instanceof TaskTimeoutError) return { kind: 'failed', error: reason, timedOut: true };
    if (reason instanceof TaskCancelledError) return { kind: 'failed', error: reason, cancelled: true };
    return { kind: 'failed', error: reason }; // failed by the run guard
  }
  const r = end.result;
  if (r?.ok) return { kind: 'done' };
  if (r) return { kind: 'failed', error: Object.assign(new Error(r.error?.message), r.error) };
  sweepOutputDirs(node);
  const how = end.exit?.signal ? `by ${end.exit.signal}` : `with exit code ${end.exit?.code}`;
  return {
    kind: 'failed',
    error: new Error(`${node.id}: task process ${pid} ended ${how} without a result`),
  };
}

function sweepOutputDirs(node: TaskNode): void {
  try {
    for (const t of outputsOf(node.task)) if (t.path) sweepStaleTemps(path.dirname(t.path));
  } catch {
    /* output() threw: nothing to sweep */
  }
}
