// Sample host messages for the dev pages: a pipeline graph as the language server sends it, and a
// run's event stream as the runtime writes it (with a retry, a failure, a blocked task).
/* global window */
(function () {
  const uri = 'file:///work/demo/pipeline.ts';
  const at = (line) => ({ start: { line, character: 13 }, end: { line, character: 30 } });
  const param = (name, type, defaultText, extra = {}) => ({
    name,
    type,
    defaultText,
    required: defaultText === undefined,
    ...extra,
  });
  function node(family, line, kind, params, template, more = {}) {
    return {
      family,
      id: `${uri}#${family}`,
      kind,
      uri,
      nameRange: at(line),
      range: { start: { line, character: 0 }, end: { line: line + 12, character: 1 } },
      params,
      outputs: template ? [{ kind: 'LocalTarget', template, range: at(line + 5) }] : [],
      exported: true,
      abstract: false,
      upstreamCount: 0,
      downstreamCount: 0,
      inCycle: false,
      missingExternal: false,
      ...more,
    };
  }
  function edge(from, to, more = {}) {
    return {
      from: `${uri}#${from}`,
      to: `${uri}#${to}`,
      dynamic: false,
      inCycle: false,
      location: { uri, range: at(1) },
      ...more,
    };
  }
  const date = param('date', 'date', undefined);
  const interval = param('date_interval', 'dateInterval', undefined, {
    configText: '"2026-11-01-2026-11-07"',
  });
  function demoGraph(version) {
    const nodes = [
      node('Streams', 10, 'external', [date], 'data/streams_${date}.tsv', { downstreamCount: 4 }),
      node('RawLogs', 20, 'external', [date], 'logs/raw_${date}.log', {
        missingExternal: true,
        downstreamCount: 1,
      }),
      node(
        'AggregateArtists',
        30,
        'task',
        [interval, param('use_hadoop', 'bool', 'false')],
        'data/artist_streams_${date_interval}.tsv',
        { upstreamCount: 1, downstreamCount: 3 },
      ),
      node(
        'Top10Artists',
        50,
        'task',
        [
          interval,
          param('use_hadoop', 'bool', 'false'),
          param('limit', 'int', '10'),
          param('region', 'enum', '"eu"'),
        ],
        'data/top_artists_${date_interval}.tsv',
        { upstreamCount: 2, downstreamCount: 2 },
      ),
      node(
        'ArtistToplistToDatabase',
        70,
        'task',
        [interval, param('table', 'string', '"artist_toplist"')],
        'db/artist_toplist_${date_interval}.done',
        { upstreamCount: 3, downstreamCount: 1 },
      ),
      node('SessionStats', 90, 'task', [date], 'data/sessions_${date}.json', {
        upstreamCount: 1,
        downstreamCount: 1,
      }),
      node('CleanSessions', 110, 'task', [date], 'data/clean_${date}.json', {
        inCycle: true,
        upstreamCount: 2,
        downstreamCount: 2,
      }),
      node('DedupeSessions', 130, 'task', [date], 'data/dedupe_${date}.json', {
        inCycle: true,
        upstreamCount: 2,
        downstreamCount: 2,
      }),
      node('WeeklyReport', 150, 'wrapper', [interval], undefined, { upstreamCount: 5 }),
    ];
    const edges = [
      edge('AggregateArtists', 'Streams'),
      edge('Top10Artists', 'AggregateArtists'),
      edge('ArtistToplistToDatabase', 'Top10Artists'),
      edge('SessionStats', 'Streams'),
      edge('SessionStats', 'RawLogs', { dynamic: true }),
      edge('CleanSessions', 'SessionStats'),
      edge('CleanSessions', 'DedupeSessions', { inCycle: true }),
      edge('DedupeSessions', 'CleanSessions', { inCycle: true }),
      edge('WeeklyReport', 'ArtistToplistToDatabase'),
      edge('WeeklyReport', 'CleanSessions'),
    ];
    return { version, nodes, edges, cycles: [[`${uri}#CleanSessions`, `${uri}#DedupeSessions`]] };
  }
  function largeGraph(count) {
    const nodes = [];
    const edges = [];
    for (let i = 0; i < count; i++) {
      nodes.push(node(`Step${i}`, i * 10, 'task', [date], `out/step${i}_\${date}.csv`));
      if (i > 0) edges.push(edge(`Step${i}`, `Step${Math.floor((i - 1) / 2)}`));
    }
    return { version: 1, nodes, edges, cycles: [] };
  }

  // ---- a run ----
  // Recent, so a live sample's elapsed time reads like a live run's.
  const T0 = Date.now() - 4000;
  const days = [
    '2026-11-01',
    '2026-11-02',
    '2026-11-03',
    '2026-11-04',
    '2026-11-05',
    '2026-11-06',
    '2026-11-07',
  ];
  const iv = '2026-11-01-2026-11-07';
  const ids = {
    agg: `AggregateArtists(date_interval=${iv})`,
    top: `Top10Artists(date_interval=${iv})`,
    db: `ArtistToplistToDatabase(date_interval=${iv})`,
    weather: `FetchWeather(date_interval=${iv})`,
    report: `WeeklyReport(date_interval=${iv})`,
  };
  function runEvents(runId) {
    const events = [];
    let seq = 0;
    const add = (ms, e) => events.push({ v: 1, runId, seq: seq++, time: T0 + ms, ...e });
    const gnode = (id, family, kind, params, status, outputs) => ({
      id,
      family,
      kind,
      params,
      status,
      outputs,
      source: { file: 'pipeline.ts', line: 10 },
    });
    add(0, {
      type: 'run-started',
      root: ids.report,
      family: 'WeeklyReport',
      params: { date_interval: iv },
      module: 'pipeline.ts',
      cwd: '/work/demo',
      pid: 4242,
      workers: 2,
      unit: false,
      config: {},
      runtimeVersion: '0.1.0',
    });
    add(40, {
      type: 'graph',
      nodes: [
        ...days.map((d) =>
          gnode(`Streams(date=${d})`, 'Streams', 'external', { date: d }, 'complete', [
            `data/streams_${d}.tsv`,
          ]),
        ),
        gnode(ids.agg, 'AggregateArtists', 'task', { date_interval: iv }, 'pending', [
          `data/artist_streams_${iv}.tsv`,
        ]),
        gnode(ids.top, 'Top10Artists', 'task', { date_interval: iv, limit: '10' }, 'pending', [
          `data/top_artists_${iv}.tsv`,
        ]),
        gnode(ids.db, 'ArtistToplistToDatabase', 'task', { date_interval: iv }, 'pending', [
          `db/artist_toplist_${iv}.done`,
        ]),
        gnode(ids.weather, 'FetchWeather', 'task', { date_interval: iv }, 'pending', [
          `data/weather_${iv}.json`,
        ]),
        gnode(ids.report, 'WeeklyReport', 'wrapper', { date_interval: iv }, 'pending', []),
      ],
      edges: [
        ...days.map((d) => ({ from: ids.agg, to: `Streams(date=${d})` })),
        { from: ids.top, to: ids.agg },
        { from: ids.db, to: ids.top },
        { from: ids.report, to: ids.db },
        { from: ids.report, to: ids.weather },
      ],
    });
    for (const d of days)
      add(60, { type: 'task-skipped', taskId: `Streams(date=${d})`, reason: 'already-complete' });
    add(100, { type: 'task-running', taskId: ids.agg, attempt: 1 });
    add(120, { type: 'task-running', taskId: ids.weather, attempt: 1 });
    add(150, {
      type: 'task-log',
      taskId: ids.weather,
      level: 'info',
      line: 'GET https://weather.invalid/api?week=45',
    });
    for (let i = 1; i <= 7; i++) {
      add(100 + i * 500, { type: 'task-progress', taskId: ids.agg, fraction: i / 7 });
      add(110 + i * 500, {
        type: 'task-status',
        taskId: ids.agg,
        message: `Reading streams of ${days[i - 1]}`,
      });
      add(120 + i * 500, {
        type: 'task-log',
        taskId: ids.agg,
        level: 'info',
        line: `read ${12000 + i * 731} rows from data/streams_${days[i - 1]}.tsv`,
      });
    }
    add(1300, {
      type: 'task-log',
      taskId: ids.weather,
      level: 'warn',
      line: 'request timed out after 1000 ms',
    });
    add(1320, {
      type: 'task-failed',
      taskId: ids.weather,
      attempt: 1,
      durationMs: 1200,
      willRetry: true,
      error: { name: 'FetchError', message: 'request to weather API timed out' },
    });
    add(1330, { type: 'task-retrying', taskId: ids.weather, nextAttempt: 2, delayMs: 500 });
    add(1830, { type: 'task-running', taskId: ids.weather, attempt: 2 });
    add(3000, {
      type: 'task-log',
      taskId: ids.weather,
      level: 'error',
      line: 'HTTP 503 Service Unavailable',
    });
    add(3020, {
      type: 'task-failed',
      taskId: ids.weather,
      attempt: 2,
      durationMs: 1190,
      willRetry: false,
      error: {
        name: 'FetchError',
        message: 'weather API answered 503 Service Unavailable',
        stack:
          'FetchError: weather API answered 503 Service Unavailable\n    at FetchWeather.run (pipeline.ts:131:13)\n    at Worker.runTask (runtime/src/worker.ts:88:5)',
        location: { file: 'pipeline.ts', line: 131, column: 13 },
      },
    });
    add(3700, {
      type: 'task-log',
      taskId: ids.agg,
      level: 'info',
      line: 'wrote data/artist_streams_2026-11-01-2026-11-07.tsv',
    });
    add(3720, { type: 'task-done', taskId: ids.agg, attempt: 1, durationMs: 3620 });
    add(3740, { type: 'task-running', taskId: ids.top, attempt: 1 });
    add(3900, { type: 'task-progress', taskId: ids.top, fraction: 0.4 });
    add(4100, { type: 'task-status', taskId: ids.top, message: 'Ranking 1,204 artists' });
    add(4400, { type: 'task-progress', taskId: ids.top, fraction: 0.8 });
    add(4700, { type: 'task-done', taskId: ids.top, attempt: 1, durationMs: 960 });
    add(4720, { type: 'task-running', taskId: ids.db, attempt: 1 });
    add(4800, {
      type: 'task-log',
      taskId: ids.db,
      level: 'debug',
      line: 'INSERT 10 rows INTO artist_toplist',
    });
    add(5600, { type: 'task-done', taskId: ids.db, attempt: 1, durationMs: 880 });
    add(5620, { type: 'task-skipped', taskId: ids.report, reason: 'blocked', blockedBy: [ids.weather] });
    add(5650, {
      type: 'run-finished',
      outcome: 'failed',
      exitCode: 1,
      durationMs: 5650,
      summary: {
        ran: [ids.agg, ids.top, ids.db],
        alreadyComplete: days.map((d) => `Streams(date=${d})`),
        failed: [ids.weather],
        blocked: [ids.report],
        missingExternal: [],
        cancelled: [],
        succeededAfterRetry: [],
      },
    });
    return events;
  }
  const runs = [0, 1, 2, 3, 4, 5].map((i) => ({
    runId: `run-${6 - i}`,
    root: ids.report,
    startedAt: T0 - i * 86_400_000,
    durationMs: 5650 + i * 300 - (i % 2) * 900,
    outcome: i === 0 ? 'failed' : i === 3 ? 'cancelled' : 'success',
  }));
  // Per task id, oldest first, as the host sends them (client/src/runHistory.ts).
  const durations = {
    [ids.agg]: [2950, 3100, 2850, 3000, 2900, 3620],
    [ids.top]: [970, 990, 1010, 940, 980, 960],
    [ids.db]: [1620, 1550, 1450, 1600, 1500, 880],
    [ids.weather]: [1180, 1150, 1250, 1100, 1200, 2390],
  };
  window.plumbSamples = { demoGraph, largeGraph, runEvents, runs, durations, demoUri: uri };
})();
