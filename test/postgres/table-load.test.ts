// Table loads end to end on a real server, through the real CLI: the marker, reruns, schema-hash
// rebuilds, incremental rows, and what a concurrent reader sees while tables are swapped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli, startCli, finished } from '../runtime/support/cli';
import { freshDatabase, workspace } from './support/server';

const load = (ws: string, env: Record<string, string>, task: string, ...params: string[]) =>
  runCli(ws, ['run', 'pipeline.ts', task, ...params, '--events', 'jsonl'], env);

const done = (r: ReturnType<typeof runCli>) =>
  r.events.flatMap((e) => (e.type === 'task-done' ? [e.taskId] : []));

const logs = (r: ReturnType<typeof runCli>) =>
  r.events.flatMap((e) => (e.type === 'task-log' ? [e.line] : []));

test('a load writes the table and its marker in one go; a rerun does nothing', async (t) => {
  const db = await freshDatabase(t);
  const ws = workspace('loads', t);
  const first = load(ws, db.env, 'LoadPlays', '--day', '1');
  assert.equal(first.code, 0, first.stderr);
  assert.deepEqual(done(first), ['LoadPlays(day=1)']);
  assert.deepEqual(await db.query('SELECT count(*)::int AS n, max(id)::int AS top FROM plays'), [
    { n: 1000, top: 1000 },
  ]);
  const markers = await db.query(
    'SELECT task_id, target, task_family, params, load_mode, reason, rows_loaded::int AS rows, high_water, schema_hash, written_at FROM plumb_markers',
  );
  assert.equal(markers.length, 1);
  const m = markers[0]!;
  assert.deepEqual(
    { ...m, schema_hash: typeof m.schema_hash, written_at: m.written_at instanceof Date },
    {
      task_id: 'LoadPlays(day=1)',
      target: 'public.plays',
      task_family: 'LoadPlays',
      params: { day: '1' },
      load_mode: 'rebuild',
      reason: 'first load',
      rows: 1000,
      high_water: '1000',
      schema_hash: 'string',
      written_at: true,
    },
  );
  // No staging or old table is left beside the live one.
  assert.deepEqual(
    (
      await db.query<{ name: string }>(
        "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
      )
    ).map((r) => r.name),
    ['plays', 'plumb_markers'],
  );

  const again = load(ws, db.env, 'LoadPlays', '--day', '1');
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(done(again), []);
  const finish = again.events.at(-1);
  assert.ok(finish?.type === 'run-finished');
  assert.deepEqual(finish.summary.alreadyComplete, ['LoadPlays(day=1)']);
  assert.deepEqual(await db.query('SELECT count(*)::int AS n FROM plumb_markers'), [{ n: 1 }]);
});

test('an unchanged schema loads only the new rows; a changed one rebuilds; the marker says which', async (t) => {
  const db = await freshDatabase(t);
  const ws = workspace('loads', t);
  assert.equal(load(ws, db.env, 'LoadPlays', '--day', '1', '--rows-in-source', '1000').code, 0);

  // The source now has 1,500 rows (its rows() yields all of them): only ids 1001..1500 are new.
  const second = load(ws, db.env, 'LoadPlays', '--day', '2', '--rows-in-source', '1500');
  assert.equal(second.code, 0, second.stderr);
  assert.ok(
    logs(second).some((l) => l.includes('mode=incremental since=1000')),
    logs(second).join('\n'),
  );
  assert.deepEqual(await db.query('SELECT count(*)::int AS n, count(DISTINCT id)::int AS ids FROM plays'), [
    { n: 1500, ids: 1500 },
  ]);

  // The source's schema changed (a new column): the table is rebuilt with it.
  const third = load(ws, db.env, 'LoadPlays', '--day', '3', '--rows-in-source', '1600', '--version', '2');
  assert.equal(third.code, 0, third.stderr);
  assert.ok(logs(third).some((l) => l.includes('mode=rebuild')));
  assert.deepEqual(
    await db.query("SELECT count(*)::int AS n, count(*) FILTER (WHERE country = 'SE')::int AS se FROM plays"),
    [{ n: 1600, se: 800 }],
  );

  // Same new schema again: incremental once more.
  assert.equal(
    load(ws, db.env, 'LoadPlays', '--day', '4', '--rows-in-source', '1700', '--version', '2').code,
    0,
  );
  assert.deepEqual(await db.query('SELECT count(*)::int AS n FROM plays'), [{ n: 1700 }]);

  const markers = await db.query<{
    task_id: string;
    load_mode: string;
    reason: string;
    rows: number;
    high_water: string;
  }>(
    'SELECT task_id, load_mode, reason, rows_loaded::int AS rows, high_water FROM plumb_markers ORDER BY written_at',
  );
  assert.deepEqual(
    markers.map((m) => [m.task_id, m.load_mode, m.rows, m.high_water]),
    [
      ['LoadPlays(day=1)', 'rebuild', 1000, '1000'],
      ['LoadPlays(day=2)', 'incremental', 500, '1500'],
      ['LoadPlays(day=3)', 'rebuild', 1600, '1600'],
      ['LoadPlays(day=4)', 'incremental', 100, '1700'],
    ],
  );
  assert.match(markers[2]!.reason, /^schema changed \(\w+ → \w+\)$/);
});

test('a reader counting rows in a loop during loads sees the old table or the new one, never 0 or a part', async (t) => {
  const db = await freshDatabase(t);
  const ws = workspace('loads', t);
  assert.equal(load(ws, db.env, 'LoadScores', '--round', '0').code, 0);
  const reader = await db.client();
  const seen = new Map<number, number>();
  let reading = true;
  let failure: unknown;
  const loop = (async () => {
    while (reading) {
      try {
        const n = Number((await reader.query('SELECT count(*) AS n FROM scores')).rows[0].n);
        seen.set(n, (seen.get(n) ?? 0) + 1);
      } catch (error) {
        failure = error;
        return;
      }
    }
  })();
  for (let round = 1; round <= 4; round++) {
    const child = startCli(ws, ['run', 'pipeline.ts', 'LoadScores', '--round', String(round)], db.env);
    const r = await finished(child);
    assert.equal(r.code, 0, r.stderr);
  }
  reading = false;
  await loop;
  assert.equal(failure, undefined, `the reader failed: ${String(failure)}`);
  const counts = [...seen.keys()].sort((a, b) => a - b);
  const whole = [10_000, 11_000, 12_000, 13_000, 14_000];
  assert.deepEqual(
    counts.filter((n) => !whole.includes(n)),
    [],
    `partial or empty counts seen: ${JSON.stringify([...seen])}`,
  );
  // The reader really ran across the swaps: it saw the first and the last table at least.
  assert.ok(seen.has(10_000) && seen.has(14_000), JSON.stringify([...seen]));
  assert.deepEqual(
    await db.query(
      'SELECT count(*)::int AS n, count(*) FILTER (WHERE note IS NULL)::int AS nulls FROM scores',
    ),
    [{ n: 14_000, nulls: 12_600 }],
  );
  // Tabs, backslashes and newlines survive COPY's text format.
  assert.deepEqual(await db.query('SELECT name, note FROM scores WHERE id = 10'), [
    { name: 'name\t10', note: 'a\\b\nc' },
  ]);
});

test('a load whose source fails halfway leaves the live table, the markers and the schema as they were', async (t) => {
  const db = await freshDatabase(t);
  const ws = workspace('loads', t);
  assert.equal(load(ws, db.env, 'LoadScores', '--round', '0').code, 0);
  const r = load(ws, db.env, 'LoadScores', '--round', '1', '--fail-after', '9000');
  assert.equal(r.code, 1);
  const failed = r.events.find((e) => e.type === 'task-failed');
  assert.ok(failed?.type === 'task-failed' && failed.error.message === 'the source broke after 9000 rows');
  assert.deepEqual(await db.query('SELECT count(*)::int AS n FROM scores'), [{ n: 10_000 }]);
  assert.deepEqual(await db.query('SELECT task_id FROM plumb_markers'), [{ task_id: 'LoadScores(round=0)' }]);
  assert.deepEqual(
    (
      await db.query<{ name: string }>(
        "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
      )
    ).map((r) => r.name),
    ['plumb_markers', 'scores'],
  );
});

test('data already in COPY format (a CSV file) is streamed as is; the marker counts its rows', async (t) => {
  const db = await freshDatabase(t);
  const ws = workspace('loads', t);
  const r = load(ws, db.env, 'LoadCsv', '--file', 'cities.csv');
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await db.query('SELECT name, population, note FROM cities ORDER BY population DESC'), [
    { name: 'Oslo', population: 709000, note: 'capital, "Tigerstaden"' },
    { name: 'Bergen', population: 291000, note: null },
    { name: 'Tromsø', population: 77000, note: 'north\nof the circle' },
  ]);
  assert.deepEqual(await db.query('SELECT rows_loaded::int AS rows FROM plumb_markers'), [{ rows: 3 }]);
});
