// plumb.toml: settings are read and checked; every error names the file, the line and the key.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkConfigFamilies, ConfigError, parseConfig } from '../../runtime/src/config';
import { param, type ParamSchema } from '../../runtime/src/parameter';

const FILE = '/ws/plumb.toml';

test('reads [run], [tasks.<Family>] and [params.<Family>]', () => {
  const config = parseConfig(
    [
      '[run]',
      'workers = 4',
      'retries = 1',
      'retry_delay_ms = 50',
      'retry_backoff = 1.5',
      'timeout_ms = 0',
      '',
      '[params.Top10Artists]',
      'dateInterval = "2026-11-01-2026-11-07"',
      '',
      '[tasks.AggregateArtists]',
      'retries = 3',
      'isolate = true',
    ].join('\n'),
    FILE,
  );
  assert.deepEqual(config.run, {
    workers: 4,
    retries: 1,
    retryDelayMs: 50,
    retryBackoff: 1.5,
    timeoutMs: 0,
    durable: false,
    keepRunLogs: 200,
    keepRunLogsMb: 200,
    testMode: false,
    isolateRecycleAfter: 1000,
    isolateMaxRssMb: 1024,
  });
  assert.deepEqual(config.tasks, { AggregateArtists: { retries: 3, isolate: true } });
  assert.deepEqual(config.params, { Top10Artists: { dateInterval: '2026-11-01-2026-11-07' } });
});

function errorOf(source: string): ConfigError {
  try {
    parseConfig(source, FILE);
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    return e;
  }
  assert.fail('expected a ConfigError');
}

test('errors name file, line and key', () => {
  const wrongType = errorOf('# settings\n[run]\nworkers = 4\nretries = "two"\n');
  assert.equal(wrongType.message, '/ws/plumb.toml:4: run.retries: must be a whole number ≥ 0');
  const unknown = errorOf('[run]\nworkers = 2\n\n[tasks.A]\nretry = 3\n');
  assert.equal(unknown.line, 5);
  assert.match(unknown.message, /tasks\.A\.retry: unknown setting \(known: retries, retry_delay_ms/);
  const section = errorOf('[runner]\nworkers = 1\n');
  assert.match(section.message, /^\/ws\/plumb.toml:1: runner: unknown section/);
  const syntax = errorOf('[run]\nworkers = = 2\n');
  assert.equal(syntax.line, 2);
  assert.match(syntax.message, /^\/ws\/plumb.toml:2: /);
  const zero = errorOf('[run]\nworkers = 0\n');
  assert.equal(zero.message, '/ws/plumb.toml:2: run.workers: must be a whole number ≥ 1');
});

test('[params.<Family>] and [tasks.<Family>] are checked against the pipeline: typos name their line and a did-you-mean', () => {
  const schemas = new Map<string, ParamSchema>([
    ['Top10Artists', { dateInterval: param.dateInterval(), limit: param.int({ default: 10 }) }],
    ['Aggregate', {}],
  ]);
  const check = (source: string, declared: string[] = []) => {
    try {
      checkConfigFamilies(parseConfig(source, FILE), schemas, declared);
    } catch (e) {
      assert.ok(e instanceof ConfigError);
      return e.message;
    }
    return 'ok';
  };
  assert.equal(check('[params.Top10Artists]\ndateInterval = "2026-11-01-2026-11-07"\n'), 'ok');
  assert.equal(
    check('[run]\nworkers = 2\n\n[params.Top10Artists]\ndate_interval = "2026-11-01-2026-11-07"\n'),
    '/ws/plumb.toml:5: params.Top10Artists.date_interval: not a parameter of Top10Artists (did you mean dateInterval?) (it takes dateInterval, limit)',
  );
  assert.equal(
    check('[params.Top10Artist]\nlimit = 3\n'),
    '/ws/plumb.toml:1: params.Top10Artist: no task family Top10Artist in the project (did you mean Top10Artists?)',
  );
  assert.equal(
    check('[tasks.Agregate]\nretries = 3\n'),
    '/ws/plumb.toml:1: tasks.Agregate: no task family Agregate in the project (did you mean Aggregate?)',
  );
  assert.match(
    check('[params.Top10Artists]\n\nlimit = "many"\n'),
    /^\/ws\/plumb.toml:3: params\.Top10Artists\.limit: /,
  );
  // A class the pipeline declares without exporting is a family; its keys are checked when it is built.
  assert.equal(check('[params.Internal]\nx = 1\n', ['Internal']), 'ok');
  assert.match(
    check('[tasks.Aggregate]\nretrys = 3\n'),
    /retrys: unknown setting \(did you mean retries\?\)/,
  );
});

test('[run] keep_run_logs and keep_run_logs_mb bound the run logs (0 = no limit)', () => {
  const config = parseConfig('[run]\nkeep_run_logs = 20\nkeep_run_logs_mb = 0.5\n', FILE);
  assert.equal(config.run.keepRunLogs, 20);
  assert.equal(config.run.keepRunLogsMb, 0.5);
  assert.equal(
    errorOf('[run]\nkeep_run_logs = -1\n').message,
    '/ws/plumb.toml:2: run.keep_run_logs: must be a whole number ≥ 0',
  );
  assert.match(errorOf('[run]\nkeep_run_log = 3\n').message, /did you mean keep_run_logs\?/);
});

test('integration sections ([postgres], [cluster]) are kept raw for their packages; a typo of one is named', () => {
  const config = parseConfig(['[postgres]', 'host = "127.0.0.1"', 'port = 5433'].join('\n'), FILE);
  assert.deepEqual({ ...config.integrations?.postgres }, { host: '127.0.0.1', port: 5433 });
  assert.throws(
    () => parseConfig(['[postgress]', 'host = "x"'].join('\n'), FILE),
    (e: unknown) =>
      e instanceof ConfigError && /:1: postgress: unknown section.*did you mean.*postgres/i.test(e.message),
  );
});

test('[alerts] webhooks and [tasks.<Family>] severity; a bad one names its line', () => {
  const config = parseConfig(
    [
      '[alerts]',
      'webhooks = [{ url = "http://127.0.0.1:9/hook", format = "slack" }]',
      'tries = 2',
      '',
      '[tasks.Minor]',
      'severity = "low"',
    ].join('\n'),
    FILE,
  );
  assert.deepEqual(config.alerts, {
    webhooks: [{ url: 'http://127.0.0.1:9/hook', format: 'slack' }],
    on: ['failure', 'recovery', 'sla-miss'],
    tries: 2,
    backoffMs: 500,
    timeoutMs: 5000,
  });
  assert.equal(config.tasks.Minor?.severity, 'low');
  assert.throws(
    () => parseConfig('[alerts]\nwebhooks = [{ url = "ftp://x" }]\n', FILE),
    /plumb\.toml:2: alerts\.webhooks: each webhook needs url/,
  );
  assert.throws(
    () => parseConfig('[tasks.Minor]\nseverity = "meh"\n', FILE),
    /severity: must be "low" or "critical"/,
  );
});
