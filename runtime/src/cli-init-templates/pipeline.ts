// The first pipeline `plumb init` writes: an external input, a task with a date parameter, a fan-in
// and a wrapper. Kept as text (the CLI bundle carries it); the package test type-checks and runs it.
export const pipelineTs = `// Daily orders → revenue per product per day → a report over a date interval.
// Run it:  npx plumb run pipeline.ts All
import { ExternalTask, LocalTarget, Task, WrapperTask, param } from 'plumb-pipelines';

/** One day of orders, written by something outside the pipeline (here: generate-data.mjs). */
export class DailyOrders extends ExternalTask.with({ date: param.date() }) {
  output() {
    return new LocalTarget(\`input/orders_\${this.date}.csv\`);
  }
}

/** Revenue per product for one day. */
export class DailyRevenue extends Task.with({ date: param.date() }) {
  requires() {
    return new DailyOrders({ date: this.date });
  }

  output() {
    return new LocalTarget(\`output/revenue_\${this.date}.json\`);
  }

  async run() {
    const revenue: Record<string, number> = {};
    // Skip the CSV header: order,product,quantity,price
    for (const line of this.input().readLines().slice(1)) {
      const [, product = '?', quantity, price] = line.split(',');
      revenue[product] = (revenue[product] ?? 0) + Number(quantity) * Number(price);
    }
    await this.output().writeJson(revenue);
  }
}

/** Fan-in: every day of the interval, summed into one report of the best-selling products. */
export class RevenueReport extends Task.with({
  dateInterval: param.dateInterval(),
  top: param.int({ default: 3, description: 'how many products the report lists' }),
}) {
  requires() {
    return this.dateInterval.dates().map((date) => new DailyRevenue({ date }));
  }

  output() {
    return new LocalTarget(\`output/report_\${this.dateInterval}_top\${this.top}.txt\`);
  }

  async run() {
    const totals = new Map<string, number>();
    for (const day of this.input()) {
      for (const [product, revenue] of Object.entries(day.readJson<Record<string, number>>())) {
        totals.set(product, (totals.get(product) ?? 0) + revenue);
      }
    }
    const best = [...totals].sort((a, b) => b[1] - a[1]).slice(0, this.top);
    this.log.info(\`\${totals.size} products over \${this.dateInterval.length} days\`);
    await this.output().writeLines(best.map(([product, revenue]) => \`\${product}\\t\${revenue.toFixed(2)}\`));
  }
}

/** Everything for the interval, by one name. Its interval comes from plumb.toml or --date-interval. */
export class All extends WrapperTask.with({ dateInterval: param.dateInterval() }) {
  requires() {
    // \`as const\` returns the tasks as a tuple: a plain array of different task classes can overflow
    // tsc in a pipeline some 40 layers deep ("Excessive stack depth", TS2321). input() reads it alike.
    return [new RevenueReport({ dateInterval: this.dateInterval })] as const;
  }
}
`;
