// Where plumb-postgres connects and writes: plumb.toml's [postgres] section over the standard PG*
// environment variables (as libpq treats them: defaults for what the configuration leaves unset),
// plus test mode (PLUMB_TEST_MODE), which sends every database output to the test schema.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, TomlError } from 'smol-toml';

export interface PostgresSettings {
  host: string;
  port: number;
  database: string;
  user: string;
  /** Never logged, never in an event or an error message. */
  password?: string;
  /** Where the name of the environment variable holding the password came from, for error hints. */
  passwordSource: string;
  ssl: boolean;
  connectTimeoutMs: number;
  applicationName: string;
  /** The schema of tables named without one, and of the marker table. */
  schema: string;
  markerTable: string;
  /** In test mode every output (tables and markers) goes here instead. */
  testSchema: string;
  testMode: boolean;
}

export class PostgresSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PostgresSettingsError';
  }
}

type Env = Record<string, string | undefined>;

const KEYS: Record<string, 'string' | 'port' | 'boolean' | 'ms'> = {
  host: 'string',
  port: 'port',
  database: 'string',
  user: 'string',
  password_env: 'string',
  ssl: 'boolean',
  connect_timeout_ms: 'ms',
  application_name: 'string',
  schema: 'string',
  marker_table: 'string',
  test_schema: 'string',
  test_mode: 'boolean',
};

/** The [postgres] table of a plumb.toml source, checked: unknown keys and wrong types are errors. */
export function parsePostgresSection(source: string, file: string): Record<string, unknown> {
  let doc: Record<string, unknown>;
  try {
    doc = parse(source) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof TomlError)
      throw new PostgresSettingsError(`${file}:${e.line}: ${e.message.split('\n')[0]}`);
    throw e;
  }
  const table = doc.postgres;
  if (table === undefined) return {};
  if (table === null || typeof table !== 'object' || Array.isArray(table))
    throw new PostgresSettingsError(`${file}: postgres must be a table ([postgres])`);
  for (const [key, value] of Object.entries(table)) {
    const kind = KEYS[key];
    const where = `${file}: postgres.${key}`;
    if (!kind) {
      const hint =
        key === 'password'
          ? ' (a password does not belong in a checked-in file: set PGPASSWORD, ~/.pgpass, or password_env = "VAR")'
          : '';
      throw new PostgresSettingsError(
        `${where}: unknown setting${hint} (known: ${Object.keys(KEYS).join(', ')})`,
      );
    }
    const ok =
      kind === 'string'
        ? typeof value === 'string' && value !== ''
        : kind === 'boolean'
          ? typeof value === 'boolean'
          : kind === 'port'
            ? Number.isInteger(value) && (value as number) > 0 && (value as number) < 65536
            : Number.isInteger(value) && (value as number) >= 0;
    if (!ok) {
      const expected = {
        string: 'a non-empty string',
        boolean: 'true or false',
        port: 'a port number',
        ms: 'a whole number of milliseconds',
      }[kind];
      throw new PostgresSettingsError(`${where}: must be ${expected}`);
    }
  }
  return table as Record<string, unknown>;
}

const TRUE = /^(1|true|yes|on)$/i;

/** Settings from `<root>/plumb.toml` (when it exists) and `env`. */
export function resolveSettings(root: string, env: Env = process.env): PostgresSettings {
  const file = path.join(root, 'plumb.toml');
  let source: string | undefined;
  try {
    source = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  return settingsFrom(source === undefined ? {} : parsePostgresSection(source, file), env);
}

export function settingsFrom(toml: Record<string, unknown>, env: Env): PostgresSettings {
  const str = (key: string) => toml[key] as string | undefined;
  const user = str('user') ?? env.PGUSER ?? os.userInfo().username;
  const passwordEnv = str('password_env');
  const password = passwordEnv ? env[passwordEnv] : env.PGPASSWORD;
  if (passwordEnv && password === undefined)
    throw new PostgresSettingsError(
      `plumb.toml postgres.password_env names ${passwordEnv}, which is not set`,
    );
  const envPort = env.PGPORT ? Number(env.PGPORT) : undefined;
  if (envPort !== undefined && !(Number.isInteger(envPort) && envPort > 0 && envPort < 65536))
    throw new PostgresSettingsError(`PGPORT must be a port number, not ${JSON.stringify(env.PGPORT)}`);
  const envTimeout = env.PGCONNECT_TIMEOUT ? Number(env.PGCONNECT_TIMEOUT) * 1000 : undefined;
  const sslMode = env.PGSSLMODE;
  return {
    host: str('host') ?? env.PGHOST ?? 'localhost',
    port: (toml.port as number | undefined) ?? envPort ?? 5432,
    database: str('database') ?? env.PGDATABASE ?? user,
    user,
    password,
    passwordSource: passwordEnv ?? 'PGPASSWORD',
    ssl:
      (toml.ssl as boolean | undefined) ??
      (sslMode !== undefined && !/^(disable|allow|prefer)$/.test(sslMode)),
    connectTimeoutMs:
      (toml.connect_timeout_ms as number | undefined) ?? (Number.isFinite(envTimeout) ? envTimeout! : 10_000),
    applicationName: str('application_name') ?? env.PGAPPNAME ?? 'plumb',
    schema: str('schema') ?? 'public',
    markerTable: str('marker_table') ?? 'plumb_markers',
    testSchema: env.PLUMB_TEST_SCHEMA || (str('test_schema') ?? 'plumb_test'),
    testMode:
      env.PLUMB_TEST_MODE !== undefined
        ? TRUE.test(env.PLUMB_TEST_MODE)
        : ((toml.test_mode as boolean | undefined) ?? false),
  };
}

/** The schema outputs go to: the test schema in test mode, whatever schema they name otherwise. */
export function outputSchema(settings: PostgresSettings, schema: string | undefined): string {
  return settings.testMode ? settings.testSchema : (schema ?? settings.schema);
}

/** user@host:port/database, for messages and target names: never the password. */
export function describeServer(settings: PostgresSettings): string {
  return `${settings.user}@${settings.host}:${settings.port}/${settings.database}`;
}
