// A day's events (data from outside) counted per day, with that day's weather as an optional
// input: what Backfill… fills over a window of days, and an optional edge the graph draws dotted.
import { ExternalTask, LocalTarget, Task, optional, param } from 'plumb-pipelines';

/** One day of events, produced outside the pipeline. */
export class DailyEvents extends ExternalTask.with({ date: param.date() }) {
  output() {
    return new LocalTarget(`events/events_${this.date}.tsv`);
  }
}

/** One day's weather: nice to have, the counts are made without it. */
export class DailyWeather extends ExternalTask.with({ date: param.date() }) {
  output() {
    return new LocalTarget(`weather/weather_${this.date}.txt`);
  }
}

/** How many events the day had, and what the sky was like. */
export class DailyCounts extends Task.with({ date: param.date() }) {
  requires() {
    return {
      events: new DailyEvents({ date: this.date }),
      weather: optional(new DailyWeather({ date: this.date })),
    };
  }

  output() {
    return new LocalTarget(`data/counts_${this.date}.tsv`);
  }

  async run() {
    const { events, weather } = this.input();
    const sky = weather.exists() ? weather.readText().trim() : 'unknown';
    await this.output().writeLines([`${this.date}\t${events.readLines().length}\t${sky}`]);
  }
}
