// Connections: one node-postgres Pool per set of settings (completeness checks share it), clients
// that die with the task's abort signal (cancel or timeout: the server rolls the transaction back),
// and errors turned into one line without the password.
import pg from 'pg';
import { connectionFailure, redactError } from './connection-error';
import { type PostgresSettings } from './settings';

const pools = new Map<string, pg.Pool>();

function poolFor(settings: PostgresSettings): pg.Pool {
  const key = JSON.stringify(settings);
  let pool = pools.get(key);
  if (!pool) {
    pool = new pg.Pool({
      host: settings.host,
      port: settings.port,
      database: settings.database,
      user: settings.user,
      password: settings.password,
      ssl: settings.ssl || undefined,
      application_name: settings.applicationName,
      connectionTimeoutMillis: settings.connectTimeoutMs,
      max: 8,
      idleTimeoutMillis: 2000,
      // A run ends when its work does: idle connections must not keep the process alive.
      allowExitOnIdle: true,
    });
    // A server that drops an idle client must not crash the run; the next query reconnects.
    pool.on('error', () => undefined);
    pools.set(key, pool);
  }
  return pool;
}

/** A client from the pool; connection failures become PostgresConnectionError (one line). */
export async function connect(settings: PostgresSettings, signal?: AbortSignal): Promise<pg.PoolClient> {
  let client: pg.PoolClient;
  try {
    client = await poolFor(settings).connect();
  } catch (error) {
    throw connectionFailure(error, settings) ?? redactError(error, settings);
  }
  // A checked-out client whose socket dies emits 'error' besides failing its query; the query's
  // rejection is what reports it, and an unheard 'error' event would crash the run instead.
  const ignore = () => undefined;
  client.on('error', ignore);
  const releaseClient = client.release.bind(client);
  client.release = (err?: Error | boolean) => {
    client.removeListener('error', ignore);
    return releaseClient(err);
  };
  if (signal) {
    // Closing the socket is the one cancel that always works: the server sees the client gone and
    // rolls back whatever transaction was open, mid-COPY or mid-swap.
    const abort = () =>
      (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });
    const release = client.release.bind(client);
    client.release = (err?: Error | boolean) => {
      signal.removeEventListener('abort', abort);
      return release(signal.aborted ? true : err);
    };
  }
  return client;
}

/** Runs `work` with a client; a client whose work failed is discarded, not returned to the pool. */
export async function withClient<T>(
  settings: PostgresSettings,
  work: (client: pg.PoolClient) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  const client = await connect(settings, signal);
  try {
    const result = await work(client);
    client.release();
    return result;
  } catch (error) {
    client.release(true);
    throw connectionFailure(error, settings) ?? redactError(error, settings);
  }
}

/** Runs `work` inside BEGIN … COMMIT; any error (or a dropped connection) rolls everything back. */
export function inTransaction<T>(
  settings: PostgresSettings,
  work: (client: pg.PoolClient) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  return withClient(
    settings,
    async (client) => {
      await client.query('BEGIN');
      try {
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    },
    signal,
  );
}

/** Closes every pool (tests and benchmarks that run loads in their own process). */
export async function closePools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((p) => p.end()));
}
