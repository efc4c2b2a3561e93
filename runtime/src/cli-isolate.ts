// Process isolation: task attempts in other processes, for CPU-bound work that should use more
// cores than the run's one thread, crash-prone tasks, and timeouts that really stop a run(). The
// attempts run in a pool of warm processes (cli-isolate-pool.ts; the member side is
// cli-isolate-member.ts), each leading a process group of its own: a timeout or a cancel kills
// the member's group, i.e. the task's whole process tree, and the pool starts another. Results are
// decided only once the attempt's last message and output lines have been read.
// Tasks that only wait may share a member (`static isolateShare = N`: up to N attempts in one
// process). A crash or process.exit() still cannot take the run down, and a timeout or cancel still
// kills the member's whole group, with the co-tenants' attempts in it: those attempts are run again
// alone in a fresh member, not counted as a retry, and their log says why. So a task that crashes
// its member is found alone and fails as an unshared one does; the others lose only time.
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { sweepStaleTemps } from './atomic-write';
import { loadConfig, type FamilySettings } from './config';
import { type TaskNode } from './graph';
import { type IsolatedRunner } from './scheduler';
import { taskParamStrings } from './task-factory';
import { type TaskRunHooks } from './task-context';
import { outputsOf } from './task';
import { TaskCancelledError, TaskTimeoutError, type AttemptOutcome } from './worker';
import { killOrphansOf } from './cli-parent-watch';
import { OWNER_ENV, ownerTag, thisProcess } from './process-identity';
import { afterForks } from './cli-isolate-after-forks';
import { IsolatePool, type AttemptSink, type Member, type MemberEnd } from './cli-isolate-pool';

export { runIsolatedChild } from './cli-isolate-member';

/** The environment wins over plumb.toml ([run] isolate_recycle_after, isolate_max_rss_mb): it is set for one run. */
function positiveEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** When a pool member is recycled: plumb.toml's [run] settings, or the environment's for one run. */
export interface PoolLimits {
  /** Attempts per member (PLUMB_ISOLATE_RECYCLE_AFTER, isolate_recycle_after; default 1000: leaks are the memory ceiling's job, and a recycle near the end of a run costs a whole start). */
  recycleAfter: number;
  /** RSS in MB after an attempt (PLUMB_ISOLATE_MAX_RSS_MB, isolate_max_rss_mb; default 1024). */
  maxRssMb: number;
}

/**
 * What a member runs: the light entry bundled beside the CLI (cli-member.js, only what attempts
 * need), else the CLI itself (`plumb __task`, e.g. the CLI run from its TypeScript source).
 */
export function memberScript(cliScript: string): string {
  let cli = cliScript;
  try {
    cli = realpathSync(cliScript); // an installed `plumb` is a link to the package's dist/cli.js
  } catch {
    /* not a file we can see: fork it as given */
  }
  const light = path.join(path.dirname(cli), 'cli-member.js');
  return path.basename(cli) === 'cli.js' && existsSync(light) ? light : cliScript;
}

/** The parent side: runs attempts of isolated tasks in a pool of warm children of `cliScript`. */
export function isolatedRunner(
  cliScript: string,
  modulePath: string,
  projectRoot: string,
  limits: PoolLimits = { recycleAfter: 1000, maxRssMb: 1024 },
): IsolatedRunner {
  const owner = ownerTag(projectRoot);
  const pool = new IsolatePool({
    script: memberScript(cliScript),
    init: { module: modulePath, projectRoot, parent: thisProcess() },
    env: { ...process.env, NO_COLOR: '1', [OWNER_ENV]: owner },
    maxAttempts: positiveEnv('PLUMB_ISOLATE_RECYCLE_AFTER', limits.recycleAfter),
    maxRssBytes: positiveEnv('PLUMB_ISOLATE_MAX_RSS_MB', limits.maxRssMb) * 1024 * 1024,
  });
  // Survivors of a dead run must not run beside this one: they are killed before its first attempt
  // is sent, once the scheduler's first turns have forked their members, so those start meanwhile
  // (the scan reads every process's environment, 80-160 ms on a loaded machine).
  let orphansKilled: Promise<void> | undefined;
  // [tasks.X] isolate_share (the run has checked plumb.toml already; read once, when the pool loads).
  const families = loadConfig(projectRoot).tasks;
  return async (node: TaskNode, hooks: TaskRunHooks, _attempt, spawned) => {
    if (hooks.stopped) return decide(node, hooks, {}, undefined); // cancelled before it began
    let share = shareOf(node, families);
    for (;;) {
      const member = pool.acquire(share);
      await (orphansKilled ??= afterForks(
        () => pool.forks,
        () => killOrphansOf(projectRoot),
      ));
      if (hooks.stopped) {
        // Stopped while the scan ran: the member never got the attempt (a shared one has others).
        if (member.reserved > 0) member.reserved--;
        if (member.inFlight === 0) member.kill();
        return decide(node, hooks, {}, undefined);
      }
      if (member.dead) {
        // It died before it was sent the attempt (a co-tenant's end, while the scan ran): another.
        if (member.reserved > 0) member.reserved--;
        continue;
      }
      const { end, outcome } = await attemptIn(member, node, hooks, spawned);
      if (!lostToCoTenant(end, hooks)) return outcome;
      share = 1;
      hooks.log(
        'warn',
        `its shared task process ${member.pid} ended with ${end.tenants! - 1} other attempt(s) in it (${end.killedFor ?? endedHow(end)}): run again alone, not counted as a retry`,
      );
    }
  };

  async function attemptIn(
    member: Member,
    node: TaskNode,
    hooks: TaskRunHooks,
    spawned: Parameters<IsolatedRunner>[3],
  ): Promise<{ end: MemberEnd; outcome: AttemptOutcome }> {
    spawned(member.pid);
    const sink: AttemptSink = {
      message: (m) => {
        if (m.type === 'progress') hooks.progress(m.fraction);
        else if (m.type === 'status') hooks.status(m.message, m.rows);
        else hooks.log(m.level, m.text);
      },
      line: (level, text) => hooks.log(level, text),
    };
    // A timeout or cancel kills the whole member: its co-tenants are told which task's it was.
    const onAbort = () => member.kill(`${node.id} ${abortWord(hooks.signal.reason)}`);
    hooks.signal.addEventListener('abort', onAbort, { once: true });
    let end: MemberEnd;
    try {
      end = await member.run(node.task.taskFamily, taskParamStrings(node.task), sink);
    } finally {
      hooks.signal.removeEventListener('abort', onAbort);
    }
    const outcome = decide(node, hooks, end, member.pid);
    pool.release(member, end, outcome.kind === 'failed');
    return { end, outcome };
  }
}

/**
 * How many of the task's attempts may share one member: plumb.toml's `[tasks.X] isolate_share`,
 * else `static isolateShare = N` on its class (plumb.toml wins, as for every family setting).
 */
function shareOf(node: TaskNode, families: Record<string, FamilySettings>): number {
  const share =
    families[node.task.taskFamily]?.isolateShare ??
    (node.task.constructor as { isolateShare?: unknown }).isolateShare;
  return typeof share === 'number' && Number.isInteger(share) && share > 1 ? share : 1;
}

/**
 * The attempt ended without a result, not stopped itself, in a member that had other attempts in
 * it: it may have been lost to one of them (a crash, a timeout's kill), so it is not its failure.
 */
function lostToCoTenant(end: MemberEnd, hooks: TaskRunHooks): boolean {
  return !end.result && !hooks.signal.aborted && (end.tenants ?? 1) > 1;
}

function endedHow(end: MemberEnd): string {
  return end.exit?.signal ? `killed by ${end.exit.signal}` : `exit code ${end.exit?.code}`;
}

function abortWord(reason: unknown): string {
  if (reason instanceof TaskTimeoutError) return 'timed out';
  if (reason instanceof TaskCancelledError) return 'was cancelled';
  return 'failed';
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
