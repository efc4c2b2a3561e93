// The run's pool of warm processes for isolated attempts: a member loads the pipeline once and runs
// attempts one at a time. A member is started when an attempt finds none idle (so the pool never
// outgrows the run's workers but by one replacement starting early, below), and retired (its whole process group killed) when an attempt in it
// failed, timed out, was cancelled or crashed it, left child processes running, after `maxAttempts`
// attempts, or once its RSS passed `maxRssBytes`; the next attempt starts a fresh one in its place
// (after `maxAttempts`, foreseen: one fresh member at a time starts while the old one runs its last
// attempt).
// Idle members hold no reference on the run's event loop; the end of the run kills them all.
import { fork, type ChildProcess } from 'node:child_process';
import { type Socket } from 'node:net';
import { atRunEnd, killProcessGroup, noteTaggedProcesses } from './child-processes';
import { MemberGuard } from './cli-isolate-guard';
import { type LogLevel } from './task-context';
import { END_MARK, type AttemptRequest, type MemberInit, type MemberMessage } from './cli-isolate-protocol';

/** How long after a member exits its stdout/stderr may stay open (held by what it left). */
const PIPE_GRACE_MS = 2000;

export interface PoolOptions {
  /** The member's entry (cli-member.js, or the CLI), started as `<script> __task <init>`. */
  script: string;
  init: MemberInit;
  /** The environment of every member (the run's tag in OWNER_ENV). */
  env: NodeJS.ProcessEnv;
  maxAttempts: number;
  maxRssBytes: number;
}

/** Where an attempt's reports go: the running task's hooks. */
export interface AttemptSink {
  message(m: Exclude<MemberMessage, { type: 'result' }>): void;
  line(level: LogLevel, text: string): void;
}

export type ResultMessage = Extract<MemberMessage, { type: 'result' }>;

/** How an attempt in a member ended: its result, or the member's death without one (or after it). */
export interface MemberEnd {
  result?: ResultMessage;
  exit?: { code: number | null; signal: NodeJS.Signals | null };
}

interface Running {
  seq: number;
  sink: AttemptSink;
  result?: ResultMessage;
  /** End marks still to be read: stdout and stderr. */
  marksLeft: number;
  done(end: MemberEnd): void;
}

export class Member {
  readonly child: ChildProcess;
  readonly pid: number | undefined;
  attempts = 0;
  private seq = 0;
  private running: Running | undefined;
  dead = false;

  constructor(
    options: PoolOptions,
    private readonly onGone: (m: Member) => void,
    init: MemberInit = options.init,
  ) {
    // No --inspect in the child: it would fight the parent for the debugger port.
    const execArgv = process.execArgv.filter((a) => !a.startsWith('--inspect'));
    this.child = fork(options.script, ['__task', JSON.stringify(init)], {
      execArgv,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: options.env,
      detached: process.platform !== 'win32',
    });
    this.pid = this.child.pid;
    noteTaggedProcesses();
    this.pipeLines(this.child.stdout, 'info');
    this.pipeLines(this.child.stderr, 'error');
    this.child.on('message', (m: MemberMessage) => {
      const run = this.running;
      if (!run || m.seq !== run.seq) return; // an earlier attempt's leftover code speaking
      if (m.type === 'result') {
        run.result = m;
        this.maybeDone();
      } else run.sink.message(m);
    });
    this.child.on('error', () => undefined); // a failed spawn also ends in 'close'
    this.child.on('exit', () => {
      this.dead = true;
      // Whatever its tasks started and left running goes with it.
      killProcessGroup(this.pid);
      onGone(this);
      // One that left the group may still hold the pipes: do not wait on them for ever.
      setTimeout(() => {
        this.child.stdout?.destroy();
        this.child.stderr?.destroy();
      }, PIPE_GRACE_MS).unref();
    });
    // 'close', not 'exit': it comes after the IPC channel's end, so every message the member sent
    // (a result above all) has been read.
    this.child.on('close', (code, signal) => {
      const run = this.running;
      this.running = undefined;
      run?.done({ ...(run.result ? { result: run.result } : {}), exit: { code, signal } });
    });
  }

  /** Runs one attempt; resolves once its result and everything it printed have been read. */
  run(family: string, params: Record<string, string>, sink: AttemptSink): Promise<MemberEnd> {
    this.attempts++;
    this.hold(true);
    return new Promise((resolve) => {
      const seq = ++this.seq;
      this.running = { seq, sink, marksLeft: 2, done: resolve };
      const request: AttemptRequest = { type: 'run', seq, family, params };
      this.child.send(request, (error) => {
        if (error) this.kill(); // it is gone: its 'close' ends the attempt
      });
    });
  }

  /** Kills the member and its process group (a timeout, a cancel, a retirement). */
  kill(): void {
    this.dead = true;
    killProcessGroup(this.pid);
    this.onGone(this);
  }

  /** An idle member must not keep the run's event loop alive; a busy one must. */
  hold(busy: boolean): void {
    const handles = [this.child, this.child.channel, this.child.stdout, this.child.stderr] as (
      Pick<Socket, 'ref' | 'unref'> | null | undefined
    )[];
    for (const h of handles) {
      if (busy) h?.ref?.();
      else h?.unref?.();
    }
  }

  private maybeDone(): void {
    const run = this.running;
    if (!run?.result || run.marksLeft > 0) return;
    this.running = undefined;
    run.done({ result: run.result });
  }

  private pipeLines(stream: NodeJS.ReadableStream | null, level: LogLevel): void {
    let rest = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop()!;
      for (const line of lines) this.line(level, line);
    });
    stream?.on('end', () => rest && this.line(level, rest));
  }

  private line(level: LogLevel, line: string): void {
    const run = this.running;
    const at = line.indexOf(END_MARK);
    if (at < 0) {
      run?.sink.line(level, line);
      return;
    }
    // A line the task left unfinished ends where the mark begins.
    if (at > 0) run?.sink.line(level, line.slice(0, at));
    if (run && Number(line.slice(at + END_MARK.length)) === run.seq) {
      run.marksLeft--;
      this.maybeDone();
    }
  }
}

export class IsolatePool {
  private readonly idle: Member[] = [];
  private readonly members = new Set<Member>();
  private closing = false;
  private closerRegistered = false;
  /** Kills the members with the run where it can (else each member watches with a thread of its own). */
  private readonly guard = MemberGuard.available() ? new MemberGuard() : undefined;

  constructor(private readonly options: PoolOptions) {}

  /** An idle warm member, or a new one. */
  acquire(): Member {
    let member = this.idle.pop();
    while (member?.dead) member = this.idle.pop();
    member ??= this.start();
    // Its next attempt is its last: its replacement starts meanwhile (start-up is most of a member's
    // cost), taken after the warm ones, so the attempt after it does not wait for a process to start.
    if (member.attempts + 1 >= this.options.maxAttempts && !this.idle.some((m) => m.attempts === 0)) {
      const replacement = this.start();
      replacement.hold(false);
      this.idle.unshift(replacement);
    }
    return member;
  }

  private start(): Member {
    if (!this.closerRegistered) {
      this.closerRegistered = true;
      atRunEnd(() => this.close());
    }
    this.closing = false;
    const init = { ...this.options.init, guarded: this.guard !== undefined };
    const member = new Member(this.options, (m) => this.forget(m), init);
    this.guard?.watch(member.pid);
    this.members.add(member);
    return member;
  }

  /** Back to the pool after an attempt, or retired when it should not run another. */
  release(member: Member, end: MemberEnd, failed: boolean): void {
    const r = end.result;
    if (
      member.dead ||
      this.closing ||
      failed ||
      !r ||
      r.dirty ||
      member.attempts >= this.options.maxAttempts ||
      r.rss > this.options.maxRssBytes
    ) {
      member.kill();
      return;
    }
    member.hold(false);
    this.idle.push(member);
  }

  /** Kills every member (the end of the run). */
  close(): void {
    this.closing = true;
    this.closerRegistered = false;
    for (const m of [...this.members]) m.kill();
    this.members.clear();
    this.idle.length = 0;
    this.guard?.close();
  }

  get size(): number {
    return this.members.size;
  }

  /** The member is dead, or killed with its group: nothing of it is left to guard. */
  private forget(member: Member): void {
    this.guard?.forget(member.pid);
    this.members.delete(member);
    const i = this.idle.indexOf(member);
    if (i >= 0) this.idle.splice(i, 1);
  }
}
