// The window a "Backfill…" covers, as typed in the editor, turned into `plumb backfill` options:
// an interval form the runtime knows (2026, 2026-11, 2026-W48, 2026-11-01-2026-11-07), two ends
// (start..stop, both included), or a span back from now (7d, 24h); and the `--list` command line
// that asks which instances are missing before anything runs. vscode-free: tested in node.
import { runArguments, type RunRequest } from './runCommandLine';

export const WINDOW_FORMS =
  '2026-11 (a month), 2026 (a year), 2026-W48 (an ISO week), 2026-11-01-2026-11-07 (days), 2026-11-01..2026-11-30 (start..stop, both included), 7d or 24h (back from now)';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const HOUR = /^\d{4}-\d{2}-\d{2}T\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

export type WindowResult = { args: string[] } | { error: string };

function realDay(text: string): boolean {
  const [y, m, d] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function point(text: string): boolean {
  return (DAY.test(text) || HOUR.test(text) || DATETIME.test(text)) && realDay(text);
}

/** `plumb backfill` options for a typed window, or why it is not one. */
export function backfillWindow(typed: string): WindowResult {
  const text = typed.trim();
  if (text === '') return { error: `Type a window: ${WINDOW_FORMS}.` };
  const back = /^(\d+)\s*(d|h|m|days?|hours?|minutes?)$/i.exec(text);
  if (back) {
    const n = Number(back[1]);
    if (n < 1) return { error: 'A span back from now is at least 1.' };
    const unit = back[2]!.toLowerCase()[0];
    return {
      args: [unit === 'd' ? '--days-back' : unit === 'h' ? '--hours-back' : '--minutes-back', String(n)],
    };
  }
  const ends = /^(\S+)\s*(?:\.\.|\s|\bto\b)\s*(\S+)$/.exec(text.replace(/\s+to\s+/, ' '));
  if (ends && point(ends[1]!) && point(ends[2]!)) {
    const [start, stop] = [ends[1]!, ends[2]!];
    if (start > stop) return { error: `The window ends (${stop}) before it starts (${start}).` };
    return { args: ['--start', start, '--stop', stop] };
  }
  if (point(text)) return { args: ['--start', text, '--stop', text] };
  if (/^\d{4}$/.test(text) || /^\d{4}-W\d{2}$/.test(text)) return { args: ['--dates', text] };
  const month = /^\d{4}-(\d{2})$/.exec(text);
  if (month && Number(month[1]) >= 1 && Number(month[1]) <= 12) return { args: ['--dates', text] };
  const days = /^(\d{4}-\d{2}-\d{2})-(\d{4}-\d{2}-\d{2})$/.exec(text);
  if (days && realDay(days[1]!) && realDay(days[2]!)) {
    if (days[1]! > days[2]!) return { error: `The window ends (${days[2]}) before it starts (${days[1]}).` };
    return { args: ['--dates', text] };
  }
  return { error: `Not a window: ${text}. Accepted: ${WINDOW_FORMS}.` };
}

/** What `plumb backfill … --list` prints (runtime/src/cli-backfill.ts). */
export interface BackfillListing {
  family: string;
  param: string;
  start: string;
  stop: string;
  instances: { value: string; id: string; complete: boolean }[];
  complete: number;
  missing: number;
  runNow: number;
}

/** The backfill's own command line with `--list` and without an event stream: it runs nothing. */
export function backfillListArguments(request: RunRequest): string[] {
  const args = runArguments(request, { kind: 'stdout' });
  args.splice(args.indexOf('--events'), 2);
  return [...args, '--list'];
}
