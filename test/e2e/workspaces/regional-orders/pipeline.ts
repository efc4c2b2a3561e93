// The day's report over both regions' orders, and a weekly summary over it.
import { LocalTarget, Task, param } from 'plumb-pipelines';
import { Daily_Orders } from './orders';

export class Orders_Report extends Task.with({ date: param.date() }) {
  requires() {
    return [new Daily_Orders({ date: this.date, region: 'eu' }), new Daily_Orders({ date: this.date, region: 'us' })];
  }

  output() {
    return new LocalTarget(`data/report_${this.date}.tsv`);
  }

  async run() {
    const lines = this.input().flatMap((orders) => orders.readLines());
    await this.output().writeLines(lines);
  }
}

export class Weekly_Summary extends Task.with({ date: param.date() }) {
  requires() {
    return new Orders_Report({ date: this.date });
  }

  output() {
    return new LocalTarget(`data/summary_${this.date}.tsv`);
  }

  async run() {
    await this.output().writeLines([`${this.date}\t${this.input().readLines().length}`]);
  }
}
