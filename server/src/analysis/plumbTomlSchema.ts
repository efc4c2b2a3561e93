// What plumb.toml may hold, section by section, for completion and for the sections the runtime
// keeps raw ([postgres], [cluster]). The runtime stays the judge of its own sections (config.ts,
// operations/): test/server/analysis/plumbTomlSchema.test.ts fails when the two lists drift apart.

export type TomlValueKind = 'string' | 'int' | 'number' | 'bool' | 'table' | 'list';

export interface TomlKeySpec {
  name: string;
  kind: TomlValueKind;
  detail: string;
  /** Allowed string values (completed after `key = "`). */
  choices?: readonly string[];
}

export interface TomlSectionSpec {
  /** As it appears in a header: `run`, `tasks`, `schedules`, … */
  name: string;
  detail: string;
  /** `[[schedules]]`: an array of tables. */
  array?: boolean;
  /** `[tasks.<Family>]`, `[params.<Family>]`: one table per task family. */
  perFamily?: boolean;
  /** The integration package that reads it; the core keeps such sections raw. */
  package?: string;
  keys: readonly TomlKeySpec[];
}

const key = (name: string, kind: TomlValueKind, detail: string, choices?: readonly string[]): TomlKeySpec =>
  choices ? { name, kind, detail, choices } : { name, kind, detail };

export const SCHEDULE_KEYS: readonly TomlKeySpec[] = [
  key('name', 'string', 'the schedule’s name (letters, digits, _ . -)'),
  key('cron', 'string', 'when it fires: 5 fields, or 6 with seconds first ("0 6 * * *")'),
  key('timezone', 'string', 'an IANA time zone for the cron and the date (default UTC)'),
  key('pipeline', 'string', 'the pipeline file, relative to the project root'),
  key('task', 'string', 'the task family to run'),
  key('params', 'table', 'the task’s parameters: { region = "eu" }'),
  key('each', 'table', 'one run per value: { customer = ["a", "b"] }'),
  key('date_param', 'string', 'a date parameter set to the fire date'),
  key('date_offset_days', 'int', 'shift of the fire date (-1: the day before)'),
  key('time_param', 'string', 'a datetime parameter set to the fire time (UTC)'),
  key('priority', 'int', 'higher first when more runs are due than may start'),
  key('concurrency_key', 'string', 'runs with the same key never overlap ("customer-{customer}")'),
  key('on_conflict', 'string', 'when the key is held: wait (default) or skip', ['wait', 'skip']),
  key('catch_up', 'string', 'after downtime: all, latest (default) or none', ['all', 'latest', 'none']),
  key('catch_up_limit', 'int', 'at most this many missed fires (default 100)'),
  key('sla', 'table', 'the run’s deadline: { deadline = "06:00" } or { within = "2h" }'),
];

export const SECTIONS: readonly TomlSectionSpec[] = [
  {
    name: 'run',
    detail: 'scheduler and worker settings',
    keys: [
      key('workers', 'int', 'tasks run at once (≥ 1)'),
      key('retries', 'int', 'retries of a failed task (≥ 0)'),
      key('retry_delay_ms', 'int', 'delay before the first retry'),
      key('retry_backoff', 'number', 'factor of the delay per retry (≥ 1)'),
      key('timeout_ms', 'int', 'per attempt, 0 for none'),
      key('durable', 'bool', 'fsync every output before it counts'),
      key('keep_run_logs', 'int', 'run logs kept (0: no count limit)'),
      key('keep_run_logs_mb', 'number', 'megabytes of run logs kept (0: no size limit)'),
      key('test_mode', 'bool', 'every run writes to the test area ([test_mode] root)'),
      key('isolate_recycle_after', 'int', 'attempts an isolated-task process runs before a fresh one'),
      key('isolate_max_rss_mb', 'number', 'an isolated-task process past this RSS (MB) is recycled'),
      key('sla', 'table', 'every run’s deadline: { deadline = "06:00" } or { within = "2h" } (--sla wins)'),
    ],
  },
  { name: 'params', detail: 'parameter defaults per task family', perFamily: true, keys: [] },
  {
    name: 'tasks',
    detail: 'settings per task family',
    perFamily: true,
    keys: [
      key('retries', 'int', 'retries of a failed attempt (≥ 0)'),
      key('retry_delay_ms', 'int', 'delay before the first retry'),
      key('retry_backoff', 'number', 'factor of the delay per retry (≥ 1)'),
      key('timeout_ms', 'int', 'per attempt, 0 for none'),
      key('isolate', 'bool', 'run each attempt in its own process'),
      key('isolate_share', 'int', 'isolated attempts that only wait: up to this many share one process'),
      key('concurrency_key', 'string', 'runs with the same key never overlap ("customer-{customer}")'),
      key('severity', 'string', 'alerts: critical (at once, default) or low (grouped)', ['low', 'critical']),
      key('sla', 'table', '{ deadline = "06:00", timezone = "Europe/Berlin" } or { within = "2h" }'),
    ],
  },
  { name: 'schedules', detail: 'a schedule: cron, task, parameters', array: true, keys: SCHEDULE_KEYS },
  {
    name: 'alerts',
    detail: 'webhooks told about failures',
    keys: [
      key('webhooks', 'list', '[{ url = "http://…", format = "slack" | "json", on = [...] }]'),
      key('on', 'list', 'which alerts go out: ["failure", "recovery", "sla-miss"] (default: all)'),
      key('tries', 'int', 'tries per message (≥ 1, default 3)'),
      key('backoff_ms', 'int', 'delay before the second try, doubled after (default 500)'),
      key('timeout_ms', 'int', 'per try (default 5000)'),
    ],
  },
  {
    name: 'test_mode',
    detail: 'where --test-mode runs write',
    keys: [key('root', 'string', 'the test area, relative to the project root')],
  },
  {
    name: 'postgres',
    detail: 'plumb-postgres: the database and schemas',
    package: 'plumb-postgres',
    keys: [
      key('host', 'string', 'server host (default PGHOST, else localhost)'),
      key('port', 'int', 'server port (default PGPORT, else 5432)'),
      key('database', 'string', 'database (default PGDATABASE, else the user)'),
      key('user', 'string', 'user (default PGUSER, else the login)'),
      key('password_env', 'string', 'the environment variable holding the password'),
      key('ssl', 'bool', 'connect with TLS'),
      key('connect_timeout_ms', 'int', 'connection timeout (default 10000)'),
      key('application_name', 'string', 'shown in pg_stat_activity (default plumb)'),
      key('schema', 'string', 'schema of tables named without one (default public)'),
      key('marker_table', 'string', 'where completed outputs are recorded (default plumb_markers)'),
      key('test_schema', 'string', 'where test-mode outputs go (default plumb_test)'),
      key('test_mode', 'bool', 'every output goes to the test schema'),
    ],
  },
  {
    name: 'cluster',
    detail: 'plumb-cluster: the Redis of the cluster',
    package: 'plumb-cluster',
    keys: [key('redis', 'string', 'redis://host:port (else PLUMB_REDIS_URL)')],
  },
];

export function sectionSpec(name: string): TomlSectionSpec | undefined {
  return SECTIONS.find((s) => s.name === name);
}

/** The section a table name belongs to: `tasks.Daily` → tasks, `schedules.nightly` → schedules. */
export function sectionOfTable(table: string): TomlSectionSpec | undefined {
  return sectionSpec(table.split('.')[0]!);
}
