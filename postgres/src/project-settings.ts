// The settings of the project being run: its plumb.toml (the runtime's project root) and the
// environment, read once per root and environment rather than once per output() call.
import { getProjectRoot } from 'plumb-pipelines';
import { resolveSettings, type PostgresSettings } from './settings';

let cached: { key: string; settings: PostgresSettings } | undefined;

const ENV_KEYS = [
  'PGHOST',
  'PGPORT',
  'PGDATABASE',
  'PGUSER',
  'PGPASSWORD',
  'PGSSLMODE',
  'PGCONNECT_TIMEOUT',
  'PGAPPNAME',
  'PLUMB_TEST_MODE',
  'PLUMB_TEST_SCHEMA',
];

export function projectSettings(): PostgresSettings {
  const root = getProjectRoot();
  const key = JSON.stringify([root, ...ENV_KEYS.map((k) => process.env[k])]);
  if (cached?.key !== key) cached = { key, settings: resolveSettings(root) };
  return cached.settings;
}
