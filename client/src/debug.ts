// Debugs a run with VS Code's JavaScript debugger; its events come back through an events file.
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { Ctx } from './context';
import { EventLineReader } from './eventLineReader';
import { FileTail } from './fileTail';
import { LiveRun } from './liveRun';
import { runArguments, type RunRequest } from './runCommandLine';
import { reportRunEnd, runCwd } from './run';

/**
 * The launch configuration of a debugged run: the same CLI and arguments as a plain run, with the
 * events written to a file (stdout belongs to the debug console). Source maps let breakpoints set in
 * the .ts sources bind in the code the runtime transpiles; the runtime's own bundle is skipped.
 */
export function debugConfiguration(
  ctx: Ctx,
  request: RunRequest,
  eventsFile: string,
  token: string,
): vscode.DebugConfiguration {
  const runtimeDir = path.dirname(ctx.cliPath);
  return {
    type: 'node',
    request: 'launch',
    name: `Plumb: ${request.family}`,
    program: ctx.cliPath,
    args: runArguments(request, { kind: 'file', path: eventsFile }),
    cwd: runCwd(request.file),
    runtimeExecutable: ctx.nodePath,
    console: 'internalConsole',
    outputCapture: 'std',
    sourceMaps: true,
    // The pipeline's own code is source-mapped (the runtime transpiles it with inline maps); the
    // runtime bundle is not, so its frames stay in dist/runtime and skipFiles steps over them.
    resolveSourceMapLocations: ['**', '!**/node_modules/**', `!${runtimeDir}/**`],
    skipFiles: ['<node_internals>/**', `${runtimeDir}/**`],
    env: { NO_COLOR: '1' },
    plumbRunToken: token,
  };
}

/** js-debug runs the program in a child session of the one we launch: either carries our token. */
function isOurSession(session: vscode.DebugSession | undefined, token: string): boolean {
  for (let s = session; s; s = s.parentSession) if (s.configuration.plumbRunToken === token) return true;
  return false;
}

/** Requests after which the debuggee runs again (DAP sends no 'continued' event for them). */
const resumingRequests = new Set([
  'continue',
  'next',
  'stepIn',
  'stepOut',
  'stepBack',
  'reverseContinue',
  'goto',
]);

/** Tells the tracker when the debugger stops or resumes the run, so the status bar can say "paused". */
function trackPauses(ctx: Ctx, live: LiveRun, token: string): vscode.Disposable {
  return vscode.debug.registerDebugAdapterTrackerFactory('*', {
    createDebugAdapterTracker(session) {
      if (!isOurSession(session, token)) return undefined;
      return {
        onDidSendMessage(message: { type?: string; event?: string }) {
          if (message.type !== 'event') return;
          if (message.event === 'stopped') ctx.runs.setPaused(live, true);
          else if (message.event === 'continued') ctx.runs.setPaused(live, false);
        },
        onWillReceiveMessage(message: { type?: string; command?: string }) {
          if (message.type === 'request' && resumingRequests.has(message.command ?? ''))
            ctx.runs.setPaused(live, false);
        },
      };
    },
  });
}

function runtimePid(run: LiveRun): number | undefined {
  const started = run.events.find((e) => e.type === 'run-started');
  return started?.type === 'run-started' ? started.pid : undefined;
}

export async function startDebugRun(ctx: Ctx, request: RunRequest): Promise<LiveRun | undefined> {
  const token = randomUUID();
  const eventsFile = path.join(os.tmpdir(), `plumb-debug-${token}.jsonl`);
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(request.file));
  let session: vscode.DebugSession | undefined;
  const graceMs = vscode.workspace.getConfiguration('plumb').get<number>('run.cancelGraceMs', 5000);
  // Cancel as in a plain run: SIGINT to the runtime (its pid is in run-started) so it stops cleanly
  // and says so; the debugger ends the session only if that takes too long.
  const live = new LiveRun(request, 'debug', runCwd(request.file), () => {
    const pid = runtimePid(live);
    if (pid !== undefined) {
      try {
        process.kill(pid, 'SIGINT');
      } catch {
        // already gone
      }
    }
    setTimeout(
      () => {
        if (!live.ended && session) void vscode.debug.stopDebugging(session);
      },
      // Paused at a breakpoint, the runtime cannot run its SIGINT handler: no point in waiting.
      pid === undefined || live.paused ? 0 : graceMs,
    );
  });
  const reader = new EventLineReader();
  const tail = new FileTail(eventsFile, (text) => {
    const events = reader.push(text);
    if (events.length > 0) live.feed(events);
  });

  const pauses = trackPauses(ctx, live, token);
  const started = vscode.debug.onDidStartDebugSession((s) => {
    if (s.configuration.plumbRunToken === token) session = s;
  });
  const terminated = vscode.debug.onDidTerminateDebugSession(async (s) => {
    if (s.configuration.plumbRunToken !== token) return;
    started.dispose();
    terminated.dispose();
    pauses.dispose();
    await tail.stop();
    const rest = reader.end();
    if (rest.length > 0) live.feed(rest);
    ctx.runs.end(live);
    if (!live.state.finished) reportRunEnd(ctx, live, { code: null, signal: null });
    await rm(eventsFile, { force: true });
  });

  ctx.runs.begin(live);
  tail.start();
  const ok = await vscode.debug.startDebugging(folder, debugConfiguration(ctx, request, eventsFile, token));
  if (!ok) {
    started.dispose();
    terminated.dispose();
    pauses.dispose();
    await tail.stop();
    ctx.runs.end(live);
    void vscode.window.showErrorMessage(`Plumb: the debugger did not start for ${request.family}.`);
    return undefined;
  }
  return live;
}
