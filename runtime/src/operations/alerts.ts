// Alerts: a run's final task failures sent to webhooks ([alerts] in plumb.toml), as a Slack-compatible
// payload or plain JSON. One message per task per run, never for an attempt that will be retried;
// critical tasks at once, low-priority ones grouped into one message at the end of the run. A webhook
// that is down never fails the run: bounded retries with backoff, then a line on stderr; the end of
// the run waits for sends no longer than a short bound.
import { type RunEvent } from '../events';

export interface Webhook {
  url: string;
  format: 'slack' | 'json';
}

export interface AlertSettings {
  webhooks: Webhook[];
  /** Tries per message (first included). */
  tries: number;
  /** Delay before the second try; doubled for each next one. */
  backoffMs: number;
  /** Per try. */
  timeoutMs: number;
}

export interface TaskFailureAlert {
  taskId: string;
  error: string;
  attempts: number;
  lastLogLines: string[];
  runLog?: string;
}

const LOG_LINES = 10;

/** plumb.toml [alerts]: `webhooks = [{ url = "…", format = "slack" | "json" }]`, tries, backoff_ms, timeout_ms. */
export function parseAlerts(
  table: Record<string, unknown>,
  fail: (key: string, detail: string) => never,
): AlertSettings {
  const out: AlertSettings = { webhooks: [], tries: 3, backoffMs: 500, timeoutMs: 5000 };
  for (const [key, v] of Object.entries(table)) {
    if (key === 'webhooks') {
      if (!Array.isArray(v)) fail(key, 'must be a list of { url = "…", format = "slack" | "json" }');
      for (const hook of v as unknown[]) {
        const h = hook as { url?: unknown; format?: unknown };
        if (typeof h?.url !== 'string' || !/^https?:\/\//.test(h.url))
          fail(key, 'each webhook needs url = "http(s)://…"');
        const format = h.format ?? 'json';
        if (format !== 'slack' && format !== 'json') fail(key, 'format must be "slack" or "json"');
        out.webhooks.push({ url: h.url as string, format: format as Webhook['format'] });
      }
    } else if (key === 'tries' || key === 'backoff_ms' || key === 'timeout_ms') {
      if (!Number.isSafeInteger(v) || (v as number) < (key === 'tries' ? 1 : 0))
        fail(key, `must be a whole number ≥ ${key === 'tries' ? 1 : 0}`);
      if (key === 'tries') out.tries = v as number;
      else if (key === 'backoff_ms') out.backoffMs = v as number;
      else out.timeoutMs = v as number;
    } else fail(key, 'unknown setting (known: webhooks, tries, backoff_ms, timeout_ms)');
  }
  return out;
}

/** Slack reads `text`; the JSON form carries the same facts as fields. */
export function alertPayload(
  format: Webhook['format'],
  runId: string,
  failures: TaskFailureAlert[],
): unknown {
  if (format === 'json') return { type: 'task-failed', runId, failures };
  const blocks = failures.map(
    (f) =>
      `*${f.taskId}* failed after ${f.attempts} attempt${f.attempts === 1 ? '' : 's'}: ${f.error}` +
      (f.lastLogLines.length ? `\n\`\`\`${f.lastLogLines.join('\n')}\`\`\`` : '') +
      (f.runLog ? `\nrun log: ${f.runLog}` : ''),
  );
  return {
    text: `Plumb run ${runId}: ${failures.length} task${failures.length === 1 ? '' : 's'} failed\n${blocks.join('\n')}`,
  };
}

/** Listens to one run's events and sends its alerts. */
export class RunAlerts {
  private readonly logs = new Map<string, string[]>();
  private readonly alerted = new Set<string>();
  private readonly grouped: TaskFailureAlert[] = [];
  private readonly pending = new Set<Promise<void>>();
  private runId = '';

  constructor(
    private readonly settings: AlertSettings,
    private readonly severityOf: (family: string) => 'low' | 'critical',
    private readonly runLog?: string,
    private readonly warn: (line: string) => void = (line) => process.stderr.write(`plumb: ${line}\n`),
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
      const alert: TaskFailureAlert = {
        taskId: e.taskId,
        error: e.error.message,
        attempts: e.attempt,
        lastLogLines: this.logs.get(e.taskId) ?? [],
        ...(this.runLog ? { runLog: this.runLog } : {}),
      };
      const family = e.taskId.replace(/\(.*$/, '');
      if (this.severityOf(family) === 'low') this.grouped.push(alert);
      else this.send([alert]);
    } else if (e.type === 'run-finished' && this.grouped.length > 0) {
      this.send(this.grouped.splice(0));
    }
  }

  /** Waits for sends in flight, at most `boundMs`: a slow webhook never holds the run's exit. */
  async settle(boundMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(this.pending),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, boundMs))),
    ]);
    clearTimeout(timer);
  }

  private send(failures: TaskFailureAlert[]): void {
    for (const hook of this.settings.webhooks) {
      const body = JSON.stringify(alertPayload(hook.format, this.runId, failures));
      const p = this.post(hook.url, body).finally(() => this.pending.delete(p));
      this.pending.add(p);
    }
  }

  private async post(url: string, body: string): Promise<void> {
    let last = '';
    for (let i = 0; i < this.settings.tries; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, this.settings.backoffMs * 2 ** (i - 1)));
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(this.settings.timeoutMs),
        });
        if (res.ok) return;
        last = `HTTP ${res.status}`;
      } catch (e) {
        last = (e as Error).message;
      }
    }
    this.warn(`alert to ${url} not delivered after ${this.settings.tries} tries (${last})`);
  }
}
