// Hover in plumb.toml: a schedule's cron (or time zone) line shows its next fire times in its zone,
// computed with croner as `plumb schedule` computes them, so a cron expression reads at a glance.
import { Cron } from 'croner';
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver/node';
import { headerAtLine, tomlLayout } from './analysis/tomlLayout';

const SHOWN = 5;

export function tomlHover(text: string, position: Position, nowMs = Date.now()): Hover | null {
  const layout = tomlLayout(text);
  const entry = layout.entries.find((e) => e.line === position.line);
  if (!entry || (entry.key !== 'cron' && entry.key !== 'timezone')) return null;
  if (entry.table !== 'schedules' && !entry.table.startsWith('schedules.')) return null;
  const header = headerAtLine(layout, position.line);
  const same = layout.entries.filter((e) => e.table === entry.table && e.index === header?.index);
  const value = (key: string) => {
    const raw = same.find((e) => e.key === key)?.valueText;
    return raw === undefined ? undefined : raw.replace(/^["']|["']$/g, '');
  };
  const cron = value('cron');
  const timezone = value('timezone') ?? 'UTC';
  if (!cron) return null;
  let times: Date[];
  try {
    times = new Cron(cron, { timezone, paused: true }).nextRuns(SHOWN, new Date(nowMs));
  } catch {
    return null; // the diagnostic says why
  }
  const name = entry.table.startsWith('schedules.') ? entry.table.slice('schedules.'.length) : value('name');
  const lines = times.map((t) => `- ${zoned(t.getTime(), timezone)} (${relative(t.getTime() - nowMs)})`);
  return {
    contents: {
      kind: MarkupKind.Markdown,
      value: [`**${name ?? 'This schedule'}** fires next (\`${cron}\`, ${timezone}):`, '', ...lines].join(
        '\n',
      ),
    },
    range: entry.valueRange,
  };
}

function zoned(ms: number, timeZone: string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(ms))
      .map((x) => [x.type, x.value]),
  );
  return `${p.weekday} ${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

function relative(ms: number): string {
  const min = Math.round(ms / 60_000);
  if (min < 60) return `in ${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `in ${h} h${min % 60 ? ` ${min % 60} min` : ''}`;
  return `in ${Math.floor(h / 24)} d`;
}
