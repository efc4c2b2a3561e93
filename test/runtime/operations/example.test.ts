// The example pipeline (examples/top-artists, what `npm start` opens) operated as the guide says: its
// data check runs, its weekly schedule lists with its SLA, a late fire reports the missed SLA, and
// its alert target is there to uncomment. Runs on a copy: examples/ stays as committed.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { parseEventLine } from '../../../runtime/src/events';
import { runCli } from '../support/cli';

const example = path.resolve(__dirname, '../../../examples/top-artists');

/** Every file under `dir` with its size and mtime. */
function listing(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .map((f) => {
      const st = statSync(path.join(dir, f));
      return `${f} ${st.size} ${st.mtimeMs}`;
    })
    .sort();
}

function copy(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plumb-example-'));
  cpSync(example, dir, {
    recursive: true,
    filter: (src) => !src.includes(`${path.sep}data`) && !src.includes(`${path.sep}.plumb`),
  });
  return dir;
}

test('the example: a data check on the top list, a weekly schedule with an SLA, an alert target to uncomment', () => {
  const before = listing(example);
  const dir = copy();
  const run = runCli(dir, ['run', 'pipeline.ts', 'All', '--events', 'jsonl']);
  assert.equal(run.code, 0, run.stderr);
  const checks = run.events.flatMap((e) => (e.type === 'task-check' ? [[e.taskId, e.check, e.ok]] : []));
  assert.deepEqual(checks, [
    [
      'Top10Artists(dateInterval=2026-11-01-2026-11-07)',
      'rowCount(top_artists_2026-11-01-2026-11-07.tsv)',
      true,
    ],
  ]);

  const list = runCli(dir, ['schedule', '--list', '--json', '--now', '2026-11-29T12:00:00Z']);
  assert.equal(list.code, 0, list.stderr);
  const [weekly] = (
    JSON.parse(list.stdout) as { schedules: { name: string; next: string[]; sla: unknown }[] }
  ).schedules;
  assert.equal(weekly!.name, 'weekly-top');
  assert.equal(weekly!.next[0], '2026-11-30T06:00:00.000Z', 'Monday 07:00 in Berlin');
  assert.deepEqual(weekly!.sla, { deadline: '09:00', timeZone: 'Europe/Berlin' });
  // The machine was off on Monday morning: at 10:00 the 07:00 fire is caught up, after its 09:00 SLA.
  assert.equal(runCli(dir, ['schedule', '--once', '--now', '2026-11-29T12:00:00Z']).code, 0);
  const late = runCli(dir, ['schedule', '--once', '--now', '2026-11-30T09:00:00Z']);
  assert.equal(late.code, 0, late.stdout + late.stderr);
  const logs = readdirSync(path.join(dir, '.plumb', 'runs')).sort();
  const events = readFileSync(path.join(dir, '.plumb', 'runs', logs.at(-1)!), 'utf8')
    .split('\n')
    .flatMap((l) => parseEventLine(l) ?? []);
  const missed = events.find((e) => e.type === 'sla-missed');
  assert.ok(missed?.type === 'sla-missed');
  assert.equal(missed.schedule, 'weekly-top');
  assert.equal(new Date(missed.deadline).toISOString(), '2026-11-30T08:00:00.000Z');

  const toml = readFileSync(path.join(example, 'plumb.toml'), 'utf8');
  assert.match(toml, /^# \[alerts\]\n# webhooks = \[\{ url = "https:\/\/hooks\.slack\.com/m);
  // examples/ itself is untouched: the runs above wrote only to the copy.
  assert.deepEqual(listing(example), before);
});
