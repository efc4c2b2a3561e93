// How often files appearing or going away outside a run make plans stale (planService.ts).

/**
 * Calls `fire` soon after a change (an output deleted by hand shows in the Run lens within
 * `soonMs`), but at most once every `busyMs` while changes keep coming: a pipeline run from a
 * terminal writes file after file, and each stale signal costs a plan process for every visible lens.
 * No change is left without a call after it.
 */
export class StalePacer {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastFired: number | undefined;

  constructor(
    private readonly fire: () => void,
    private readonly soonMs = 500,
    private readonly busyMs = 5000,
  ) {}

  /** A file appeared or went away. */
  changed(): void {
    if (this.timer) return;
    const now = Date.now();
    const delay =
      this.lastFired === undefined ? this.soonMs : Math.max(this.soonMs, this.lastFired + this.busyMs - now);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.lastFired = Date.now();
      this.fire();
    }, delay);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
