// Knows the run in progress (at most one) and the latest finished one; tells every view when they change.
import * as vscode from 'vscode';
import type { RunEvent } from '../../runtime/src/events';
import type { LiveRun } from './liveRun';
import type { TaskStatus } from '../../runtime/src/events';
import type { LastRuns } from './runHistory';
import { familyStatuses, mergeFamilyStatuses, type RunState } from './runState';

export class RunTracker implements vscode.Disposable {
  private live: LiveRun | undefined;
  /** The latest run of this session, kept after it ends so a panel opened late can still show it. */
  private lastRun: LiveRun | undefined;
  private last: RunState | undefined;
  /** Each family's status in the latest run that got to it (history, then this session's runs). */
  private families: Record<string, TaskStatus> = {};
  private readonly started = new vscode.EventEmitter<LiveRun>();
  private readonly updated = new vscode.EventEmitter<{ run: LiveRun; events: readonly RunEvent[] }>();
  private readonly ended = new vscode.EventEmitter<LiveRun>();
  private readonly pauseChanged = new vscode.EventEmitter<LiveRun>();
  readonly onDidStart = this.started.event;
  readonly onDidUpdate = this.updated.event;
  readonly onDidEnd = this.ended.event;
  readonly onDidChangePause = this.pauseChanged.event;

  get current(): LiveRun | undefined {
    return this.live;
  }

  /** The run in progress, else the latest run started in this session (ended). */
  get latest(): LiveRun | undefined {
    return this.live ?? this.lastRun;
  }

  /** The live run's state, else the latest run's: what the tree and graph colour tasks by. */
  get latestState(): RunState | undefined {
    return this.live?.state ?? this.last;
  }

  /** Each family's latest status, the live run's where it has reached the family: what the tree shows. */
  get lastFamilyStatuses(): Record<string, TaskStatus> {
    return this.live ? mergeFamilyStatuses(this.families, familyStatuses(this.live.state)) : this.families;
  }

  /** Seeds what happened before this session from the run logs; this session's runs stay newer. */
  seedFromHistory(history: LastRuns): void {
    if (!this.live && !this.last) this.last = history.newest;
    this.families = mergeFamilyStatuses(history.families, this.families);
  }

  begin(run: LiveRun): void {
    this.live = run;
    this.lastRun = run;
    run.onEvents((r, events) => this.updated.fire({ run: r, events }));
    this.started.fire(run);
  }

  /** The debugger stopped in (or resumed) a debugged run. */
  setPaused(run: LiveRun, paused: boolean): void {
    if (run.ended || run.paused === paused) return;
    run.paused = paused;
    this.pauseChanged.fire(run);
  }

  end(run: LiveRun): void {
    run.paused = false;
    run.markEnded();
    if (this.live === run) this.live = undefined;
    this.last = run.state;
    this.families = mergeFamilyStatuses(this.families, familyStatuses(run.state));
    this.ended.fire(run);
  }

  dispose(): void {
    this.live?.cancel();
    this.started.dispose();
    this.updated.dispose();
    this.ended.dispose();
    this.pauseChanged.dispose();
  }
}
