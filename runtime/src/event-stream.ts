// Stamps run events (version, run id, sequence number, time) and hands them to whoever listens.
// Does only the work someone listens for: an event object is built when a listener takes that type,
// a line (serialised once) when a line listener exists; with neither, an event costs a counter.
import { EVENT_SCHEMA_VERSION, type RunEvent, type RunEventPayload } from './events';

export type EventListener = (event: RunEvent) => void;
export type LineListener = (line: string) => void;

interface Subscriber {
  listener: EventListener;
  /** The event types it takes; undefined: every one. */
  types?: ReadonlySet<string>;
}

export class EventStream {
  private seq = 0;
  private readonly subscribers: Subscriber[] = [];
  private readonly lineListeners: LineListener[] = [];
  /** `{"v":N,"runId":"...",`: the same for every line, so serialised once (ASCII: see build.mjs). */
  private readonly linePrefix: string;
  /** The last stamp's time and its `,"time":N` text: the events of one millisecond share it. */
  private lastTime = -1;
  private lastTimeJson = '';

  constructor(readonly runId: string) {
    this.linePrefix = `{"v":${EVENT_SCHEMA_VERSION},"runId":${JSON.stringify(runId)},`;
  }

  /**
   * `types`: the only event types `listener` reads (the terminal's quiet reporter reads failures
   * and the end): at 100,000 tasks, the per-task events nobody else takes then build no object.
   */
  onEvent(listener: EventListener, types?: Iterable<RunEvent['type']>): void {
    this.subscribers.push(types === undefined ? { listener } : { listener, types: new Set(types) });
  }

  /** Receives each event as one JSON line (without the newline). */
  onLine(listener: LineListener): void {
    this.lineListeners.push(listener);
  }

  /**
   * An event whose object and JSON are each made only if someone takes it: `build()` for a listener
   * of `type`, `json()` (exactly JSON.stringify(build())) for the lines. For the graph event, whose
   * objects (one per task) only the run log would otherwise take, to be serialised.
   */
  emitLazily<T extends RunEventPayload['type']>(
    type: T,
    build: () => Extract<RunEventPayload, { type: T }>,
    json: () => string,
  ): void {
    const seq = this.seq++;
    const time = Date.now();
    let event: RunEvent | undefined;
    for (let i = 0; i < this.subscribers.length; i++) {
      const s = this.subscribers[i]!;
      if (s.types && !s.types.has(type)) continue;
      event ??= { v: EVENT_SCHEMA_VERSION, runId: this.runId, seq, time, ...build() } as RunEvent;
      s.listener(event);
    }
    if (this.lineListeners.length > 0) this.toLines(seq, time, json());
  }

  emit(payload: RunEventPayload): void {
    const seq = this.seq++;
    const time = Date.now();
    let event: RunEvent | undefined;
    for (let i = 0; i < this.subscribers.length; i++) {
      const s = this.subscribers[i]!;
      if (s.types && !s.types.has(payload.type)) continue;
      event ??= { v: EVENT_SCHEMA_VERSION, runId: this.runId, seq, time, ...payload } as RunEvent;
      s.listener(event);
    }
    if (this.lineListeners.length > 0) {
      // Byte for byte JSON.stringify(event) (same keys, same order: payloads never carry the stamp's
      // keys and always carry `type`), without re-serialising the stamp for each of ~3 events a task.
      this.toLines(seq, time, JSON.stringify(payload));
    }
  }

  /**
   * The events every task sends, task-pending, task-running (in this process) and task-done: the
   * line is written from the task id's JSON (`idJson`: JSON.stringify(taskId), kept per node) and
   * whole numbers, byte for byte JSON.stringify of the payload `{type, taskId, attempt?,
   * durationMs?}` emit() would be given, which is built only for a listener of its type. At 3,000
   * tasks, 9,000 payload objects and their JSON.stringify were the event stream's largest cost.
   */
  emitTaskStep(
    type: TaskStepType,
    taskId: string,
    idJson: string,
    attempt?: number,
    durationMs?: number,
  ): void {
    const seq = this.seq++;
    const time = Date.now();
    let event: RunEvent | undefined;
    for (let i = 0; i < this.subscribers.length; i++) {
      const s = this.subscribers[i]!;
      if (s.types && !s.types.has(type)) continue;
      event ??= taskStepEvent(this.runId, seq, time, type, taskId, attempt, durationMs);
      s.listener(event);
    }
    if (this.lineListeners.length === 0) return;
    // Constant pieces joined once (STEP_TYPE_JSON, the time's text): a third fewer joins a line.
    let line = this.linePrefix + '"seq":' + seq + this.timeJson(time) + STEP_TYPE_JSON[type] + idJson;
    if (attempt !== undefined) line += ',"attempt":' + jsonNumber(attempt);
    if (durationMs !== undefined) line += ',"durationMs":' + jsonNumber(durationMs);
    line += '}';
    for (let i = 0; i < this.lineListeners.length; i++) this.lineListeners[i]!(line);
  }

  /** `,"time":N`, written once per millisecond. */
  private timeJson(time: number): string {
    if (time !== this.lastTime) {
      this.lastTime = time;
      this.lastTimeJson = `,"time":${time}`;
    }
    return this.lastTimeJson;
  }

  private toLines(seq: number, time: number, payloadJson: string): void {
    const line = `${this.linePrefix}"seq":${seq}${this.timeJson(time)},${payloadJson.slice(1)}`;
    for (let i = 0; i < this.lineListeners.length; i++) this.lineListeners[i]!(line);
  }
}

/** The per-task events EventStream.emitTaskStep writes without a payload object. */
export type TaskStepType = 'task-pending' | 'task-running' | 'task-done';

/** `,"type":"…","taskId":` of each step type: the text between a step line's time and its id. */
const STEP_TYPE_JSON: Record<TaskStepType, string> = {
  'task-pending': ',"type":"task-pending","taskId":',
  'task-running': ',"type":"task-running","taskId":',
  'task-done': ',"type":"task-done","taskId":',
};

/** The object emit() would hand listeners for the same payload (same keys, same order). */
function taskStepEvent(
  runId: string,
  seq: number,
  time: number,
  type: TaskStepType,
  taskId: string,
  attempt: number | undefined,
  durationMs: number | undefined,
): RunEvent {
  const event: Record<string, unknown> = { v: EVENT_SCHEMA_VERSION, runId, seq, time, type, taskId };
  if (attempt !== undefined) event.attempt = attempt;
  if (durationMs !== undefined) event.durationMs = durationMs;
  return event as unknown as RunEvent;
}

/** A number as JSON.stringify writes it (null when it is not finite). */
function jsonNumber(n: number): string {
  return Number.isFinite(n) ? String(n) : 'null';
}

/** A run id that sorts by start time: `20261124T121900123Z-4f2a`. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  return `${stamp}-${Math.random().toString(16).slice(2, 6)}`;
}
