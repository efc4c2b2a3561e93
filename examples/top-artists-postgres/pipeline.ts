// Luigi's top-artists example in PostgreSQL: each day's listening log is COPY-loaded into `streams`
// (incremental: only that day's new rows; a rebuild, when the schema changes, reloads every day so
// far), then a query task builds the interval's top ten as a table. Uses the committed logs of
// ../top-artists/streams. Connection: the PG* variables (see README.md).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { ExternalTask, LocalTarget, getProjectRoot, param } from 'plumb-pipelines';
import { PostgresQuery, PostgresTableLoad, type LoadContext } from 'plumb-postgres';

const STREAMS_DIR = '../top-artists/streams';

/** One day of listening logs, produced outside the pipeline. */
export class Streams extends ExternalTask.with({ date: param.date() }) {
  output() {
    return new LocalTarget(`../top-artists/streams/streams_${this.date}.tsv`);
  }
}

/** The day's plays into `streams`: "timestamp<TAB>artist<TAB>track" lines. */
export class LoadStreams extends PostgresTableLoad.with({ date: param.date() }) {
  table = 'streams';
  columns = { played_at: 'timestamptz', artist: 'text', track: 'text' };
  // A day's rows are new when no identical play is there yet (days may load in any order).
  incremental = { key: ['played_at', 'artist', 'track'] };
  indexes = ['played_at'];

  requires() {
    return new Streams({ date: this.date });
  }

  /** The log's layout: a change here (a new field) rebuilds the table from every day's log. */
  sourceSchema() {
    return ['timestamp', 'artist', 'track'];
  }

  *rows(load: LoadContext) {
    const files =
      load.mode === 'incremental'
        ? [this.input().path]
        : readdirSync(path.resolve(getProjectRoot(), STREAMS_DIR))
            .filter((f) => /^streams_\d{4}-\d\d-\d\d\.tsv$/.test(f) && f <= `streams_${this.date}.tsv`)
            .map((f) => path.resolve(getProjectRoot(), STREAMS_DIR, f));
    for (const file of files) {
      for (const line of new LocalTarget(file).readLines()) yield line.split('\t');
    }
  }
}

/** The ten most played artists of the interval, as a table named after it. */
export class Top10Artists extends PostgresQuery.with({ dateInterval: param.dateInterval() }) {
  get table() {
    return `top_artists_${this.dateInterval.start}_${this.dateInterval.end}`.replace(/-/g, '');
  }

  requires() {
    return this.dateInterval.dates().map((date) => new LoadStreams({ date }));
  }

  sql() {
    const { start, end } = this.dateInterval;
    // The dates are typed parameters (YYYY-MM-DD), safe to write into the SQL.
    return `
      SELECT row_number() OVER (ORDER BY count(*) DESC, artist) AS rank, artist, count(*) AS plays
        FROM ${this.input()[0]!.sqlName}
       WHERE played_at >= DATE '${start}' AND played_at < DATE '${end}' + 1
       GROUP BY artist
       ORDER BY rank
       LIMIT 10`;
  }
}
