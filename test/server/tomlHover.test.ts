// Hover over a schedule's cron in plumb.toml: its next fire times in its own time zone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tomlHover } from '../../server/src/tomlHover';

const toml = [
  '[run]',
  'workers = 2',
  '[[schedules]]',
  'name = "nightly"',
  'cron = "0 6 * * 1-5"',
  'timezone = "Europe/Berlin"',
  '[schedules.hourly]',
  'cron = "*/30 * * * *"',
  '[[schedules]]',
  'name = "broken"',
  'cron = "0 25 * * *"',
].join('\n');
const now = Date.parse('2026-11-27T21:00:00Z'); // a Friday

const text = (line: number) => {
  const hover = tomlHover(toml, { line, character: 3 }, now);
  return hover && (hover.contents as { value: string }).value;
};

test("a schedule's cron and zone lines show its next fire times in its zone, weekends skipped", () => {
  const value = text(4)!;
  assert.equal(
    value,
    [
      '**nightly** fires next (`0 6 * * 1-5`, Europe/Berlin):',
      '',
      '- Mon 2026-11-30 06:00 (in 2 d)',
      '- Tue 2026-12-01 06:00 (in 3 d)',
      '- Wed 2026-12-02 06:00 (in 4 d)',
      '- Thu 2026-12-03 06:00 (in 5 d)',
      '- Fri 2026-12-04 06:00 (in 6 d)',
    ].join('\n'),
  );
  assert.equal(text(5), value, 'the timezone line shows the same');
  assert.match(
    text(7)!,
    /^\*\*hourly\*\* fires next \(`\*\/30 \* \* \* \*`, UTC\):\n\n- Fri 2026-11-27 21:30 \(in 30 min\)/,
  );
});

test('no hover off a schedule, or on a cron the runtime refuses', () => {
  assert.equal(text(1), null);
  assert.equal(text(3), null);
  assert.equal(text(10), null);
});
