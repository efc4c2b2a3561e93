// Coalesces bursts of run events into about one webview message per frame.

/**
 * Collects items and hands them to `flush` in one array after `delayMs`; a burst of thousands of
 * events becomes a few messages instead of thousands of postMessage calls.
 */
export class EventBatcher<T> {
  private items: T[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly flush: (items: T[]) => void,
    private readonly delayMs = 16,
  ) {}

  add(items: readonly T[]): void {
    if (items.length === 0) return;
    for (const item of items) this.items.push(item);
    this.timer ??= setTimeout(() => this.flushNow(), this.delayMs);
  }

  /** Hands over whatever is waiting now (e.g. when the run ends, so nothing is left behind). */
  flushNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.items.length === 0) return;
    const items = this.items;
    this.items = [];
    this.flush(items);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.items = [];
  }
}
