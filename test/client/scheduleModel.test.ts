// The Schedules view's content from the runtime's own listings: schedules with their fan-out items,
// next fire times in the schedule's zone, last outcomes, and SLA misses from the run history.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import {
  relativeTime,
  scheduleTree,
  zonedTime,
  type HistoryRun,
  type ScheduleListing,
  type ScheduleNode,
} from '../../client/src/scheduleModel';
import { runCli, workspace } from '../runtime/support/cli';

const now = Date.parse('2026-11-27T21:00:00Z');
const row = (over: Partial<ScheduleListing['schedules'][number]>) => ({
  schedule: 'nightly',
  item: {},
  name: 'nightly',
  task: 'CustomerReport',
  pipeline: 'pipeline.ts',
  cron: '0 6 * * *',
  timezone: 'Europe/Berlin',
  next: ['2026-11-28T05:00:00.000Z', '2026-11-29T05:00:00.000Z'],
  ...over,
});
const listing: ScheduleListing = {
  now: new Date(now).toISOString(),
  schedules: [
    row({
      item: { customer: 'acme' },
      name: 'nightly[customer=acme]',
      lastFire: '2026-11-27T05:00:00.000Z',
      lastOutcome: 'success',
    }),
    row({
      item: { customer: 'globex' },
      name: 'nightly[customer=globex]',
      lastFire: '2026-11-27T05:00:00.000Z',
      lastOutcome: 'failed',
    }),
    row({
      schedule: 'hourly',
      name: 'hourly',
      task: 'Weather',
      cron: '30 * * * *',
      timezone: 'UTC',
      next: ['2026-11-27T21:30:00.000Z'],
    }),
  ],
};
const runs: HistoryRun[] = [
  {
    runId: 'r2',
    startedAt: '2026-11-27T05:00:01.000Z',
    roots: ['CustomerReport(date=2026-11-27, customer=acme)'],
    outcome: 'success',
    slaMisses: [{ scope: 'run', deadline: '2026-11-27T05:30:00.000Z', status: 'running' }],
  },
  {
    runId: 'r1',
    startedAt: '2026-11-27T05:00:00.000Z',
    roots: ['CustomerReport(date=2026-11-27, customer=globex)'],
    outcome: 'failed',
  },
];

const shape = (nodes: ScheduleNode[], depth = 0): string[] =>
  nodes.flatMap((n) => [
    `${'  '.repeat(depth)}${n.icon} ${n.label}${n.description ? ` — ${n.description}` : ''}`,
    ...shape(n.children, depth + 1),
  ]);

test('schedules with their items, next fires in the zone, last outcomes and SLA misses', () => {
  assert.deepEqual(shape(scheduleTree(listing, runs, now)), [
    'error nightly — CustomerReport × 2 · next in 8 h',
    '  watch customer=acme — next in 8 h · last: success · 1 SLA missed',
    '    calendar 2026-11-28 06:00 — in 8 h · Europe/Berlin',
    '    calendar 2026-11-29 06:00 — in 1 d 8 h · Europe/Berlin',
    '    pass last 2026-11-27 06:00 — success · 16 h ago',
    '    watch CustomerReport(date=2026-11-27, customer=acme) — deadline 2026-11-27 05:30 UTC · running',
    '  error customer=globex — next in 8 h · last: failed',
    '    calendar 2026-11-28 06:00 — in 8 h · Europe/Berlin',
    '    calendar 2026-11-29 06:00 — in 1 d 8 h · Europe/Berlin',
    '    error last 2026-11-27 06:00 — failed · 16 h ago',
    'clock hourly — Weather · next in 30 min',
    '  calendar 2026-11-27 21:30 — in 30 min · UTC',
    'watch SLA misses — 1 in the last 2 runs',
    '  watch CustomerReport(date=2026-11-27, customer=acme) — deadline 2026-11-27 05:30 UTC · running',
  ]);
  const miss = scheduleTree(listing, runs, now).at(-1)!.children[0]!;
  assert.equal(miss.runId, 'r2');
  assert.match(
    miss.tooltip!,
    /SLA missed: the run of CustomerReport\(date=2026-11-27, customer=acme\) was running at its deadline/,
  );
});

test('relative and zoned times', () => {
  assert.equal(relativeTime(now + 45_000, now), 'in 45 s');
  assert.equal(relativeTime(now - 3 * 3600_000 - 20 * 60_000, now), '3 h 20 min ago');
  assert.equal(relativeTime(now + 2 * 86_400_000, now), 'in 2 d');
  assert.equal(zonedTime(Date.parse('2026-11-28T05:00:00Z'), 'America/New_York'), '2026-11-28 00:00');
});

test('no schedules and no misses: nothing to show', () => {
  assert.deepEqual(
    scheduleTree({ now: '', schedules: [] }, [{ runId: 'r', startedAt: '', outcome: 'success' }], now),
    [],
  );
});

test("the runtime's own listings, from a real schedule and a real run that missed its SLA", () => {
  const dir = workspace('sla');
  writeFileSync(
    path.join(dir, 'plumb.toml'),
    '[[schedules]]\nname = "reports"\ncron = "0 6 * * *"\ntimezone = "Europe/Berlin"\npipeline = "pipeline.ts"\ntask = "Report"\n',
  );
  const NOW = '2026-11-27T05:00:00.000Z';
  const run = runCli(
    dir,
    ['run', 'pipeline.ts', 'Report', '--scheduled-at', '2026-11-27T03:00:00Z', '--sla', '30m'],
    {
      PLUMB_NOW: NOW,
      SLOW_MS: '10',
    },
  );
  assert.equal(run.code, 0, run.stderr);
  const listing = JSON.parse(
    runCli(dir, ['schedule', '--list', '--json', '--now', NOW]).stdout,
  ) as ScheduleListing;
  const history = JSON.parse(runCli(dir, ['history', '--json']).stdout) as { runs: HistoryRun[] };
  const [reports, misses] = scheduleTree(listing, history.runs, Date.parse(NOW));
  assert.equal(reports!.label, 'reports');
  assert.match(reports!.description!, /^Report · next in 1 d · 3 SLA missed$/);
  assert.equal(reports!.children[0]!.label, '2026-11-28 06:00');
  assert.deepEqual(
    reports!.children
      .filter((c) => c.runId)
      .map((c) => c.label)
      .sort(),
    ['QuickLoad()', 'Report()', 'SlowLoad()'],
  );
  assert.equal(misses!.label, 'SLA misses');
});

test('rows a narrow sidebar cuts still differ: how soon first, differing item keys and miss days first', () => {
  const fanOut: ScheduleListing = {
    now: new Date(now).toISOString(),
    schedules: ['eu', 'us'].map((region) =>
      row({ item: { env: 'production', region }, name: `nightly[env=production, region=${region}]` }),
    ),
  };
  const days = ['2026-11-25', '2026-11-26'].map((date, i) => ({
    runId: `r${i}`,
    startedAt: `${date}T05:00:00.000Z`,
    roots: ['All()'],
    outcome: 'success',
    slaMisses: [
      {
        scope: 'task' as const,
        taskId: `CustomerSegmentation(date=${date})`,
        deadline: `${date}T05:30:00.000Z`,
        status: 'running',
      },
    ],
  }));
  const tree = scheduleTree(fanOut, days, now);
  assert.deepEqual(
    tree[0]!.children.map((n) => n.label),
    ['region=eu, env=production', 'region=us, env=production'],
  );
  const next = tree[0]!.children[0]!.children[0]!;
  assert.equal(next.description, 'in 8 h · Europe/Berlin');
  assert.equal(next.tooltip, '2026-11-28 06:00 Europe/Berlin (2026-11-28T05:00:00.000Z), in 8 h');
  assert.deepEqual(
    tree.at(-1)!.children.map((n) => n.label),
    ['date=2026-11-25 · CustomerSegmentation', 'date=2026-11-26 · CustomerSegmentation'],
  );
  assert.match(tree.at(-1)!.children[0]!.tooltip!, /CustomerSegmentation\(date=2026-11-25\) was running/);
});
