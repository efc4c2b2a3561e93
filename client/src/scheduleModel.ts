// The Schedules view's content, from what the runtime says: `plumb schedule --list --json` (next fire
// times, last fire and outcome per item, from plumb.toml and .plumb/schedules.json) and `plumb
// history --json` (SLA misses kept in the run logs). Pure: no vscode, no processes, `now` given.
import { distinctTaskLabels, itemLabel } from './distinctLabels';

/** One row of `plumb schedule --list --json` (runtime/src/cli-schedule.ts). */
export interface ScheduleRow {
  schedule: string;
  item: Record<string, string>;
  name: string;
  task: string;
  pipeline: string;
  cron: string;
  timezone: string;
  next: string[];
  lastFire?: string;
  lastOutcome?: string;
  sla?: unknown;
}

export interface ScheduleListing {
  now: string;
  schedules: ScheduleRow[];
}

/** One run of `plumb history --json` (runtime/src/cli-history.ts), the fields used here. */
export interface HistoryRun {
  runId: string;
  startedAt: string;
  roots?: string[];
  root?: string;
  outcome: string;
  slaMisses?: { scope: 'task' | 'run'; taskId?: string; deadline: string; status: string }[];
}

export type Tone = 'ok' | 'failed' | 'warning' | 'idle';

export interface ScheduleNode {
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  tone: Tone;
  /** A codicon name. */
  icon: string;
  children: ScheduleNode[];
  /** The run whose log says it (an SLA miss), for opening it. */
  runId?: string;
}

const OK_OUTCOMES = new Set(['success']);
const IDLE_OUTCOMES = new Set(['skipped']);

function toneOf(outcome: string | undefined): Tone {
  if (outcome === undefined) return 'idle';
  if (OK_OUTCOMES.has(outcome)) return 'ok';
  if (IDLE_OUTCOMES.has(outcome)) return 'idle';
  if (outcome === 'locked' || outcome === 'incomplete') return 'warning';
  return 'failed';
}

const ICONS: Record<Tone, string> = { ok: 'pass', failed: 'error', warning: 'warning', idle: 'clock' };
const WORST: Tone[] = ['failed', 'warning', 'ok', 'idle'];

/** "in 3 h 20 min", "in 45 s", "2 d ago". */
export function relativeTime(atMs: number, nowMs: number): string {
  const delta = atMs - nowMs;
  const s = Math.round(Math.abs(delta) / 1000);
  const parts =
    s < 60
      ? `${s} s`
      : s < 3600
        ? `${Math.round(s / 60)} min`
        : s < 86_400
          ? `${Math.floor(s / 3600)} h${Math.round((s % 3600) / 60) ? ` ${Math.round((s % 3600) / 60)} min` : ''}`
          : `${Math.floor(s / 86_400)} d${Math.floor((s % 86_400) / 3600) ? ` ${Math.floor((s % 86_400) / 3600)} h` : ''}`;
  return delta >= 0 ? `in ${parts}` : `${parts} ago`;
}

/** `2026-11-28 06:00` in the zone (the schedule's, where its cron is read). */
export function zonedTime(atMs: number, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(atMs))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/** Whether a run's root is one of this item's: its task, with the item's fan-out values. */
function runOfItem(run: HistoryRun, row: ScheduleRow): boolean {
  const roots = run.roots ?? (run.root ? [run.root] : []);
  return roots.some(
    (root) =>
      (root === row.task || root.startsWith(`${row.task}(`)) &&
      Object.entries(row.item).every(([k, v]) => root.includes(`${k}=${v}`)),
  );
}

function missNodes(runs: HistoryRun[], nowMs: number, idPrefix: string): ScheduleNode[] {
  const misses = runs.flatMap((run) => (run.slaMisses ?? []).map((miss, i) => ({ run, miss, i })));
  // Misses of one family's instances (a day each) would all read `CleanOrders(date=2026-11…` when cut.
  const labels = distinctTaskLabels(
    misses.map(({ run, miss }) =>
      miss.scope === 'run' ? (run.roots?.join(', ') ?? run.root ?? run.runId) : miss.taskId!,
    ),
  );
  return misses.map(({ run, miss, i }, k) => {
    const deadline = Date.parse(miss.deadline);
    const what = miss.scope === 'run' ? `the run of ${run.roots?.join(', ') ?? run.root}` : miss.taskId!;
    return {
      id: `${idPrefix}/miss/${run.runId}/${i}`,
      label: labels[k]!,
      description: `deadline ${new Date(deadline).toISOString().slice(0, 16).replace('T', ' ')} UTC · ${miss.status}`,
      tooltip: `SLA missed: ${what} was ${miss.status} at its deadline (${new Date(deadline).toISOString()}, ${relativeTime(deadline, nowMs)}). Run ${run.runId}.`,
      tone: 'warning' as const,
      icon: 'watch',
      children: [],
      runId: run.runId,
    };
  });
}

function itemNode(row: ScheduleRow, runs: HistoryRun[], nowMs: number, label: string): ScheduleNode {
  const next = row.next.map((t) => Date.parse(t));
  const tone = toneOf(row.lastOutcome);
  const misses = missNodes(
    runs.filter((r) => runOfItem(r, row)),
    nowMs,
    row.name,
  );
  const children: ScheduleNode[] = [
    ...next.map((at, i) => ({
      id: `${row.name}/next/${i}`,
      label: zonedTime(at, row.timezone),
      // How soon first: the zone is the schedule's (in the tooltip), and a narrow sidebar cuts the end.
      description: `${relativeTime(at, nowMs)} · ${row.timezone}`,
      tooltip: `${zonedTime(at, row.timezone)} ${row.timezone} (${new Date(at).toISOString()}), ${relativeTime(at, nowMs)}`,
      tone: 'idle' as const,
      icon: 'calendar',
      children: [],
    })),
    ...(row.lastFire
      ? [
          {
            id: `${row.name}/last`,
            label: `last ${zonedTime(Date.parse(row.lastFire), row.timezone)}`,
            description: `${row.lastOutcome ?? 'outcome unknown'} · ${relativeTime(Date.parse(row.lastFire), nowMs)}`,
            tone,
            icon: ICONS[tone],
            children: [],
          },
        ]
      : []),
    ...misses,
  ];
  const nextText = next.length > 0 ? `next ${relativeTime(next[0]!, nowMs)}` : 'no next fire';
  return {
    id: row.name,
    label,
    description: [
      nextText,
      row.lastOutcome && `last: ${row.lastOutcome}`,
      misses.length && `${misses.length} SLA missed`,
    ]
      .filter(Boolean)
      .join(' · '),
    tooltip: `${row.name}: ${row.task} (${row.pipeline}), cron "${row.cron}" in ${row.timezone}`,
    tone: misses.length > 0 && tone !== 'failed' ? 'warning' : tone,
    icon: misses.length > 0 && tone !== 'failed' ? 'watch' : ICONS[tone],
    children,
  };
}

/** The view's roots: each schedule (its fan-out items under it), then the SLA misses of recent runs. */
export function scheduleTree(listing: ScheduleListing, runs: HistoryRun[], nowMs: number): ScheduleNode[] {
  const bySchedule = new Map<string, ScheduleRow[]>();
  for (const row of listing.schedules)
    bySchedule.set(row.schedule, [...(bySchedule.get(row.schedule) ?? []), row]);
  const nodes: ScheduleNode[] = [];
  for (const [name, rows] of bySchedule) {
    const first = rows[0]!;
    if (rows.length === 1 && Object.keys(first.item).length === 0) {
      const node = itemNode(first, runs, nowMs, name);
      nodes.push({ ...node, description: `${first.task} · ${node.description}` });
      continue;
    }
    const items = rows.map((row) =>
      itemNode(
        row,
        runs,
        nowMs,
        itemLabel(
          row.item,
          rows.map((r) => r.item),
        ),
      ),
    );
    const tone = WORST.find((t) => items.some((i) => i.tone === t)) ?? 'idle';
    const soonest = Math.min(...rows.flatMap((r) => r.next.map((t) => Date.parse(t))));
    nodes.push({
      id: name,
      label: name,
      description: `${first.task} × ${rows.length} · ${Number.isFinite(soonest) ? `next ${relativeTime(soonest, nowMs)}` : 'no next fire'}`,
      tooltip: `${name}: ${first.task} (${first.pipeline}), cron "${first.cron}" in ${first.timezone}, one run per ${Object.keys(first.item).join(', ')}`,
      tone,
      icon: tone === 'idle' ? 'clock' : ICONS[tone],
      children: items,
    });
  }
  const misses = missNodes(runs, nowMs, 'all');
  if (misses.length > 0)
    nodes.push({
      id: 'sla-misses',
      label: 'SLA misses',
      description: `${misses.length} in the last ${runs.length} run${runs.length === 1 ? '' : 's'}`,
      tone: 'warning',
      icon: 'watch',
      children: misses,
    });
  return nodes;
}
