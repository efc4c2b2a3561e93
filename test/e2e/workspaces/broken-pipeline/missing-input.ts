// RawClicks is external data nobody produces and no file in the workspace matches: the missing
// target the Problems panel must report.
import { ExternalTask, LocalTarget, Task } from 'plumb-pipelines';

export class RawClicks extends ExternalTask.with({}) {
  output() {
    return new LocalTarget('data/raw_clicks.tsv');
  }
}

export class CleanClicks extends Task.with({}) {
  requires() {
    return new RawClicks();
  }
  output() {
    return new LocalTarget('data/clean_clicks.tsv');
  }
  async run() {
    const clicks = this.input().readText();
    await this.output().writeText(clicks.trim());
  }
}
