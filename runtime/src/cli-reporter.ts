// Human output of a run: on a TTY one live progress line plus notable lines; otherwise plain lines.
// Colours via picocolors, off with NO_COLOR, --no-color or a non-TTY.
import pc from 'picocolors';
import { type RunEvent } from './events';
import { describeSla } from './operations/sla';
import { formatSummary } from './summary';

export interface ReporterOptions {
  out: NodeJS.WriteStream;
  /** Where a run that could not start says why (stderr). */
  err: NodeJS.WritableStream;
  color: boolean;
  /** Only failures and the summary. */
  quiet: boolean;
  /** A cluster run: its workers' --concurrency runs the tasks; `workers` only caps what is queued. */
  cluster?: boolean;
}

/**
 * The event types the reporter reads (EventStream.onEvent's filter): quiet, it never draws a live
 * line and says only failures, missing data, missed SLAs and the end; otherwise every type.
 */
export function reportedEvents(options: Pick<ReporterOptions, 'quiet'>): RunEvent['type'][] | undefined {
  return options.quiet
    ? ['task-log', 'task-failed', 'task-skipped', 'sla-missed', 'run-finished']
    : undefined;
}

export function createReporter(options: ReporterOptions): (event: RunEvent) => void {
  const c = pc.createColors(options.color);
  const { out } = options;
  const live = out.isTTY === true && !options.quiet;
  let total = 0;
  let finished = 0;
  const running = new Map<string, number>();
  /** The last row count a task's status gave (a table load's rows), for its ✓ line. */
  const rows = new Map<string, number>();
  let statusLine = '';
  let lastDraw = 0;

  const write = (line: string) => {
    if (live && statusLine) out.write('\r\x1b[2K');
    out.write(`${line}\n`);
    if (live) draw(true);
  };
  const draw = (force = false) => {
    if (!live) return;
    const now = Date.now();
    if (!force && now - lastDraw < 100) return;
    lastDraw = now;
    const [first] = running.keys();
    const pct =
      first !== undefined && running.get(first)! > 0 ? ` ${Math.round(running.get(first)! * 100)}%` : '';
    // Truncated by visible width, then coloured: escape codes take no columns.
    // A terminal of unknown size (a pty without a window: 0 columns) gets the usual 100.
    const width = Math.max(20, (out.columns || 100) - 3);
    let text = `${finished}/${total} done · ${running.size} running${first ? ` · ${first}${pct}` : ''}`;
    if (text.length > width) text = `${text.slice(0, width - 1)}…`;
    statusLine = `${c.cyan('▶')} ${text}`;
    out.write(`\r\x1b[2K${statusLine}`);
  };

  return (e) => {
    switch (e.type) {
      case 'run-started':
        if (!options.quiet)
          write(
            c.bold(
              `plumb: running ${e.roots?.length ? e.roots.join(', ') : e.root} ${options.cluster ? `on the cluster (up to ${e.workers} task${e.workers === 1 ? '' : 's'} at once)` : `with ${e.workers} worker${e.workers === 1 ? '' : 's'}`}${e.unit ? ' (unit mode)' : ''}`,
            ),
          );
        break;
      case 'graph':
        for (const n of e.nodes) if (n.status === 'pending') total++;
        draw();
        break;
      case 'task-running':
        running.set(e.taskId, 0);
        rows.delete(e.taskId);
        if (!live && !options.quiet)
          write(`${c.cyan('▶')} ${e.taskId}${e.attempt > 1 ? c.dim(` (attempt ${e.attempt})`) : ''}`);
        draw();
        break;
      case 'task-progress':
        running.set(e.taskId, e.fraction);
        draw();
        break;
      case 'task-status':
        if (e.rows !== undefined) rows.set(e.taskId, e.rows);
        if (!options.quiet) write(c.dim(`  ${e.taskId}: ${e.message}`));
        break;
      case 'task-log':
        if (!options.quiet || e.level === 'error')
          write(c.dim(`  [${e.taskId}] `) + (e.level === 'error' ? c.red(e.line) : e.line));
        break;
      case 'task-done':
        running.delete(e.taskId);
        finished++;
        if (!options.quiet) {
          const count = rows.get(e.taskId);
          const loaded = count === undefined ? '' : ` · ${count.toLocaleString('en')} rows`;
          write(`${c.green('✓')} ${e.taskId} ${c.dim(`${e.durationMs} ms${loaded}`)}`);
        } else draw();
        break;
      case 'task-failed':
        running.delete(e.taskId);
        write(
          `${c.red('✗')} ${e.taskId} ${c.red(e.schedulingError ? 'is broken' : e.timedOut ? 'timed out' : 'failed')}${e.willRetry ? c.yellow(' (will retry)') : ''}: ${e.error.message}`,
        );
        if (!e.willRetry && e.error.stack) write(c.dim(e.error.stack.split('\n').slice(1, 8).join('\n')));
        break;
      case 'task-retrying':
        if (!options.quiet) write(c.yellow(`↻ ${e.taskId}: attempt ${e.nextAttempt} in ${e.delayMs} ms`));
        break;
      case 'task-skipped':
        if (e.reason === 'missing-external') write(`${c.yellow('!')} missing external data: ${e.taskId}`);
        else if (e.reason === 'blocked' && !options.quiet)
          write(c.dim(`- ${e.taskId} blocked by ${e.blockedBy?.join(', ')}`));
        break;
      case 'sla-missed': {
        const what = e.scope === 'task' ? e.taskId : `the run${e.schedule ? ` of ${e.schedule}` : ''}`;
        const deadline = new Date(e.deadline).toISOString();
        write(
          c.yellow(
            `! SLA missed: ${what} was not done ${describeSla(e.sla)} (deadline ${deadline}; ${e.status})`,
          ),
        );
        break;
      }
      case 'run-finished': {
        if (live) out.write('\r\x1b[2K');
        statusLine = '';
        if (e.message) options.err.write(`${c.red('plumb:')} ${e.message}\n`);
        if (e.outcome !== 'error' && e.outcome !== 'locked') {
          const text = formatSummary(e.summary, e.outcome, e.durationMs);
          const red = e.outcome === 'failed' || e.outcome === 'pipeline-error' || e.outcome === 'crashed';
          out.write(e.outcome === 'success' ? text : red ? c.red(text) : c.yellow(text));
        }
        break;
      }
      default:
        break;
    }
  };
}
