// One real PostgreSQL cluster per test file (initdb'd in a temp directory by scripts/postgres), a
// fresh database per test, and the CLI runs of pipelines that use plumb-postgres.
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { buildPostgresPackage } from '../../../scripts/build.mjs';
import { startCluster, type Cluster } from '../../../scripts/postgres/cluster.mjs';

const repo = path.resolve(__dirname, '../../..');
let started: Promise<Cluster> | undefined;
let databases = 0;

/** The file's cluster: started on first use, stopped (and removed) when the test process exits. */
export function cluster(): Promise<Cluster> {
  started ??= startCluster().then((c) => {
    process.on('exit', () => c.stop());
    return c;
  });
  return started;
}

export interface Database {
  name: string;
  /** PG* variables that connect to it. */
  env: Record<string, string>;
  cluster: Cluster;
  /** A connected client (closed by the test's after()). */
  client(): Promise<pg.Client>;
  /** One query's rows. */
  query<T = Record<string, unknown>>(sql: string, values?: unknown[]): Promise<T[]>;
}

/** A new, empty database in the file's cluster; its clients close when the test ends. */
export async function freshDatabase(t: { after(fn: () => Promise<void> | void): void }): Promise<Database> {
  const c = await cluster();
  const name = `t${process.pid}_${++databases}`;
  c.psql(`CREATE DATABASE ${name}`);
  const env = { ...c.env, PGDATABASE: name };
  const clients: pg.Client[] = [];
  const connect = async () => {
    const client = new pg.Client({
      host: c.host,
      port: c.port,
      user: c.user,
      password: c.password,
      database: name,
    });
    await client.connect();
    clients.push(client);
    return client;
  };
  let shared: pg.Client | undefined;
  t.after(async () => {
    await Promise.all(clients.map((cl) => cl.end().catch(() => undefined)));
  });
  return {
    name,
    env,
    cluster: c,
    client: connect,
    async query<T>(sql: string, values?: unknown[]) {
      shared ??= await connect();
      return (await shared.query(sql, values)).rows as T[];
    },
  };
}

let built = false;

/** plumb-postgres's bundle, built once per test process (pipelines import it as a user's would). */
export function buildPackage(): void {
  if (built) return;
  buildPostgresPackage();
  built = true;
}

/**
 * A copy of test/postgres/fixtures/<name> under test-output/ (inside the repository, so its
 * pipeline resolves 'plumb-postgres' through the workspace's node_modules, as a user's would).
 */
export function workspace(name: string, t: { after(fn: () => void): void }): string {
  buildPackage();
  const dir = path.join(repo, 'test-output', `postgres-${process.pid}`, `${name}-${++databases}`);
  mkdirSync(path.dirname(dir), { recursive: true });
  cpSync(path.join(__dirname, '..', 'fixtures', name), dir, { recursive: true });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
