// examples/top-artists-postgres as its README runs it: the daily logs loaded into PostgreSQL (one
// first load, then incremental days), the top ten as a table equal to counting the logs by hand.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { analyseFolder } from '../server/fixtureWorkspace';
import { runCli } from '../runtime/support/cli';
import { buildPackage, freshDatabase } from './support/server';

const repo = path.resolve(__dirname, '../..');

function exampleCopy(t: { after(fn: () => void): void }): string {
  buildPackage();
  const dir = path.join(repo, 'test-output', `postgres-example-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'top-artists'), { recursive: true });
  cpSync(path.join(repo, 'examples/top-artists/streams'), path.join(dir, 'top-artists/streams'), {
    recursive: true,
  });
  cpSync(path.join(repo, 'examples/top-artists-postgres'), path.join(dir, 'top-artists-postgres'), {
    recursive: true,
    filter: (src) => !src.includes('.plumb'),
  });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, 'top-artists-postgres');
}

function topTenByHand(streamsDir: string): { rank: number; artist: string; plays: number }[] {
  const counts = new Map<string, number>();
  for (const file of readdirSync(streamsDir).filter(
    (f) => f >= 'streams_2026-11-01' && f <= 'streams_2026-11-07.tsv',
  )) {
    for (const line of readFileSync(path.join(streamsDir, file), 'utf8').split('\n')) {
      const artist = line.split('\t')[1];
      if (artist) counts.set(artist, (counts.get(artist) ?? 0) + 1);
    }
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 10)
    .map(([artist, plays], i) => ({ rank: i + 1, artist, plays }));
}

test('the example loads a week of logs and builds the top ten; a rerun does nothing', async (t) => {
  const db = await freshDatabase(t);
  const ws = exampleCopy(t);
  const r = runCli(ws, ['run', 'pipeline.ts', 'Top10Artists', '--events', 'jsonl'], db.env);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(
    await db.query('SELECT rank::int, artist, plays::int FROM top_artists_20261101_20261107 ORDER BY rank'),
    topTenByHand(path.join(ws, '../top-artists/streams')),
  );
  const markers = await db.query<{ task_id: string; load_mode: string; rows: number }>(
    "SELECT task_id, load_mode, rows_loaded::int AS rows FROM plumb_markers WHERE target = 'public.streams' ORDER BY task_id",
  );
  // Two workers load days in any order: the first to commit builds the table from every log up to
  // its day, and each later day adds only the plays that are not there yet.
  assert.deepEqual(
    markers.map((m) => m.task_id),
    [1, 2, 3, 4, 5, 6, 7].map((d) => `LoadStreams(date=2026-11-0${d})`),
  );
  assert.deepEqual(markers.map((m) => m.load_mode).sort(), [
    'incremental',
    'incremental',
    'incremental',
    'incremental',
    'incremental',
    'incremental',
    'rebuild',
  ]);
  assert.equal(
    markers.reduce((sum, m) => sum + m.rows, 0),
    2100,
  );
  assert.deepEqual(await db.query('SELECT count(*)::int AS n FROM streams'), [{ n: 2100 }]);
  const again = runCli(ws, ['run', 'pipeline.ts', 'Top10Artists', '--events', 'jsonl'], db.env);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(
    again.events.filter((e) => e.type === 'task-done'),
    [],
  );
});

test('the editor sees the example as it is: two tables written, its logs found, no problems', () => {
  // The examples folder as the workspace: the logs are the sibling example's (../top-artists).
  const { result } = analyseFolder(path.join(repo, 'examples'));
  const file = pathToFileURL(path.join(repo, 'examples/top-artists-postgres/pipeline.ts')).href;
  assert.deepEqual(
    result.familiesIn(file).map((f) => [f.family, f.outputs?.map((o) => o.info.table ?? o.info.template)]),
    [
      ['Streams', ['../top-artists/streams/streams_${date}.tsv']],
      ['LoadStreams', ['streams']],
      // Its table's name is computed (replace()): known to be a table, not which one.
      ['Top10Artists', ['(computed)']],
    ],
  );
  assert.deepEqual(result.diagnosticsByUri().get(file) ?? [], []);
});
