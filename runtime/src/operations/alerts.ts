// Alerts: a run's final task failures, recoveries and missed SLAs sent to webhooks ([alerts] in
// plumb.toml). One message per task per run, never for an attempt that will be retried; critical
// tasks at once, low-priority ones grouped into one message at the end of the run; recoveries
// together at the end; missed SLAs at once, those reported together in one message. A webhook that
// is down never fails the run: bounded retries with backoff, then an `alert` event (delivered:
// false) in the run log and a line on stderr; the end of the run waits for sends no longer than a
// short bound.
import { type RunEvent, type RunEventPayload, type SlaMissedEvent } from '../events';
import {
  alertPayload,
  alertTaskIds,
  type AlertFacts,
  type AlertFormat,
  type AlertKind,
  type RecoveryAlert,
  type TaskFailureAlert,
} from './alert-payloads';
import { type FailingTasks, readFailing, updateFailing } from './alert-state';

export type { TaskFailureAlert } from './alert-payloads';

export const ALERT_KINDS: readonly AlertKind[] = ['failure', 'recovery', 'sla-miss'];

export interface Webhook {
  url: string;
  format: AlertFormat;
  /** What this webhook is sent (default: [alerts] on). */
  on?: AlertKind[];
}

export interface AlertSettings {
  webhooks: Webhook[];
  /** What is sent (default: every kind). */
  on: AlertKind[];
  /** Tries per message (first included). */
  tries: number;
  /** Delay before the second try; doubled for each next one. */
  backoffMs: number;
  /** Per try. */
  timeoutMs: number;
}

const LOG_LINES = 10;

function readKinds(v: unknown, fail: (detail: string) => never): AlertKind[] {
  if (!Array.isArray(v) || v.some((k) => !ALERT_KINDS.includes(k as AlertKind)))
    fail(`must be a list of ${ALERT_KINDS.map((k) => `"${k}"`).join(', ')}`);
  return [...new Set(v as AlertKind[])];
}

/** plumb.toml [alerts]: `webhooks = [{ url, format = "slack" | "json", on? }]`, on, tries, backoff_ms, timeout_ms. */
export function parseAlerts(
  table: Record<string, unknown>,
  fail: (key: string, detail: string) => never,
): AlertSettings {
  const out: AlertSettings = {
    webhooks: [],
    on: [...ALERT_KINDS],
    tries: 3,
    backoffMs: 500,
    timeoutMs: 5000,
  };
  for (const [key, v] of Object.entries(table)) {
    if (key === 'webhooks') {
      if (!Array.isArray(v)) fail(key, 'must be a list of { url = "…", format = "slack" | "json" }');
      for (const hook of v as unknown[]) {
        const h = hook as { url?: unknown; format?: unknown; on?: unknown };
        if (typeof h?.url !== 'string' || !/^https?:\/\//.test(h.url))
          fail(key, 'each webhook needs url = "http(s)://…"');
        const format = h.format ?? 'json';
        if (format !== 'slack' && format !== 'json') fail(key, 'format must be "slack" or "json"');
        for (const k of Object.keys(h))
          if (!['url', 'format', 'on'].includes(k))
            fail(key, `unknown webhook key '${k}' (known: url, format, on)`);
        out.webhooks.push({
          url: h.url as string,
          format: format as AlertFormat,
          ...(h.on !== undefined ? { on: readKinds(h.on, (d) => fail(key, `on: ${d}`)) } : {}),
        });
      }
    } else if (key === 'on') {
      out.on = readKinds(v, (d) => fail(key, d));
    } else if (key === 'tries' || key === 'backoff_ms' || key === 'timeout_ms') {
      if (!Number.isSafeInteger(v) || (v as number) < (key === 'tries' ? 1 : 0))
        fail(key, `must be a whole number ≥ ${key === 'tries' ? 1 : 0}`);
      if (key === 'tries') out.tries = v as number;
      else if (key === 'backoff_ms') out.backoffMs = v as number;
      else out.timeoutMs = v as number;
    } else fail(key, 'unknown setting (known: webhooks, on, tries, backoff_ms, timeout_ms)');
  }
  return out;
}

export interface RunAlertsExtras {
  /** Where alert events go (the run's stream): each delivery, or its failure, is on record. */
  emit?: (event: RunEventPayload) => void;
  /** .plumb/alerts/failing.json: tasks whose last final outcome was a failure (recoveries). */
  failingFile?: string;
}

interface Delivery {
  kind: AlertKind;
  hook: Webhook;
  taskIds: string[];
  tries: number;
  error?: string;
  done: boolean;
}

/** Listens to one run's events and sends its alerts. */
export class RunAlerts {
  private readonly logs = new Map<string, string[]>();
  private readonly alerted = new Set<string>();
  private readonly grouped: TaskFailureAlert[] = [];
  private readonly pending = new Map<Promise<void>, Delivery>();
  private runId = '';
  private closed = false;
  private previouslyFailing?: FailingTasks;
  private readonly failedNow: FailingTasks = {};
  private readonly resolved = new Set<string>();
  private readonly recoveries: RecoveryAlert[] = [];
  private readonly misses: SlaMissedEvent[] = [];

  constructor(
    private readonly settings: AlertSettings,
    private readonly severityOf: (family: string, taskId: string) => 'low' | 'critical',
    private readonly runLog?: string,
    private readonly warn: (line: string) => void = (line) => process.stderr.write(`plumb: ${line}\n`),
    private readonly extras: RunAlertsExtras = {},
  ) {}

  onEvent(e: RunEvent): void {
    this.runId = e.runId;
    if (e.type === 'task-log') {
      const lines = this.logs.get(e.taskId) ?? [];
      lines.push(e.line);
      if (lines.length > LOG_LINES) lines.shift();
      this.logs.set(e.taskId, lines);
    } else if (e.type === 'task-failed' && !e.willRetry && !this.alerted.has(e.taskId)) {
      this.alerted.add(e.taskId);
      this.failedNow[e.taskId] = { runId: e.runId, at: e.time };
      const alert: TaskFailureAlert = {
        taskId: e.taskId,
        error: e.error.message,
        attempts: e.attempt,
        lastLogLines: this.logs.get(e.taskId) ?? [],
        ...(this.runLog ? { runLog: this.runLog } : {}),
      };
      const family = e.taskId.replace(/\(.*$/, '');
      if (this.severityOf(family, e.taskId) === 'low') this.grouped.push(alert);
      else this.send({ kind: 'failure', failures: [alert] });
    } else if (e.type === 'task-done') {
      this.resolved.add(e.taskId);
      const before = this.failing()[e.taskId];
      if (before) this.recoveries.push({ taskId: e.taskId, failedIn: before.runId });
    } else if (e.type === 'task-skipped' && e.reason === 'already-complete') {
      this.resolved.add(e.taskId); // made complete some other way: no longer failing, nothing to say
    } else if (e.type === 'sla-missed') {
      // Misses reported together (a late start names every task with an SLA at once) go out as one
      // message: a backfill of a year of a family with an SLA is one alert, not 365.
      if (this.misses.push(e) === 1) queueMicrotask(() => this.sendMisses());
    }
  }

  /**
   * The end of the run, before its run-finished: the grouped low-priority failures and the
   * recoveries go out, the failing set is saved, and sends in flight get at most `boundMs`; one
   * still going then is recorded as not delivered. Nothing is emitted after this.
   */
  async finishRun(boundMs: number): Promise<void> {
    this.sendMisses();
    if (this.grouped.length > 0) this.send({ kind: 'failure', failures: this.grouped.splice(0) });
    if (this.recoveries.length > 0)
      this.send({
        kind: 'recovery',
        recoveries: this.recoveries.splice(0),
        ...(this.runLog ? { runLog: this.runLog } : {}),
      });
    if (this.extras.failingFile) {
      try {
        updateFailing(this.extras.failingFile, this.failedNow, this.resolved);
      } catch (e) {
        this.warn(`could not save ${this.extras.failingFile}: ${(e as Error).message}`);
      }
    }
    await this.settle(boundMs);
    for (const d of this.pending.values()) {
      if (d.done) continue;
      d.done = true;
      this.record(d, false, `still being sent when the run ended (after ${boundMs} ms)`);
    }
    this.closed = true;
  }

  /** Waits for sends in flight, at most `boundMs`: a slow webhook never holds the run's exit. */
  async settle(boundMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(this.pending.keys()),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, boundMs))),
    ]);
    clearTimeout(timer);
  }

  private sendMisses(): void {
    if (this.misses.length === 0) return;
    this.send({
      kind: 'sla-miss',
      misses: this.misses.splice(0),
      ...(this.runLog ? { runLog: this.runLog } : {}),
    });
  }

  private failing(): FailingTasks {
    return (this.previouslyFailing ??= this.extras.failingFile ? readFailing(this.extras.failingFile) : {});
  }

  private send(facts: AlertFacts): void {
    for (const hook of this.settings.webhooks) {
      if (!(hook.on ?? this.settings.on).includes(facts.kind)) continue;
      const body = JSON.stringify(alertPayload(hook.format, this.runId, facts));
      const delivery: Delivery = {
        kind: facts.kind,
        hook,
        taskIds: alertTaskIds(facts),
        tries: 0,
        done: false,
      };
      const p = this.post(hook.url, body, delivery).finally(() => this.pending.delete(p));
      this.pending.set(p, delivery);
    }
  }

  private async post(url: string, body: string, d: Delivery): Promise<void> {
    let last = '';
    for (let i = 0; i < this.settings.tries; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, this.settings.backoffMs * 2 ** (i - 1)));
      d.tries = i + 1;
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(this.settings.timeoutMs),
        });
        if (res.ok) {
          if (!d.done) this.record(d, true);
          d.done = true;
          return;
        }
        last = `HTTP ${res.status}`;
      } catch (e) {
        const cause = (e as { cause?: { message?: string } }).cause?.message;
        last = cause ? `${(e as Error).message} (${cause})` : (e as Error).message;
      }
      if (d.done) return; // the run ended meanwhile: already recorded as not delivered
    }
    this.warn(`alert to ${url} not delivered after ${this.settings.tries} tries (${last})`);
    if (!d.done) this.record(d, false, last);
    d.done = true;
  }

  private record(d: Delivery, delivered: boolean, error?: string): void {
    if (this.closed) return;
    this.extras.emit?.({
      type: 'alert',
      kind: d.kind,
      url: originOf(d.hook.url),
      format: d.hook.format,
      taskIds: d.taskIds,
      delivered,
      tries: d.tries,
      ...(error !== undefined ? { error } : {}),
    });
  }
}

/** A webhook's origin only: its path is often its secret (a Slack webhook's token), never logged. */
export function originOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname.length > 1 ? '/…' : '/'}`;
  } catch {
    return '(not a URL)';
  }
}
