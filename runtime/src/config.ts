// plumb.toml: worker settings ([run]), per-family settings ([tasks.<Family>]) and parameter
// defaults ([params.<Family>]), schedules ([[schedules]], read by operations/schedule-config.ts), the test area ([test_mode]).
// Every error names the file, the line and the key.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { didYouMean } from './did-you-mean';
import { type AlertSettings, parseAlerts } from './operations/alerts';
import { arrayTableLine, parseSchedules, type Schedule } from './operations/schedule-config';
import { slaProblem } from './operations/sla';
import { type ParamSchema } from './parameter';

export interface RunSettings {
  workers: number;
  retries: number;
  retryDelayMs: number;
  retryBackoff: number;
  /** 0 = none. */
  timeoutMs: number;
  /** fsync every output and its directory before it counts. */
  durable: boolean;
  /** Run logs (.plumb/runs/) kept after each run: the newest this many (0 = no count limit)… */
  keepRunLogs: number;
  /** …and no more than this many megabytes in all (0 = no size limit). */
  keepRunLogsMb: number;
  /** Test mode: outputs go to the test area ([test_mode] root), never to the production paths. */
  testMode: boolean;
  /** An isolated task's pool member runs at most this many attempts, then a fresh one takes over. */
  isolateRecycleAfter: number;
  /** A pool member whose RSS passed this many megabytes after an attempt is recycled. */
  isolateMaxRssMb: number;
  /**
   * Every run's SLA, as written (`{ deadline = "06:00", timezone = "…" }` or `{ within = "2h" }`,
   * operations/sla.ts), unless `--sla` or the schedule that fired the run gives its own.
   */
  sla?: Record<string, unknown>;
}

export interface FamilySettings {
  retries?: number;
  retryDelayMs?: number;
  retryBackoff?: number;
  timeoutMs?: number;
  isolate?: boolean;
  /** Up to this many isolated attempts of the family share one pool member (`static isolateShare`); 1: none. */
  isolateShare?: number;
  /** A key template (`customer-{customer}`): runs of this family with the same key never overlap. */
  concurrencyKey?: string;
  /** Alerts: 'critical' (default) at once, 'low' grouped into one message per run. */
  severity?: 'low' | 'critical';
  /** `sla = { deadline = "06:00", timezone = "…" }` or `{ within = "2h" }` (operations/sla.ts), as written. */
  sla?: Record<string, unknown>;
}

export interface PlumbConfig {
  /** The file read, when there was one. */
  file?: string;
  run: RunSettings;
  tasks: Record<string, FamilySettings>;
  params: Record<string, Record<string, unknown>>;
  schedules: Schedule[];
  /** [test_mode]: where test-mode runs write (relative to the project root), when set. */
  testModeRoot?: string;
  /** [alerts]: webhooks told about final task failures (operations/alerts.ts). */
  alerts?: AlertSettings;
  /**
   * Sections read by integration packages (plumb-postgres's [postgres], plumb-cluster's [cluster]),
   * kept raw: each package checks its own section, and the core never imports them.
   */
  integrations?: Record<string, Record<string, unknown>>;
}

/** Sections that belong to integration packages, not to the core. */
export const INTEGRATION_SECTIONS: readonly string[] = ['postgres', 'cluster'];

export const DEFAULT_RUN_SETTINGS: RunSettings = {
  workers: 1,
  retries: 0,
  retryDelayMs: 1000,
  retryBackoff: 2,
  timeoutMs: 0,
  durable: false,
  keepRunLogs: 200,
  keepRunLogsMb: 200,
  testMode: false,
  isolateRecycleAfter: 1000,
  isolateMaxRssMb: 1024,
};

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly key: string | undefined,
    detail: string,
  ) {
    super(`${file}${line ? `:${line}` : ''}: ${key ? `${key}: ` : ''}${detail}`);
    this.name = 'ConfigError';
  }
}

type Check = (v: unknown) => string | undefined;
const nonNegativeInt: Check = (v) =>
  Number.isSafeInteger(v) && (v as number) >= 0 ? undefined : 'must be a whole number ≥ 0';
const positiveInt: Check = (v) =>
  Number.isSafeInteger(v) && (v as number) >= 1 ? undefined : 'must be a whole number ≥ 1';
const atLeastOne: Check = (v) => (typeof v === 'number' && v >= 1 ? undefined : 'must be a number ≥ 1');
const nonNegativeNumber: Check = (v) =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 ? undefined : 'must be a number ≥ 0';
const boolean: Check = (v) => (typeof v === 'boolean' ? undefined : 'must be true or false');
const keyTemplate: Check = (v) =>
  typeof v === 'string' && v.trim() !== ''
    ? undefined
    : 'must be a non-empty string (a key, or a template such as "customer-{customer}")';

const RUN_KEYS: Record<string, [keyof RunSettings, Check]> = {
  workers: ['workers', positiveInt],
  retries: ['retries', nonNegativeInt],
  retry_delay_ms: ['retryDelayMs', nonNegativeInt],
  retry_backoff: ['retryBackoff', atLeastOne],
  timeout_ms: ['timeoutMs', nonNegativeInt],
  durable: ['durable', boolean],
  keep_run_logs: ['keepRunLogs', nonNegativeInt],
  keep_run_logs_mb: ['keepRunLogsMb', nonNegativeNumber],
  test_mode: ['testMode', boolean],
  isolate_recycle_after: ['isolateRecycleAfter', positiveInt],
  isolate_max_rss_mb: [
    'isolateMaxRssMb',
    (v) => (typeof v === 'number' && v > 0 ? undefined : 'must be a number > 0'),
  ],
  sla: ['sla', (v) => slaProblem(v)],
};
const TASK_KEYS: Record<string, [keyof FamilySettings, Check]> = {
  retries: ['retries', nonNegativeInt],
  retry_delay_ms: ['retryDelayMs', nonNegativeInt],
  retry_backoff: ['retryBackoff', atLeastOne],
  timeout_ms: ['timeoutMs', nonNegativeInt],
  isolate: ['isolate', boolean],
  isolate_share: ['isolateShare', positiveInt],
  concurrency_key: ['concurrencyKey', keyTemplate],
  severity: [
    'severity',
    (v) => (v === 'low' || v === 'critical' ? undefined : 'must be "low" or "critical"'),
  ],
  sla: ['sla', (v) => slaProblem(v)],
};

export function emptyConfig(): PlumbConfig {
  return { run: { ...DEFAULT_RUN_SETTINGS }, tasks: {}, params: {}, schedules: [] };
}

/** Reads `<root>/plumb.toml` when it exists; the defaults otherwise. */
export function loadConfig(root: string): PlumbConfig {
  const file = path.join(root, 'plumb.toml');
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return emptyConfig();
    throw new ConfigError(file, undefined, undefined, (e as Error).message);
  }
  return parseConfig(source, file);
}

export function parseConfig(source: string, file: string): PlumbConfig {
  let doc: Record<string, unknown>;
  try {
    doc = parse(source) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof TomlError) {
      throw new ConfigError(
        file,
        e.line,
        undefined,
        e.message.split('\n')[0]!.replace(/^Invalid TOML document: /, ''),
      );
    }
    throw e;
  }
  const config: PlumbConfig = { ...emptyConfig(), file };
  sources.set(config, source);
  const fail = (table: string[], key: string | undefined, detail: string): never => {
    throw new ConfigError(
      file,
      lineOf(source, table, key),
      [...table, ...(key ? [key] : [])].join('.'),
      detail,
    );
  };
  for (const [top, value] of Object.entries(doc)) {
    if (top === 'run') {
      const table = asTable(value, () => fail([], 'run', 'must be a table ([run])'));
      for (const [key, v] of Object.entries(table)) {
        const known = RUN_KEYS[key];
        if (!known)
          fail(
            ['run'],
            key,
            `unknown setting${didYouMean(key, Object.keys(RUN_KEYS))} (known: ${Object.keys(RUN_KEYS).join(', ')})`,
          );
        const problem = known![1](v);
        if (problem) fail(['run'], key, problem);
        (config.run as unknown as Record<string, unknown>)[known![0]] = v;
      }
    } else if (top === 'tasks' || top === 'params') {
      const families = asTable(value, () => fail([], top, `must be a table of families ([${top}.<Family>])`));
      for (const [family, settings] of Object.entries(families)) {
        const table = asTable(settings, () => fail([top], family, `must be a table ([${top}.${family}])`));
        if (top === 'params') {
          config.params[family] = { ...table };
          continue;
        }
        const out: FamilySettings = {};
        for (const [key, v] of Object.entries(table)) {
          const known = TASK_KEYS[key];
          if (!known)
            fail(
              [top, family],
              key,
              `unknown setting${didYouMean(key, Object.keys(TASK_KEYS))} (known: ${Object.keys(TASK_KEYS).join(', ')})`,
            );
          const problem = known![1](v);
          if (problem) fail([top, family], key, problem);
          (out as Record<string, unknown>)[known![0]] = v;
        }
        config.tasks[family] = out;
      }
    } else if (top === 'schedules') {
      config.schedules = parseSchedules(value, (where, key, detail) => {
        const table = typeof where === 'string' ? ['schedules', where] : ['schedules'];
        const line =
          typeof where === 'number'
            ? arrayTableLine(source, 'schedules', where, key)
            : lineOf(source, table, key);
        const name = typeof where === 'number' ? `schedules[${where}]` : table.join('.');
        throw new ConfigError(file, line, key ? `${name}.${key}` : name, detail);
      });
    } else if (top === 'alerts') {
      const table = asTable(value, () => fail([], 'alerts', 'must be a table ([alerts])'));
      config.alerts = parseAlerts(table, (key, detail) => fail(['alerts'], key, detail));
    } else if (top === 'test_mode') {
      const table = asTable(value, () => fail([], 'test_mode', 'must be a table ([test_mode])'));
      for (const [key, v] of Object.entries(table)) {
        if (key !== 'root')
          fail(['test_mode'], key, `unknown setting${didYouMean(key, ['root'])} (known: root)`);
        if (typeof v !== 'string' || v.trim() === '')
          fail(['test_mode'], key, 'must be a non-empty path (relative to the project root, or absolute)');
        config.testModeRoot = v as string;
      }
    } else if (INTEGRATION_SECTIONS.includes(top)) {
      (config.integrations ??= {})[top] = asTable(value, () => fail([], top, 'must be a table'));
    } else {
      const known = ['run', 'tasks', 'params', 'schedules', 'test_mode', 'alerts', ...INTEGRATION_SECTIONS];
      fail(
        [],
        top,
        `unknown section${didYouMean(top, known)} (known: [run], [tasks.<Family>], [params.<Family>], [[schedules]], [test_mode], [alerts], ${INTEGRATION_SECTIONS.map((x) => `[${x}]`).join(', ')})`,
      );
    }
  }
  return config;
}

/** The text each parsed config came from, for the lines of errors found after the pipeline loads. */
const sources = new WeakMap<PlumbConfig, string>();

/**
 * Checks [params.<Family>] and [tasks.<Family>] against the loaded pipeline, before anything runs:
 * an unknown family, a key that is not a parameter, a value the parameter refuses, each an error
 * with its line and a "did you mean" (a typo must never read as "parameter is required").
 * `families` are the task classes whose schemas are known; `declared` are other task names seen
 * (classes declared but not exported), accepted as families without a key check.
 */
export function checkConfigFamilies(
  config: PlumbConfig,
  families: ReadonlyMap<string, ParamSchema>,
  declared: Iterable<string> = [],
): void {
  const file = config.file;
  if (file === undefined) return;
  const source = sources.get(config) ?? '';
  const fail = (table: string[], key: string | undefined, detail: string): never => {
    throw new ConfigError(
      file,
      lineOf(source, table, key),
      [...table, ...(key ? [key] : [])].join('.'),
      detail,
    );
  };
  const names = new Set([...families.keys(), ...declared]);
  for (const top of ['params', 'tasks'] as const) {
    for (const family of Object.keys(config[top])) {
      if (names.has(family)) continue;
      fail([top], family, `no task family ${family} in the project${didYouMean(family, names)}`);
    }
  }
  for (const [family, values] of Object.entries(config.params)) {
    const schema = families.get(family);
    if (!schema) continue;
    for (const [key, value] of Object.entries(values)) {
      const def = schema[key];
      if (!def) {
        const known = Object.keys(schema);
        const hint = didYouMean(key, known);
        fail(
          ['params', family],
          key,
          `not a parameter of ${family}${hint}${known.length ? ` (it takes ${known.join(', ')})` : ' (it takes none)'}`,
        );
      }
      try {
        def!.fromConfig(value);
      } catch (e) {
        fail(['params', family], key, (e as Error).message);
      }
    }
  }
}

function asTable(value: unknown, onError: () => never): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Date)
    return onError();
  return value as Record<string, unknown>;
}

/**
 * The 1-based line where `key` is set inside table `[a.b]` (or where the table starts), found in
 * the source text because the TOML parser gives positions only for syntax errors.
 */
export function lineOf(source: string, table: string[], key: string | undefined): number | undefined {
  const lines = source.split(/\r?\n/);
  const header = table.join('.');
  let inTable = table.length === 0;
  let tableLine: number | undefined;
  const keyPattern = key
    ? new RegExp(`^\\s*["']?${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*=`)
    : undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    const m = /^\[\s*([^\]]+?)\s*\]/.exec(line);
    if (m) {
      const name = m[1]!.replace(/["'\s]/g, '');
      inTable = name === header;
      if (inTable) tableLine = i + 1;
      if (!header && key && name === key) return i + 1;
      if (header && key && name === `${header}.${key}`) return i + 1;
      continue;
    }
    if (inTable && keyPattern?.test(line)) return i + 1;
  }
  return tableLine;
}
