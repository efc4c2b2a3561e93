// The language server at the size of real repositories: a generated 3,500-file TypeScript
// repository where 20 files are pipelines. The Plumb server and tsserver (the editor's own service)
// each get the same one-line edits; after each, the time to the code lenses of the edited file, and
// each server's peak memory. Goal (issue 15): Plumb's lens p95 ≤ 2× tsserver's, memory ≤ 0.5×.
// Usage: npm run build && node --import tsx bench/server-workspace.ts [--files 3500] [--tasks 20]
//   [--edits 80] [--bundle dist/server/server.js] (another bundle, e.g. an older build, to compare)
//   [--no-tsserver] (the Plumb server alone)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateRepository, repositoryEdits } from './server/generateRepository';
import { lensPhase } from './server/lensPhase';
import { tsserverPhase } from './server/tsserverPhase';
import type { Percentiles } from './server/processStats';

const here = path.dirname(fileURLToPath(import.meta.url));
const option = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const ms = (x: number) => (Number.isNaN(x) ? '–' : x.toFixed(x < 10 ? 1 : 0));
const row = (p: Percentiles) => `${ms(p.p50)} / ${ms(p.p95)} / ${ms(p.max)}`;
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

async function main(): Promise<void> {
  const bundle = path.resolve(option('bundle') ?? path.join(here, '../dist/server/server.js'));
  if (!fs.existsSync(bundle)) throw new Error(`${bundle} is missing: run npm run build first`);
  const files = Number(option('files') ?? 3500);
  const tasks = Number(option('tasks') ?? 20);
  const repo = generateRepository(path.join(here, 'out', 'server-repository'), files, tasks);
  const edits = repositoryEdits(repo, Number(option('edits') ?? 80));
  const loadBefore = load();
  const plumb = await lensPhase(bundle, repo, edits);
  process.stderr.write(`plumb: cold ${ms(plumb.coldMs)} ms, lens p95 ${ms(plumb.lens.p95)} ms\n`);
  if (process.argv.includes('--no-tsserver')) {
    console.log(
      `Plumb: cold ${ms(plumb.coldMs)} ms, lens ${row(plumb.lens)} ms, CPU ${row(plumb.cpu)} ms, peak RSS ${ms(plumb.peakRssMb)} MB; load ${load()}`,
    );
    return;
  }
  const ts = await tsserverPhase(repo, edits);
  process.stderr.write(`tsserver: cold ${ms(ts.coldMs)} ms, lens p95 ${ms(ts.lens.p95)} ms\n`);
  console.log(
    `\n${files} files (${tasks} pipelines of 5 task classes, ${files - tasks} library modules), ` +
      `${edits.length} one-line edits (${edits.filter((e) => e.pipeline).length} in pipelines), ` +
      `bundle ${path.relative(process.cwd(), bundle)}; load average before ${loadBefore}, after ${load()}\n`,
  );
  console.log(
    '| server | cold ms | lens after edit p50 / p95 / max ms | CPU per edit p50 / p95 ms | peak RSS MB |',
  );
  console.log('|---|---|---|---|---|');
  console.log(
    `| Plumb (edit → codeLens of the edited file) | ${ms(plumb.coldMs)} | ${row(plumb.lens)} | ${row(plumb.cpu)} | ${ms(plumb.peakRssMb)} |`,
  );
  console.log(
    `| tsserver (edit → navtree + references of the first class) | ${ms(ts.coldMs)} | ${row(ts.lens)} | ${row(ts.cpu)} | ${ms(ts.peakRssMb)} |`,
  );
  console.log(
    `\nPlumb lens, pipeline edits only: ${row(plumb.extra.pipelineLens!)} ms (${plumb.lenses} lenses in all); ` +
      `tsserver navtree alone ${row(ts.extra.navtree!)} ms, with semantic diagnostics of the file ${row(ts.extra.semanticDiagnostics!)} ms`,
  );
  console.log(
    `ratios: lens p95 ${(plumb.lens.p95 / ts.lens.p95).toFixed(2)}× tsserver's (goal ≤ 2×); ` +
      `peak memory ${(plumb.peakRssMb / ts.peakRssMb).toFixed(2)}× (goal ≤ 0.5×)`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
