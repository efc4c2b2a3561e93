// The run's pool of warm processes for isolated attempts: a member loads the pipeline once and runs
// attempts one at a time. A member is started when an attempt finds none idle (so the pool never
// outgrows the run's workers but by one replacement starting early, below), and retired (its whole process group killed) when an attempt in it
// failed, timed out, was cancelled or crashed it, left child processes running, after `maxAttempts`
// attempts, or once its RSS passed `maxRssBytes`; the next attempt starts a fresh one in its place
// (after `maxAttempts`, foreseen: one fresh member at a time starts while the old one runs its last
// attempt).
// A shared member (a task's `static isolateShare = N`, for tasks that only wait) runs up to N attempts
// at once: a failure or a limit retires it once its attempts are over, never under them (their
// co-tenants run on); what is lost when it dies anyway is the runner's to rerun (cli-isolate.ts).
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

/** Why a member was killed, for the attempts it took with it (its co-tenants'). */
export type KillReason = string;

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
  /** Without a result: how many attempts the member was running when it ended (this one included). */
  tenants?: number;
  /** Without a result: why the run killed the member (another attempt's timeout, a cancel). */
  killedFor?: KillReason;
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
  /** The attempts in it, oldest first (one at a time unless it is shared). */
  private readonly running = new Map<number, Running>();
  dead = false;
  /** Takes no more attempts: retired once those in it are over. */
  draining = false;
  private killedFor: KillReason | undefined;

  constructor(
    options: PoolOptions,
    private readonly onGone: (m: Member) => void,
    init: MemberInit = options.init,
    /** How many attempts it runs at once (more than 1: shared). */
    readonly capacity = 1,
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
      const run = this.running.get(m.seq);
      if (!run) return; // an earlier attempt's leftover code speaking
      if (m.type === 'result') {
        run.result = m;
        this.maybeDone(run);
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
      const runs = [...this.running.values()];
      this.running.clear();
      for (const run of runs)
        run.done({
          ...(run.result ? { result: run.result } : {}),
          exit: { code, signal },
          tenants: runs.length,
          ...(this.killedFor !== undefined ? { killedFor: this.killedFor } : {}),
        });
    });
  }

  /** Runs one attempt; resolves once its result and everything it printed have been read. */
  run(family: string, params: Record<string, string>, sink: AttemptSink): Promise<MemberEnd> {
    this.attempts++;
    if (this.reserved > 0) this.reserved--;
    // Its 'close' came already: nothing would end this attempt.
    if (this.dead && this.child.exitCode !== null)
      return Promise.resolve({ exit: { code: this.child.exitCode, signal: null } });
    this.hold(true);
    return new Promise((resolve) => {
      const seq = ++this.seq;
      this.running.set(seq, { seq, sink, marksLeft: 2, done: resolve });
      const request: AttemptRequest = { type: 'run', seq, family, params };
      this.child.send(request, (error) => {
        if (error) this.kill(); // it is gone: its 'close' ends the attempt
      });
    });
  }

  /** Attempts given it by acquire() not yet sent (the run awaits between the two). */
  reserved = 0;

  /** Attempts in it now, or on their way. */
  get inFlight(): number {
    return this.running.size + this.reserved;
  }

  /** Kills the member and its process group (a timeout, a cancel, a retirement); `reason` is what its co-tenants are told. */
  kill(reason?: KillReason): void {
    if (!this.dead && reason !== undefined) this.killedFor = reason;
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

  private maybeDone(run: Running): void {
    if (!run.result || run.marksLeft > 0) return;
    this.running.delete(run.seq);
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
    // Raw output of a shared member cannot say whose it is: it goes to its oldest attempt (console.*
    // output is attributed exactly, through the member's messages).
    const oldest = this.running.values().next().value as Running | undefined;
    const at = line.indexOf(END_MARK);
    if (at < 0) {
      oldest?.sink.line(level, line);
      return;
    }
    // A line the task left unfinished ends where the mark begins.
    if (at > 0) oldest?.sink.line(level, line.slice(0, at));
    const run = this.running.get(Number(line.slice(at + END_MARK.length)));
    if (run) {
      run.marksLeft--;
      this.maybeDone(run);
    }
  }
}

export class IsolatePool {
  private readonly idle: Member[] = [];
  /** Shared members, by how many attempts each takes at once. */
  private readonly shared: Member[] = [];
  private readonly members = new Set<Member>();
  private closing = false;
  private closerRegistered = false;
  /** Members started so far (cli-isolate-after-forks.ts waits for the run's first forks). */
  forks = 0;
  /** Kills the members with the run where it can (else each member watches with a thread of its own). */
  private readonly guard = MemberGuard.available() ? new MemberGuard() : undefined;

  constructor(private readonly options: PoolOptions) {}

  /** An idle warm member, or a new one; `share` > 1: a shared member with room for one more. */
  acquire(share = 1): Member {
    if (share > 1) return this.acquireShared(share);
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

  private acquireShared(share: number): Member {
    const member = this.shared.find(
      (m) => m.capacity === share && !m.dead && !m.draining && m.inFlight < share,
    );
    const chosen = member ?? this.start(share);
    if (!member) this.shared.push(chosen);
    chosen.reserved++;
    return chosen;
  }

  private start(capacity = 1): Member {
    if (!this.closerRegistered) {
      this.closerRegistered = true;
      atRunEnd(() => this.close());
    }
    this.closing = false;
    const init = {
      ...this.options.init,
      guarded: this.guard !== undefined,
      ...(capacity > 1 ? { shared: true } : {}),
    };
    const member = new Member(this.options, (m) => this.forget(m), init, capacity);
    this.forks++;
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
    )
      member.draining = true;
    if (member.inFlight > 0) return; // a shared member's other attempts run on
    if (member.draining) {
      member.kill();
      return;
    }
    member.hold(false);
    if (member.capacity === 1) this.idle.push(member);
  }

  /** Kills every member (the end of the run). */
  close(): void {
    this.closing = true;
    this.closerRegistered = false;
    for (const m of [...this.members]) m.kill();
    this.members.clear();
    this.idle.length = 0;
    this.shared.length = 0;
    this.guard?.close();
  }

  get size(): number {
    return this.members.size;
  }

  /** The member is dead, or killed with its group: nothing of it is left to guard. */
  private forget(member: Member): void {
    this.guard?.forget(member.pid);
    this.members.delete(member);
    for (const list of [this.idle, this.shared]) {
      const i = list.indexOf(member);
      if (i >= 0) list.splice(i, 1);
    }
  }
}
