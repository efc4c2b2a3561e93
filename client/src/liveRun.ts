// One run in progress (plain or debugged): its events so far, its folded state, and how to stop it.
import type { RunEvent } from '../../runtime/src/events';
import type { RunMode, RunRequest } from './runCommandLine';
import { applyRunEvent, createRunState, type RunState } from './runState';

export type LiveRunListener = (run: LiveRun, events: readonly RunEvent[]) => void;

export class LiveRun {
  /** Every event so far, so a Run panel opened late can replay the run from its start. */
  readonly events: RunEvent[] = [];
  state: RunState;
  ended = false;
  /** Set by cancel(): an end without run-finished is then expected, not an error. */
  cancelRequested = false;
  /** A debugged run stopped at a breakpoint (or a step): its events pause with it. */
  paused = false;
  private readonly listeners = new Set<LiveRunListener>();

  constructor(
    readonly request: RunRequest,
    readonly mode: RunMode,
    /** The workspace folder the run started in (its cwd). */
    readonly cwd: string,
    private readonly stop: () => void,
  ) {
    // Until run-started names it, the run goes by a provisional id.
    this.state = createRunState(`starting-${Date.now()}`);
  }

  get runId(): string {
    return this.state.runId;
  }

  feed(events: readonly RunEvent[]): void {
    for (const event of events) {
      if (this.events.length === 0) this.state.runId = event.runId;
      this.events.push(event);
      applyRunEvent(this.state, event);
    }
    for (const listener of this.listeners) listener(this, events);
  }

  onEvents(listener: LiveRunListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  cancel(): void {
    if (this.ended) return;
    this.cancelRequested = true;
    this.stop();
  }

  markEnded(): void {
    this.ended = true;
    this.listeners.clear();
  }
}
