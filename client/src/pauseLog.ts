// Remembers when the debugger held each debugged run (stopped at a breakpoint or a step), per run
// id, so durations can leave that time out: the runtime cannot see its own pauses (its clock runs on
// while the debugger holds the process). Kept in the workspace state for the newest runs.
import type * as vscode from 'vscode';
import type { Pauses } from './durations';
import type { LiveRun } from './liveRun';
import type { RunTracker } from './runTracker';

const KEY = 'plumb.debuggerPauses';
/** Runs remembered: as many as the durations read (their history is the newest runs). */
const KEEP_RUNS = 50;

export class PauseLog {
  private readonly open = new Map<LiveRun, number>();

  constructor(private readonly state: vscode.Memento) {}

  get pauses(): Pauses {
    return this.state.get<Pauses>(KEY) ?? {};
  }

  /** Follows the tracker's pause changes; a run that ends while held closes its pause. */
  follow(runs: RunTracker): vscode.Disposable[] {
    return [
      runs.onDidChangePause((run) => this.changed(run, run.paused)),
      runs.onDidEnd((run) => this.changed(run, false)),
    ];
  }

  changed(run: LiveRun, paused: boolean, now = Date.now()): void {
    if (paused) {
      if (!this.open.has(run)) this.open.set(run, now);
      return;
    }
    const since = this.open.get(run);
    if (since === undefined) return;
    this.open.delete(run);
    const all = { ...this.pauses };
    (all[run.runId] ??= []).push([since, now]);
    const ids = Object.keys(all).sort();
    for (const old of ids.slice(0, Math.max(0, ids.length - KEEP_RUNS))) delete all[old];
    void this.state.update(KEY, all);
  }
}
