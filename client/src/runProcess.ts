// Runs the bundled `plumb` CLI in a child process and turns its stdout into run events.
import { spawn, type ChildProcess } from 'node:child_process';
import type { RunEvent } from '../../runtime/src/events';
import { EventLineReader } from './eventLineReader';

export interface RunProcessOptions {
  /** The `node` to run the CLI with (not the extension host's own executable, which may be Electron). */
  nodePath: string;
  cliPath: string;
  args: readonly string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  onEvents: (events: RunEvent[]) => void;
  /** Human output (stderr) and stray stdout lines that are not events. */
  onOutput: (text: string) => void;
}

export interface RunExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not start at all (e.g. no `node` on PATH). */
  spawnError?: Error;
}

/** How long after the run exits its pipes may stay open (held by something it left running). */
const PIPE_GRACE_MS = 2000;

export class RunProcess {
  readonly exited: Promise<RunExit>;
  private readonly child: ChildProcess;
  private killTimer: ReturnType<typeof setTimeout> | undefined;
  private done = false;
  private cancelled = false;

  constructor(options: RunProcessOptions) {
    const reader = new EventLineReader((line) => options.onOutput(`${line}\n`));
    this.child = spawn(options.nodePath, ['--enable-source-maps', options.cliPath, ...options.args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
      // Its own process group, so a Cancel that must force the end reaches everything it started.
      detached: process.platform !== 'win32',
    });
    this.child.stdout?.setEncoding('utf8');
    this.child.stderr?.setEncoding('utf8');
    this.child.stdout?.on('data', (chunk: string) => {
      const events = reader.push(chunk);
      if (events.length > 0) options.onEvents(events);
    });
    this.child.stderr?.on('data', (chunk: string) => options.onOutput(chunk));
    this.exited = new Promise<RunExit>((resolve) => {
      this.child.on('error', (error) => {
        this.finish();
        resolve({ code: null, signal: null, spawnError: error });
      });
      // A process the run started and did not stop (in another process group, so not killed with
      // it) may still hold its stdout/stderr: once the run itself has exited, what it wrote is read
      // within moments, so after a grace the pipes are closed rather than waited on forever.
      this.child.on('exit', () => {
        setTimeout(() => {
          this.child.stdout?.destroy();
          this.child.stderr?.destroy();
        }, PIPE_GRACE_MS).unref();
      });
      // 'close' (not 'exit') so every byte of stdout has been read first.
      this.child.on('close', (code, signal) => {
        this.finish();
        const rest = reader.end();
        if (rest.length > 0) options.onEvents(rest);
        resolve({ code, signal });
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /**
   * SIGINT first: the runtime stops scheduling, lets running tasks abort (their temp files are
   * removed, so no partial output) and writes run-finished. SIGTERM if it has not ended after
   * `graceMs`; SIGKILL to its whole process group if it has not ended `killGraceMs` later (a
   * run() blocking the runtime's thread, a handler that hangs): Cancel always ends the run.
   */
  cancel(graceMs = 5000, killGraceMs = graceMs): void {
    if (this.done || this.cancelled) return;
    this.cancelled = true;
    this.child.kill('SIGINT');
    this.killTimer = setTimeout(() => {
      if (this.done) return;
      this.child.kill('SIGTERM');
      this.killTimer = setTimeout(() => {
        if (!this.done) this.killGroup();
      }, killGraceMs);
    }, graceMs);
  }

  private killGroup(): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      if (process.platform === 'win32') this.child.kill('SIGKILL');
      else process.kill(-pid, 'SIGKILL');
    } catch {
      /* gone already */
    }
  }

  private finish(): void {
    this.done = true;
    if (this.killTimer) clearTimeout(this.killTimer);
    // A cancelled run leaves nothing of its own behind, even what it started and did not stop.
    if (this.cancelled) this.killGroup();
  }
}
