// The first loads into a new database run side by side (two workers, a backfill's first night): each
// creates the marker table and its schema if missing. PostgreSQL's IF NOT EXISTS does not serialise
// sessions creating the same object at once — the loser fails on the catalog's unique index ("type
// plumb_markers already exists") — and CI saw a load fail that way. On a real server, many sessions
// create the same fresh objects at the same moment, and every one of them succeeds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ensureMarkerTable } from '../../postgres/src/marker-table';
import { createSchema } from '../../postgres/src/table-swap';
import { freshDatabase } from './support/server';

const SESSIONS = 8;
const ROUNDS = 12;

test('sessions creating the marker table and its schema at once all succeed', async (t) => {
  const db = await freshDatabase(t);
  const clients = await Promise.all(Array.from({ length: SESSIONS }, () => db.client()));
  for (let round = 0; round < ROUNDS; round++) {
    const markers = { schema: `plumb_r${round}`, name: 'plumb_markers' };
    const results = await Promise.allSettled(clients.map((c) => ensureMarkerTable(c, markers)));
    const failures = results.filter((r) => r.status === 'rejected').map((r) => String(r.reason));
    assert.deepEqual(failures, [], `round ${round}`);
    const [present] = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = $1 AND tablename = 'plumb_markers'",
      [markers.schema],
    );
    assert.equal(present!.n, 1);
  }
});

test('sessions creating a load’s schema at once all succeed', async (t) => {
  const db = await freshDatabase(t);
  const clients = await Promise.all(Array.from({ length: SESSIONS }, () => db.client()));
  for (let round = 0; round < ROUNDS; round++) {
    const results = await Promise.allSettled(clients.map((c) => createSchema(c, `loads_r${round}`)));
    assert.deepEqual(
      results.filter((r) => r.status === 'rejected').map((r) => String(r.reason)),
      [],
      `round ${round}`,
    );
  }
});
