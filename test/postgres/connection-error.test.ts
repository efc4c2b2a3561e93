// A refused login and an unreachable server: the task fails (exit 1) with one line that names the
// server and what to check, and the password appears nowhere (terminal, events, run log).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { connectionFailure, redact } from '../../postgres/src/connection-error';
import { settingsFrom } from '../../postgres/src/settings';
import { freePort } from '../../scripts/postgres/cluster.mjs';
import { runCli } from '../runtime/support/cli';
import { freshDatabase, workspace } from './support/server';

function runLogs(ws: string): string {
  const dir = path.join(ws, '.plumb', 'runs');
  return readdirSync(dir)
    .map((f) => readFileSync(path.join(dir, f), 'utf8'))
    .join('');
}

function failureLines(output: string): string[] {
  return output.split('\n').filter((l) => l.includes('PostgreSQL '));
}

test('a wrong password fails the task with one line and never shows the password', async (t) => {
  const db = await freshDatabase(t);
  const ws = workspace('loads', t);
  const secret = 'hunter2-WRONG-pw';
  const r = runCli(ws, ['run', 'pipeline.ts', 'LoadPlays', '--day', '1'], { ...db.env, PGPASSWORD: secret });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const lines = failureLines(r.stdout + r.stderr);
  assert.equal(lines.length, 1, lines.join('\n'));
  assert.match(
    lines[0]!,
    new RegExp(
      `^✗ LoadPlays\\(day=1\\) failed: PostgreSQL plumb@127\\.0\\.0\\.1:${db.cluster.port}/${db.name}: login refused: password authentication failed for user "plumb" \\(check PGPASSWORD or ~/\\.pgpass\\)$`,
    ),
  );
  const everything = r.stdout + r.stderr + runLogs(ws);
  assert.ok(!everything.includes(secret), 'the password appears in the output or the run log');

  // The right password: the events and the run log of a successful load hold no password either.
  const ok = runCli(ws, ['run', 'pipeline.ts', 'LoadPlays', '--day', '1', '--events', 'jsonl'], db.env);
  assert.equal(ok.code, 0, ok.stderr);
  assert.ok(!(ok.stdout + ok.stderr + runLogs(ws)).includes(db.cluster.password));
});

test('an unreachable server fails the task with one line', async (t) => {
  const db = await freshDatabase(t);
  const ws = workspace('loads', t);
  const port = await freePort();
  const r = runCli(ws, ['run', 'pipeline.ts', 'TopArtists', '--day', '1', '--events', 'jsonl'], {
    ...db.env,
    PGPORT: String(port),
  });
  assert.equal(r.code, 1, r.stderr);
  const lines = failureLines(r.stderr);
  assert.deepEqual(lines, [
    `✗ LoadPlays(day=1) failed: PostgreSQL plumb@127.0.0.1:${port}/${db.name}: cannot connect: connection refused (is the server running and listening there?)`,
  ]);
  const failed = r.events.find((e) => e.type === 'task-failed');
  assert.ok(failed?.type === 'task-failed');
  assert.equal(failed.error.name, 'PostgresConnectionError');
  assert.ok(!(r.stdout + r.stderr).includes(db.cluster.password));
});

test('connection failures are one line each, with a hint and no password', () => {
  const settings = settingsFrom(
    {},
    { PGHOST: 'db.example', PGPORT: '6543', PGUSER: 'etl', PGDATABASE: 'dw', PGPASSWORD: 's3cr3t-pw' },
  );
  const line = (error: object) => connectionFailure(error, settings)?.message;
  assert.equal(
    line({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }),
    'PostgreSQL etl@db.example:6543/dw: cannot connect: connection refused (is the server running and listening there?)',
  );
  assert.equal(
    line({ code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND db.example' }),
    'PostgreSQL etl@db.example:6543/dw: cannot connect: no such host',
  );
  assert.equal(
    line({ message: 'timeout expired' }),
    'PostgreSQL etl@db.example:6543/dw: cannot connect: no answer within 10000 ms',
  );
  assert.equal(
    line({ code: '3D000', message: 'database "dw" does not exist' }),
    'PostgreSQL etl@db.example:6543/dw: database "dw" does not exist',
  );
  // Whatever a server or driver puts in a message, the password is cut out of it.
  assert.equal(
    line({ code: '28000', message: 'role "s3cr3t-pw" does not exist' }),
    'PostgreSQL etl@db.example:6543/dw: role "***" does not exist',
  );
  assert.equal(line({ code: '42P01', message: 'relation "x" does not exist' }), undefined);
  assert.equal(redact('a s3cr3t-pw b s3cr3t-pw', settings), 'a *** b ***');
  assert.ok(
    !connectionFailure({ code: 'ECONNREFUSED' }, settings)!.stack!.includes('\n'),
    'no stack frames under the line',
  );
});
