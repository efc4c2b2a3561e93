// The pool's guard: one small shell process per pool (not a Node environment in every member) that
// kills each member's whole process group as soon as the run is gone. The run writes "+ <pid>" when
// it starts a member and "- <pid>" once that member's group is dead; the guard reads its stdin, which
// only the run holds open, so the run's death (SIGKILL, OOM) is an end of file there at once. It kills
// from outside, so it works whatever the members do: a busy main thread, a stopped process. Where no
// guard can start (no POSIX shell), members fall back on a watchdog thread of their own
// (cli-parent-watch.ts).
import { type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { childProcessModule } from './builtins-on-demand';

const SHELL = '/bin/sh';

// Ignores the signals a terminal or a group kill sends: it must outlive the run to do its job, and it
// ends on its own when its stdin closes. `kill -9 -<pid>` kills the member's group (its leader too).
const SCRIPT = `trap '' INT HUP TERM QUIT PIPE
set --
while read -r op pid; do
  if [ "$op" = + ]; then set -- "$@" "$pid"; continue; fi
  keep=; for p in "$@"; do [ "$p" = "$pid" ] || keep="$keep $p"; done
  set -- $keep
done
for p in "$@"; do kill -9 "-$p" 2>/dev/null; kill -9 "$p" 2>/dev/null; done
`;

export class MemberGuard {
  private process: ChildProcess | undefined;
  /** The members it guards: given again to a guard started in place of one that died. */
  private readonly guarded = new Set<number>();

  /** Whether members may rely on it (else each starts its own watchdog thread). */
  static available(): boolean {
    return process.platform !== 'win32' && existsSync(SHELL);
  }

  watch(pid: number | undefined): void {
    if (pid === undefined) return;
    this.guarded.add(pid);
    this.tell(`+ ${pid}\n`);
  }

  /** The member and its group are dead: its pid may be another process's from now on. */
  forget(pid: number | undefined): void {
    if (pid === undefined || !this.guarded.delete(pid)) return;
    this.tell(`- ${pid}\n`);
  }

  /** Ends the guard (it kills whatever it still guards); the next member watched starts another. */
  close(): void {
    const guard = this.process;
    this.process = undefined;
    guard?.stdin?.end();
  }

  private tell(line: string): void {
    const guard = (this.process ??= this.start());
    guard.stdin?.write(line);
  }

  private start(): ChildProcess {
    const guard = childProcessModule().spawn(SHELL, ['-c', SCRIPT], {
      stdio: ['pipe', 'ignore', 'ignore'],
      detached: true, // its own session: a kill of the run's process group or a ^C leaves it running
    });
    guard.stdin!.on('error', () => undefined); // it died: 'exit' below starts another
    guard.on('error', () => undefined);
    guard.on('exit', () => {
      if (this.process !== guard) return;
      // Killed from outside while the run goes on: another takes over every member still guarded.
      this.process = undefined;
      // One that never started (no process to spawn now): no loop of failing spawns; the next
      // member watched tries again.
      if (this.guarded.size === 0 || guard.pid === undefined) return;
      const replacement = (this.process = this.start());
      replacement.stdin!.write([...this.guarded].map((pid) => `+ ${pid}\n`).join(''));
    });
    guard.unref();
    (guard.stdin as unknown as { unref?: () => void }).unref?.(); // never what keeps the run alive
    return guard;
  }
}
