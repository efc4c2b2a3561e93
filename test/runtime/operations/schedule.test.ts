// plumb.toml [[schedules]] and `plumb schedule` against the real CLI, time injected with --now:
// errors with file:line, --list in each zone, fan-out per customer with the date from the fire
// time, catch-up after downtime, state across restarts, a crashing run, concurrency keys.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { finished, runCli, startCli, waitForOutput, workspace } from '../support/cli';

const DAILY = readFileSync(path.join(__dirname, '..', 'fixtures', 'schedules', 'plumb.toml'), 'utf8');

function project(toml = DAILY): string {
  const dir = workspace('schedules');
  writeFileSync(path.join(dir, 'plumb.toml'), toml);
  return dir;
}

const outputs = (dir: string) =>
  existsSync(path.join(dir, 'out')) ? readdirSync(path.join(dir, 'out')).sort() : [];
const state = (dir: string) =>
  JSON.parse(readFileSync(path.join(dir, '.plumb', 'schedules.json'), 'utf8')) as {
    items: Record<string, { lastFire: string; lastOutcome: string }>;
  };

test('a schedule error names plumb.toml, the line and the key, with a did-you-mean', () => {
  const cases: [string, RegExp][] = [
    [
      DAILY.replace('cron = "0 6 * * *"', 'cron = "0 25 * * *"'),
      /plumb\.toml:6: schedules\[0\]\.cron: not a cron expression/,
    ],
    [
      DAILY.replace('timezone = "Europe/Berlin"', 'timezone = "Europe/Berln"'),
      /plumb\.toml:7: .*unknown time zone 'Europe\/Berln' \(did you mean Europe\/Berlin\?\)/,
    ],
    [
      DAILY.replace('catch_up = "all"', 'catchup = "all"'),
      /plumb\.toml:13: schedules\[0\]\.catchup: unknown setting \(did you mean catch_up\?\)/,
    ],
    [
      DAILY.replace('on_conflict', 'x').replace('catch_up = "all"', 'on_conflict = "skipp"'),
      /schedules\[0\]\.on_conflict: must be "wait" or "skip" \(did you mean skip\?\)/,
    ],
    [`${DAILY}\n[schedules_x]\n`, /unknown section \(did you mean schedules\?\)/],
    [
      `[schedules.nightly]\ncron = "0 1 * * *"\npipeline = "pipeline.ts"\ntask = "Report"\nwhen = 1\n`,
      /plumb\.toml:5: schedules\.nightly\.when: unknown setting/,
    ],
  ];
  for (const [toml, message] of cases) {
    const r = runCli(project(toml), ['schedule', '--list', '--now', '2026-11-27T00:00:00Z']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, message);
  }
});

test("plumb schedule --list shows each item's next fire times in its own zone, and as JSON", () => {
  const dir = project();
  const r = runCli(dir, ['schedule', '--list', '--now', '2026-11-27T04:00:00Z', '--count', '2']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    /daily\[customer=acme\] {2}Report \(pipeline\.ts\) {2}cron "0 6 \* \* \*" Europe\/Berlin/,
  );
  assert.match(r.stdout, /next 2026-11-27 06:00 Europe\/Berlin \(\+01:00\)\n {2}next 2026-11-28 06:00/);
  assert.match(r.stdout, /daily\[customer=globex\]/);
  const json = runCli(dir, ['schedule', '--list', '--json', '--now', '2026-03-28T12:00:00Z', '--count', '2']);
  const rows = (JSON.parse(json.stdout) as { schedules: { name: string; next: string[] }[] }).schedules;
  // Across the spring change: 06:00 Berlin is 05:00Z on winter time, 04:00Z on summer time.
  assert.deepEqual(rows[0]!.next, ['2026-03-29T04:00:00.000Z', '2026-03-30T04:00:00.000Z']);
  assert.deepEqual(
    rows.map((r) => r.name),
    ['daily[customer=acme]', 'daily[customer=globex]'],
  );
});

test('--once fans out per customer, fills the date from the fire time, catches up (bounded) and keeps its state across restarts', () => {
  const dir = project();
  // First sight: nothing is owed before now.
  let r = runCli(dir, ['schedule', '--once', '--now', '2026-11-23T12:00:00Z']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(outputs(dir), []);
  // Four days down: four fires missed per customer; catch_up_limit = 3 runs the newest three.
  r = runCli(dir, ['schedule', '--once', '--now', '2026-11-27T05:30:00Z']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /daily\[customer=acme\]: 1 missed fire\(s\) not run \(catch_up = "all"\)/);
  assert.deepEqual(outputs(dir), [
    'acme_2026-11-24.txt',
    'acme_2026-11-25.txt',
    'acme_2026-11-26.txt',
    'globex_2026-11-24.txt',
    'globex_2026-11-25.txt',
    'globex_2026-11-26.txt',
  ]);
  assert.deepEqual(state(dir).items['daily[customer=globex]'], {
    lastFire: '2026-11-27T05:00:00.000Z',
    lastOutcome: 'success',
  });
  // A restart at the same time owes nothing; the next day owes one fire (catch_up = "latest" too).
  r = runCli(dir, ['schedule', '--once', '--now', '2026-11-27T05:40:00Z']);
  assert.doesNotMatch(r.stdout, /plumb run/);
  writeFileSync(path.join(dir, 'plumb.toml'), DAILY.replace('catch_up = "all"', 'catch_up = "latest"'));
  r = runCli(dir, ['schedule', '--once', '--now', '2026-11-30T07:00:00Z'], {
    PLUMB_NOW: '2000-01-01T00:00:00Z',
  });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /daily\[customer=acme\]: 2 missed fire\(s\) not run \(catch_up = "latest"\)/);
  assert.ok(outputs(dir).includes('acme_2026-11-29.txt'));
  assert.ok(!outputs(dir).includes('acme_2026-11-28.txt'));
});

test('a run that crashes does not stop the scheduler: the other fires run, the outcome is kept, exit 1', () => {
  const dir = project(
    `${DAILY}
[[schedules]]
name = "crashing"
cron = "0 6 * * *"
pipeline = "pipeline.ts"
task = "Report"
params = { customer = "initech", crash = true }
date_param = "day"
priority = 10
`,
  );
  runCli(dir, ['schedule', '--once', '--now', '2026-11-26T12:00:00Z']);
  const r = runCli(dir, ['schedule', '--once', '--now', '2026-11-27T12:00:00Z']);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /crashing @ 2026-11-27 06:00 UTC \(\+00:00\): crashed \(killed by SIGKILL\)/);
  assert.deepEqual(outputs(dir), ['acme_2026-11-26.txt', 'globex_2026-11-26.txt']);
  assert.equal(state(dir).items.crashing!.lastOutcome, 'crashed');
});

test('a concurrency key: an ad-hoc run of the same customer is refused (exit 4, naming the key and holder), another customer runs, a scheduled fire waits or is skipped', async () => {
  const dir = project(DAILY.replace('catch_up = "all"', 'catch_up = "latest"\non_conflict = "skip"'));
  const gate = path.join(dir, 'gate');
  const held = startCli(dir, [
    'run',
    'pipeline.ts',
    'Report',
    '--customer',
    'acme',
    '--day',
    '2026-11-01',
    '--gate',
    gate,
  ]);
  const lockDir = path.join(dir, '.plumb', 'locks');
  for (
    let i = 0;
    i < 500 && !(existsSync(lockDir) && readdirSync(lockDir).some((n) => n.startsWith('key-')));
    i++
  )
    await new Promise((r) => setTimeout(r, 20));
  try {
    const again = runCli(dir, ['run', 'pipeline.ts', 'Report', '--customer', 'acme', '--day', '2026-11-02']);
    assert.equal(again.code, 4, again.stderr);
    assert.match(
      again.stdout + again.stderr,
      /concurrency key 'customer-acme' is held by a run of Report\(customer=acme, day=2026-11-01\) \(pid \d+/,
    );
    const other = runCli(dir, [
      'run',
      'pipeline.ts',
      'Report',
      '--customer',
      'globex',
      '--day',
      '2026-11-02',
    ]);
    assert.equal(other.code, 0, other.stderr);
    const flag = runCli(dir, [
      'run',
      'pipeline.ts',
      'Report',
      '--customer',
      'globex',
      '--day',
      '2026-11-03',
      '--concurrency-key',
      'customer-acme',
    ]);
    assert.equal(flag.code, 4, 'the --concurrency-key flag takes the same key');
    // The schedule's run of acme is skipped (on_conflict = "skip": --lock fail); globex's runs.
    runCli(dir, ['schedule', '--once', '--now', '2026-11-26T12:00:00Z']);
    const r = runCli(dir, ['schedule', '--once', '--now', '2026-11-27T12:00:00Z']);
    assert.match(r.stdout, /daily\[customer=acme\] @ .*: locked \(exit 4\)/);
    assert.equal(state(dir).items['daily[customer=acme]']!.lastOutcome, 'locked');
    assert.ok(existsSync(path.join(dir, 'out', 'globex_2026-11-26.txt')));
    assert.ok(!existsSync(path.join(dir, 'out', 'acme_2026-11-26.txt')));
  } finally {
    writeFileSync(gate, '');
    assert.equal((await finished(held)).code, 0);
  }
  // Released: the key is free again.
  const after = runCli(dir, ['run', 'pipeline.ts', 'Report', '--customer', 'acme', '--day', '2026-11-02']);
  assert.equal(after.code, 0, after.stderr);
});

test('plumb schedule without --once fires what is due, keeps going, refuses a second scheduler (exit 4), and stops on SIGTERM (exit 130)', async () => {
  const dir = project();
  runCli(dir, ['schedule', '--once', '--now', '2026-11-26T12:00:00Z']);
  const scheduler = startCli(dir, ['schedule', '--now', '2026-11-27T12:00:00Z']);
  const done = finished(scheduler);
  await waitForOutput(scheduler, (t) => (t.match(/: success \(exit 0\)/g) ?? []).length === 2, 60_000);
  assert.equal(scheduler.exitCode, null, 'still running after its fires');
  const second = runCli(dir, ['schedule', '--once', '--now', '2026-11-28T12:00:00Z']);
  assert.equal(second.code, 4, 'one scheduler per project');
  assert.match(second.stderr, /another plumb schedule runs the schedules of .* \(pid \d+/);
  scheduler.kill('SIGTERM');
  const r = await done;
  assert.equal(r.code, 130, r.stderr);
  assert.deepEqual(outputs(dir), ['acme_2026-11-26.txt', 'globex_2026-11-26.txt']);
  assert.equal(state(dir).items['daily[customer=acme]']!.lastFire, '2026-11-27T05:00:00.000Z');
});
