// Stamps run events (version, run id, sequence number, time) and hands them to whoever listens.
// Serialises each event at most once, and only when a line listener exists.
import { EVENT_SCHEMA_VERSION, type RunEvent, type RunEventPayload } from './events';

export type EventListener = (event: RunEvent) => void;
export type LineListener = (line: string) => void;

export class EventStream {
  private seq = 0;
  private readonly listeners: EventListener[] = [];
  private readonly lineListeners: LineListener[] = [];
  /** `{"v":…,"runId":"…",`: the same for every line, so serialised once. */
  private readonly linePrefix: string;

  constructor(readonly runId: string) {
    this.linePrefix = `{"v":${EVENT_SCHEMA_VERSION},"runId":${JSON.stringify(runId)},`;
  }

  onEvent(listener: EventListener): void {
    this.listeners.push(listener);
  }

  /** Receives each event as one JSON line (without the newline). */
  onLine(listener: LineListener): void {
    this.lineListeners.push(listener);
  }

  emit(payload: RunEventPayload): RunEvent {
    const seq = this.seq++;
    const time = Date.now();
    const event = { v: EVENT_SCHEMA_VERSION, runId: this.runId, seq, time, ...payload } as RunEvent;
    for (const l of this.listeners) l(event);
    if (this.lineListeners.length > 0) {
      // Byte for byte JSON.stringify(event) (same keys, same order: payloads never carry the stamp's
      // keys and always carry `type`), without re-serialising the stamp for each of ~3 events a task.
      const line = `${this.linePrefix}"seq":${seq},"time":${time},${JSON.stringify(payload).slice(1)}`;
      for (const l of this.lineListeners) l(line);
    }
    return event;
  }
}

/** A run id that sorts by start time: `20261124T121900123Z-4f2a`. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  return `${stamp}-${Math.random().toString(16).slice(2, 6)}`;
}
