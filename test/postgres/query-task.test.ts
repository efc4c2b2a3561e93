// Query tasks: a SELECT that becomes a table (swapped in with its marker), SQL whose output is only
// its marker, and SQL that fails halfway: its changes and its marker roll back together.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../runtime/support/cli';
import { freshDatabase, workspace } from './support/server';

test('a query builds a table from its input; a statement-only query leaves a marker; reruns do nothing', async (t) => {
  const db = await freshDatabase(t);
  const ws = workspace('loads', t);
  const r = runCli(ws, ['run', 'pipeline.ts', 'MarkTopArtist', '--day', '1', '--events', 'jsonl'], db.env);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(
    await db.query('SELECT artist, plays::int FROM top_artists ORDER BY artist'),
    ['ARTIST 1', 'ARTIST 15', 'ARTIST 22', 'ARTIST 43', 'ARTIST 8'].map((artist) => ({ artist, plays: 63 })),
  );
  assert.deepEqual(
    await db.query(
      "SELECT task_id, target, load_mode, reason, rows_loaded::int AS rows FROM plumb_markers WHERE load_mode = 'query' ORDER BY task_id",
    ),
    [
      {
        task_id: 'MarkTopArtist(day=1)',
        target: 'marker:MarkTopArtist',
        load_mode: 'query',
        reason: 'statements',
        rows: 5,
      },
      {
        task_id: 'TopArtists(day=1)',
        target: 'public.top_artists',
        load_mode: 'query',
        reason: 'table from query',
        rows: 5,
      },
    ],
  );
  const again = runCli(
    ws,
    ['run', 'pipeline.ts', 'MarkTopArtist', '--day', '1', '--events', 'jsonl'],
    db.env,
  );
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(
    again.events.filter((e) => e.type === 'task-done'),
    [],
  );
});

test('SQL that fails halfway rolls back its changes and writes no marker', async (t) => {
  const db = await freshDatabase(t);
  const ws = workspace('loads', t);
  const r = runCli(ws, ['run', 'pipeline.ts', 'BrokenUpdate', '--day', '1'], db.env);
  assert.equal(r.code, 1, r.stdout);
  assert.match(r.stdout, /✗ BrokenUpdate\(day=1\) failed: division by zero/);
  assert.deepEqual(await db.query('SELECT count(*)::int AS n FROM top_artists WHERE plays = 0'), [{ n: 0 }]);
  assert.deepEqual(
    await db.query("SELECT count(*)::int AS n FROM plumb_markers WHERE task_id LIKE 'BrokenUpdate%'"),
    [{ n: 0 }],
  );
});
