// Luigi's classic example: daily stream logs → artist counts over a date interval → the top 10.
import { ExternalTask, LocalTarget, Task, WrapperTask, param, rowCount } from 'plumb-pipelines';

/** One day of listening logs, produced outside the pipeline (see generate-data.ts). */
export class Streams extends ExternalTask.with({ date: param.date() }) {
  output() {
    return new LocalTarget(`streams/streams_${this.date}.tsv`);
  }
}

/** How often each artist was played over the interval. */
export class AggregateArtists extends Task.with({
  dateInterval: param.dateInterval(),
  useHadoop: param.bool({ default: false, significant: false }),
}) {
  static retries = 2;

  requires() {
    return this.dateInterval.dates().map((date) => new Streams({ date }));
  }

  output() {
    return new LocalTarget(`data/artist_streams_${this.dateInterval}.tsv`);
  }

  async run() {
    const counts = new Map<string, number>();
    const inputs = this.input();
    for (const [i, input] of inputs.entries()) {
      for (const line of input.readLines()) {
        const [, artist] = line.split('\t');
        if (artist) counts.set(artist, (counts.get(artist) ?? 0) + 1);
      }
      this.setProgress((i + 1) / inputs.length);
    }
    this.setStatus(`${counts.size} artists`);
    this.log.info(`counted ${counts.size} artists over ${inputs.length} days`);
    await this.output().writeLines([...counts].map(([artist, n]) => `${artist}\t${n}`));
  }
}

/** The ten most played artists of the interval. */
export class Top10Artists extends Task.with({ dateInterval: param.dateInterval() }) {
  requires() {
    return new AggregateArtists({ dateInterval: this.dateInterval });
  }

  output() {
    return new LocalTarget(`data/top_artists_${this.dateInterval}.tsv`);
  }

  async run() {
    const rows = this.input()
      .readLines()
      .map((line) => line.split('\t'))
      .map(([artist, n]) => ({ artist: artist!, plays: Number(n) }))
      .sort((a, b) => b.plays - a.plays || a.artist.localeCompare(b.artist))
      .slice(0, 10);
    console.log(`top artist: ${rows[0]?.artist ?? 'none'}`);
    await this.output().writeLines(rows.map((r, i) => `${i + 1}\t${r.artist}\t${r.plays}`));
  }

  /** A data check: an empty top list means the logs were empty, not that nobody listened. */
  checks() {
    return [rowCount(this.output(), { min: 1, max: 10 })];
  }
}

/** Everything for the interval, by name. */
export class All extends WrapperTask.with({ dateInterval: param.dateInterval() }) {
  requires() {
    return { top: new Top10Artists({ dateInterval: this.dateInterval }) };
  }
}
