// One region's orders of a day, made here: what the report requires twice, once a region.
import { LocalTarget, Task, param } from 'plumb-pipelines';

export class Daily_Orders extends Task.with({ date: param.date(), region: param.enum(['eu', 'us']) }) {
  output() {
    return new LocalTarget(`data/orders_${this.region}_${this.date}.tsv`);
  }

  async run() {
    await this.output().writeLines([`${this.date}\t${this.region}\t3`]);
  }
}
