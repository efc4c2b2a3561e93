// Process isolation: a task attempt in a child process (the CLI itself, hidden command
// `__task`), for CPU-heavy or crash-prone tasks and timeouts that really stop them. The child
// reports progress, status and logs over IPC; killing it leaves only temp files, swept after.
// Each child leads a process group of its own: a timeout or a cancel kills the group, i.e. the
// task's whole process tree, and so does its end (nothing it started outlives it).
import { fork } from 'node:child_process';
import path from 'node:path';
import { sweepStaleTemps } from './atomic-write';
import { loadConfig } from './config';
import { loadPipeline } from './cli-loader';
import { type TaskNode } from './graph';
import { describeError, type IsolatedRunner } from './scheduler';
import { buildTask, taskParamStrings } from './task-factory';
import { type LogLevel, type TaskRunHooks } from './task-context';
import { outputsOf, setParamConfigDefaults } from './task';
import { setProjectRoot } from './project-root';
import { captureTaskConsole } from './console-capture';
import { setDurableWrites } from './atomic-write';
import { runAttempt, TaskCancelledError, TaskTimeoutError, type AttemptOutcome } from './worker';
import { killProcessGroup, noteTaggedProcesses, setChildGroups } from './child-processes';
import { killOrphansOf, watchParent } from './cli-parent-watch';
import { OWNER_ENV, ownerTag, thisProcess, type ProcessIdentity } from './process-identity';
import { installRunGuard } from './run-guard';
import { setRequiredParent } from './atomic-write';

type ChildMessage =
  | { type: 'progress'; fraction: number }
  | { type: 'status'; message: string }
  | { type: 'log'; level: LogLevel; text: string }
  | { type: 'result'; ok: true }
  | { type: 'result'; ok: false; error: { name: string; message: string; stack?: string } };

interface ChildRequest {
  module: string;
  family: string;
  params: Record<string, string>;
  projectRoot: string;
  /** The run that started it: the child dies with it and never commits after it. */
  parent: ProcessIdentity;
}

/** How long after an isolated child exits its stdout/stderr may stay open (held by what it left). */
const PIPE_GRACE_MS = 2000;

/** The parent side: runs attempts of isolated tasks in children of `cliScript`. */
export function isolatedRunner(cliScript: string, modulePath: string, projectRoot: string): IsolatedRunner {
  const parent = thisProcess();
  const owner = ownerTag(projectRoot);
  let orphansKilled = false;
  return (node: TaskNode, hooks: TaskRunHooks, _attempt, spawned) =>
    new Promise<AttemptOutcome>((resolve) => {
      if (!orphansKilled) {
        orphansKilled = true;
        killOrphansOf(projectRoot); // survivors of a dead run must not run beside this one
      }
      const request: ChildRequest = {
        module: modulePath,
        family: node.task.taskFamily,
        params: taskParamStrings(node.task),
        projectRoot,
        parent,
      };
      // No --inspect in the child: it would fight the parent for the debugger port.
      const execArgv = process.execArgv.filter((a) => !a.startsWith('--inspect'));
      const child = fork(cliScript, ['__task', JSON.stringify(request)], {
        execArgv,
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        env: { ...process.env, NO_COLOR: '1', [OWNER_ENV]: owner },
        detached: process.platform !== 'win32',
      });
      noteTaggedProcesses();
      spawned(child.pid);
      let result: AttemptOutcome | undefined;
      const pipeLines = (stream: NodeJS.ReadableStream | null, level: LogLevel) => {
        let rest = '';
        stream?.setEncoding('utf8');
        stream?.on('data', (chunk: string) => {
          const lines = (rest + chunk).split('\n');
          rest = lines.pop()!;
          for (const line of lines) hooks.log(level, line);
        });
        stream?.on('end', () => rest && hooks.log(level, rest));
      };
      pipeLines(child.stdout, 'info');
      pipeLines(child.stderr, 'error');
      child.on('message', (m: ChildMessage) => {
        if (m.type === 'progress') hooks.progress(m.fraction);
        else if (m.type === 'status') hooks.status(m.message);
        else if (m.type === 'log') hooks.log(m.level, m.text);
        else if (m.type === 'result') {
          result = m.ok
            ? { kind: 'done' }
            : { kind: 'failed', error: Object.assign(new Error(m.error.message), m.error) };
        }
      });
      const onAbort = () => killProcessGroup(child.pid);
      hooks.signal.addEventListener('abort', onAbort, { once: true });
      // Whatever the task started and left running goes with it; and until they are gone, its
      // stdout/stderr pipes (inherited) would keep 'close' from coming.
      child.on('exit', () => {
        killProcessGroup(child.pid);
        // One that left the group may still hold the pipes: do not wait on them for ever.
        setTimeout(() => {
          child.stdout?.destroy();
          child.stderr?.destroy();
        }, PIPE_GRACE_MS).unref();
      });
      // 'close', not 'exit': it comes after the IPC channel's end, so every message the child sent
      // (its result above all) has been read. On 'exit' alone, under load, a result still in the
      // pipe was missed and a task that did its work was reported as ending "without a result".
      child.on('close', (code, signal) => {
        hooks.signal.removeEventListener('abort', onAbort);
        if (hooks.signal.aborted) {
          const reason: unknown = hooks.signal.reason;
          sweepOutputDirs(node);
          if (reason instanceof TaskTimeoutError) resolve({ kind: 'failed', error: reason, timedOut: true });
          else if (reason instanceof TaskCancelledError)
            resolve({ kind: 'failed', error: reason, cancelled: true });
          else resolve({ kind: 'failed', error: reason }); // failed by the run guard
          return;
        }
        if (result) resolve(result);
        else {
          sweepOutputDirs(node);
          resolve({
            kind: 'failed',
            error: new Error(
              `${node.id}: task process ${child.pid} ended ${signal ? `by ${signal}` : `with exit code ${code}`} without a result`,
            ),
          });
        }
      });
    });
}

function sweepOutputDirs(node: TaskNode): void {
  try {
    for (const t of outputsOf(node.task)) if (t.path) sweepStaleTemps(path.dirname(t.path));
  } catch {
    /* output() threw: nothing to sweep */
  }
}

/** The child side (`plumb __task <json>`): runs one attempt and reports back. */
export async function runIsolatedChild(requestJson: string): Promise<number> {
  const send = (m: ChildMessage) => new Promise<void>((r) => process.send!(m, () => r()));
  try {
    const req = JSON.parse(requestJson) as ChildRequest;
    if (req.parent) {
      setRequiredParent(req.parent.pid);
      watchParent(req.parent.pid); // also checks at once, without waiting for its thread to start
    }
    setChildGroups(false); // taskSpawn children stay in this process's group, killed with it
    setProjectRoot(req.projectRoot);
    const config = loadConfig(req.projectRoot);
    setParamConfigDefaults(config.params);
    setDurableWrites(config.run.durable);
    const pipeline = loadPipeline(req.module);
    const cls = pipeline.families.get(req.family);
    if (!cls) throw new Error(`${req.family} is not exported by ${req.module}`);
    const task = buildTask(cls, req.params);
    const controller = new AbortController();
    const fail = (error: unknown): boolean => {
      if (!controller.signal.aborted) controller.abort(error);
      return true;
    };
    const hooks: TaskRunHooks = {
      taskId: task.taskId,
      signal: controller.signal,
      get stopped() {
        return controller.signal.aborted;
      },
      progress: (fraction) => void send({ type: 'progress', fraction }),
      status: (message) => void send({ type: 'status', message }),
      log: (level, text) => void send({ type: 'log', level, text }),
      dependOn: () => Promise.reject(new Error('dynamic dependencies are not supported in isolated tasks')),
      fail,
    };
    // The same guard as a run's: an uncaught error, process.exit() or a run() that can never
    // settle becomes this attempt's failure, reported like any other.
    const guard = installRunGuard();
    guard.watch({
      failRunning: (errorFor) => (fail(errorFor(task.taskId)), [task.taskId]),
      cancel: () => undefined,
    });
    const release = captureTaskConsole();
    let outcome: AttemptOutcome;
    try {
      outcome = await Promise.race([runAttempt(task, hooks), guard.crashed]);
    } finally {
      release();
      guard.remove();
    }
    if (outcome.kind === 'yield') {
      outcome = {
        kind: 'failed',
        error: new Error('dynamic dependencies (yield) are not supported in isolated tasks'),
      };
    }
    if (outcome.kind === 'done') await send({ type: 'result', ok: true });
    else if (outcome.kind === 'failed')
      await send({ type: 'result', ok: false, error: describeError(outcome.error) });
    return 0;
  } catch (e) {
    await send({ type: 'result', ok: false, error: describeError(e) });
    return 0;
  }
}
