// Creating what loads share — a schema, the marker table — when it is missing. PostgreSQL's
// IF NOT EXISTS looks in the catalog before inserting into it and does not serialise sessions: two
// first loads creating the same table at once can both find it missing, and the loser fails on the
// catalog's unique index ("type "plumb_markers" already exists", 23505, 42P06, 42P07, 42710 …).
// One advisory lock per database makes the creators take turns; the second finds the object there.
import type pg from 'pg';

type Queryable = Pick<pg.ClientBase, 'query'>;

// Not a table's lock (those are 'plumb-postgres:<target>'): held only while creating, never while loading.
const CREATE_LOCK = 'plumb-postgres:create-shared-objects';

/** Runs `statements` (each idempotent: IF NOT EXISTS) in its own transaction, one session at a time. */
export async function createShared(client: Queryable, statements: string[]): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [CREATE_LOCK]);
    for (const statement of statements) await client.query(statement);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
