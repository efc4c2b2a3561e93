// Bulk completeness (issue 12): a range of 10,000 days over a family whose output follows one
// path template, decided by one directory listing (operations/bulk-completeness.ts) against one
// complete() per instance, side by side in one run, for a folder with every day, half and none.
// Usage: node --import tsx bench/range-bulk.ts [--days 10000] [--rounds 15]
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalTarget, PlainDate, Task, param, setProjectRoot } from '../runtime/src/index';
import { CompletenessPlan, completeness } from '../runtime/src/operations/bulk-completeness';
import { rangeDaily } from '../runtime/src/operations/range';
import { moveToTrash } from './support/trash';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return Number(i >= 0 ? process.argv[i + 1]! : fallback);
};
const days = arg('days', '10000');
const rounds = arg('rounds', '15');

class Streams extends Task.with({ date: param.date(), country: param.string({ default: 'NZ' }) }) {
  output() {
    return new LocalTarget(`streams/${this.country}/streams_${this.date}.csv`);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const scratch = mkdtempSync(path.join(os.tmpdir(), 'plumb-range-bench-'));
const start = PlainDate.parse('2000-01-01');
const stop = start.addDays(days - 1);
const rows: string[] = [];
for (const [label, every] of [
  ['every day present', 1],
  ['half present', 2],
  ['none present', 0],
] as const) {
  const root = path.join(scratch, label.replace(/ /g, '-'));
  const dir = path.join(root, 'streams', 'NZ');
  mkdirSync(dir, { recursive: true });
  if (every > 0)
    for (let d = 0; d < days; d += every)
      writeFileSync(path.join(dir, `streams_${start.addDays(d)}.csv`), '');
  setProjectRoot(root);
  const range = new (rangeDaily(Streams))({ start, stop });
  const tasks = range.instances();
  const perInstance = tasks.map((t) => t.complete());
  assert(JSON.stringify(completeness(tasks)) === JSON.stringify(perInstance), 'bulk and per-instance agree');
  const paths = tasks.map((t) => (t as Streams).output().path);
  // Rounds alternate between the sides, so a noisy neighbour slows both alike.
  const plan = new CompletenessPlan(tasks);
  const sides = {
    bulk: () => completeness(tasks),
    again: () => plan.check(),
    each: () => tasks.map((t) => t.complete()),
    listing: () => readdirSync(dir, { withFileTypes: true }),
    exists: () => paths.map((p) => existsSync(p)),
  };
  const times: Record<keyof typeof sides, number[]> = {
    bulk: [],
    again: [],
    each: [],
    listing: [],
    exists: [],
  };
  for (let i = 0; i <= rounds; i++) {
    for (const k of Object.keys(sides) as (keyof typeof sides)[]) {
      const t0 = performance.now();
      sides[k]();
      if (i > 0) times[k].push(performance.now() - t0); // round 0 warms up
    }
  }
  const [bulk, again, each, listing, exists] = [
    times.bulk,
    times.again,
    times.each,
    times.listing,
    times.exists,
  ].map(median);
  rows.push(
    `| ${label} | ${days.toLocaleString('en')} | ${each!.toFixed(1)} ms | ${bulk!.toFixed(1)} ms | **${(each! / bulk!).toFixed(1)}×** | ${again!.toFixed(1)} ms (${(each! / again!).toFixed(0)}×) | ${exists!.toFixed(1)} ms vs ${listing!.toFixed(1)} ms (${(exists! / listing!).toFixed(1)}×) |`,
  );
}
moveToTrash(scratch);

console.log(`node ${process.version}, ${os.cpus().length} cores, median of ${rounds} rounds\n`);
console.log(
  '| outputs on disk | days | per instance (complete() each) | bulk (one listing) | ratio | bulk again (range re-check) | the floor: existsSync of every path vs one readdir |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) console.log(r);

function assert(ok: boolean, what: string): void {
  if (!ok) throw new Error(`bench/range-bulk: ${what} failed`);
}
