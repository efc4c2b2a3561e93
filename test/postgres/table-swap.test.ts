// SIGKILL of the runner in the middle of a load's COPY and in the middle of its swap: the live table
// is the old one (never empty, never half-renamed), nothing is left behind, and a rerun converges.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { closePools, withClient } from '../../postgres/src/connection';
import { settingsFrom } from '../../postgres/src/settings';
import { loadTable } from '../../postgres/src/table-swap';
import { runCli, startCli, waitForOutput } from '../runtime/support/cli';
import { freshDatabase, workspace, type Database } from './support/server';

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** Tables of `public` (the live ones and any staging or old table a load left behind). */
async function tables(db: Database): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
  );
  return rows.map((r) => r.name);
}

/** Waits until no backend of the killed runner is left (the server rolled its transaction back). */
async function runnerGone(db: Database): Promise<void> {
  await until('the killed runner’s backends to end', async () => {
    const rows = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'plumb' AND pid <> pg_backend_pid()",
    );
    return rows[0]!.n === 0 ? true : undefined;
  });
}

async function loadedRound0(t: Parameters<typeof freshDatabase>[0]) {
  const db = await freshDatabase(t);
  const ws = workspace('loads', t);
  const first = runCli(ws, ['run', 'pipeline.ts', 'LoadScores', '--round', '0'], db.env);
  assert.equal(first.code, 0, first.stderr);
  return { db, ws };
}

async function assertOldTableAndRerunConverges(db: Database, ws: string) {
  await runnerGone(db);
  assert.deepEqual(await db.query('SELECT count(*)::int AS n FROM scores'), [{ n: 10_000 }]);
  assert.deepEqual(await tables(db), ['plumb_markers', 'scores']);
  assert.deepEqual(await db.query('SELECT task_id FROM plumb_markers ORDER BY 1'), [
    { task_id: 'LoadScores(round=0)' },
  ]);
  const rerun = runCli(ws, ['run', 'pipeline.ts', 'LoadScores', '--round', '1'], db.env);
  assert.equal(rerun.code, 0, rerun.stderr);
  assert.deepEqual(await db.query('SELECT count(*)::int AS n FROM scores'), [{ n: 11_000 }]);
  assert.deepEqual(await tables(db), ['plumb_markers', 'scores']);
  assert.deepEqual(
    (await db.query<{ task_id: string }>('SELECT task_id FROM plumb_markers ORDER BY 1')).map(
      (r) => r.task_id,
    ),
    ['LoadScores(round=0)', 'LoadScores(round=1)'],
  );
}

test('SIGKILL of the runner in the middle of COPY leaves the old table; a rerun converges', async (t) => {
  const { db, ws } = await loadedRound0(t);
  // rows() stops after 8,000 rows: several COPY chunks have reached the server by then.
  const child = startCli(
    ws,
    ['run', 'pipeline.ts', 'LoadScores', '--round', '1', '--pause-after', '8000', '--events', 'jsonl'],
    db.env,
  );
  await waitForOutput(child, (text) => text.includes('paused mid-copy'));
  const copied = await until('COPY to have received rows', async () => {
    const rows = await db.query<{ n: number }>(
      "SELECT tuples_processed::int AS n FROM pg_stat_progress_copy WHERE command = 'COPY FROM'",
    );
    return rows[0] && rows[0].n > 0 ? rows[0].n : undefined;
  });
  assert.ok(copied > 0);
  // Meanwhile readers see the old table whole.
  assert.deepEqual(await db.query('SELECT count(*)::int AS n FROM scores'), [{ n: 10_000 }]);
  child.kill('SIGKILL');
  // Reaped first: until then its pid still exists, and the rerun's lock check counts it as running.
  await new Promise((resolve) => child.on('close', resolve));
  await assertOldTableAndRerunConverges(db, ws);
});

test('SIGKILL of the runner in the middle of the swap leaves the old table; a rerun converges', async (t) => {
  const { db, ws } = await loadedRound0(t);
  // Hold the marker table in SHARE mode: the load renames both tables and drops the old one, then
  // waits to insert its marker, inside its uncommitted transaction. That is where it dies.
  const holder = await db.client();
  await holder.query('BEGIN');
  await holder.query('LOCK TABLE plumb_markers IN SHARE MODE');
  const child = startCli(ws, ['run', 'pipeline.ts', 'LoadScores', '--round', '1'], db.env);
  const blocked = await until('the load to wait on the marker insert, mid-swap', async () => {
    const rows = await db.query<{ query: string }>(
      "SELECT query FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'plumb' AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO%plumb_markers%'",
    );
    return rows[0];
  });
  assert.ok(blocked);
  // The renames happened in the load's transaction (the live name is taken by the new table there).
  const renamed = await db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE a.application_name = 'plumb' AND l.locktype = 'relation' AND l.mode = 'AccessExclusiveLock'",
  );
  assert.ok(renamed[0]!.n >= 2, 'the load holds the tables it renamed');
  child.kill('SIGKILL');
  await new Promise((resolve) => child.on('close', resolve));
  // Released: the dead client's backend takes the lock, finds its client gone and rolls back.
  await holder.query('ROLLBACK');
  await assertOldTableAndRerunConverges(db, ws);
});

test('a load stopped by its timeout mid-COPY rolls back at once: the old table stays, no backend lingers', async (t) => {
  const { db, ws } = await loadedRound0(t);
  const r = runCli(
    ws,
    ['run', 'pipeline.ts', 'TimedScores', '--round', '1', '--pause-after', '8000', '--events', 'jsonl'],
    db.env,
  );
  assert.equal(r.code, 1, r.stderr);
  const failed = r.events.find((e) => e.type === 'task-failed');
  assert.ok(failed?.type === 'task-failed' && failed.timedOut, JSON.stringify(failed));
  await runnerGone(db);
  assert.deepEqual(await db.query('SELECT count(*)::int AS n FROM scores'), [{ n: 10_000 }]);
  assert.deepEqual(await tables(db), ['plumb_markers', 'scores']);
});

test('aborting a load (cancel, timeout) closes its connection: the server rolls back, the process goes on', async (t) => {
  const { db } = await loadedRound0(t);
  t.after(closePools);
  const settings = settingsFrom({}, db.env);
  const abort = new AbortController();
  let sent = 0;
  async function* rows() {
    for (; sent < 1_000_000; sent++) {
      if (sent === 20_000) setTimeout(() => abort.abort(), 100);
      if (sent >= 20_000) await sleep(10);
      yield [sent, 'x', 0, null];
    }
  }
  const spec = {
    table: { schema: 'public', name: 'scores' },
    target: 'public.scores',
    markerTable: { schema: 'public', name: 'plumb_markers' },
    columns: { id: 'integer', name: 'text', score: 'double precision', note: 'text' },
    rows,
    task: { taskId: 'Aborted()', taskFamily: 'Aborted', params: {} },
  };
  await assert.rejects(withClient(settings, (client) => loadTable(client, spec), abort.signal));
  assert.ok(sent < 1_000_000);
  // This process is still running: only the connection was closed, and that rolled the load back.
  await runnerGone(db);
  assert.deepEqual(await db.query('SELECT count(*)::int AS n FROM scores'), [{ n: 10_000 }]);
  assert.deepEqual(await tables(db), ['plumb_markers', 'scores']);
});
