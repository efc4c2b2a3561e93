// The plumb-postgres benchmark: load N rows (default 1,000,000) into PostgreSQL with Plumb's table
// load (rows parsed from a TSV file, COPY into a staging table, swap, marker, commit) beside psql's
// \copy of the same file into an empty table, in interleaved rounds on a throwaway local cluster;
// and the cost of the swap itself on a table of N rows (rename, rename, drop, marker, commit: the
// window in which readers of the table wait). Prints a Markdown table.
// Usage: node --import tsx bench/postgres.ts [--rows 1000000] [--repeat 3]
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  createReadStream,
  mkdirSync,
  openSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { copyText } from '../postgres/src/copy-text';
import os from 'node:os';
import path from 'node:path';
import { closePools, withClient } from '../postgres/src/connection';
import { settingsFrom } from '../postgres/src/settings';
import { loadTable } from '../postgres/src/table-swap';
import { startCluster } from '../scripts/postgres/cluster.mjs';
import { arg } from './support/arg';

const ROWS = Number(arg('rows', '1000000'));
const REPEAT = Number(arg('repeat', '3'));
const repo = path.resolve(__dirname, '..');
const out = path.join(repo, 'bench/out', `postgres-${process.pid}`);
const columns = { id: 'integer', artist: 'text', plays: 'integer', played_at: 'timestamptz' };
const VARIANTS = ['copyText', 'generated', 'parsed'] as const;
type Variant = (typeof VARIANTS)[number];
const LABELS: Record<Variant, string> = {
  copyText: 'Plumb: copyText(file stream), the same file as it is',
  generated: 'Plumb: rows() made in JS (sync generator), encoded by Plumb',
  parsed: 'Plumb: rows() parsed from the file in JS (split lines and tabs)',
};

function writeData(file: string): void {
  const start = Date.parse('2026-11-01T00:00:00Z');
  const parts: string[] = [];
  let chunk = '';
  for (let i = 0; i < ROWS; i++) {
    chunk += `${i}\tartist ${i % 5000}\t${(i * 7919) % 1000}\t${new Date(start + i * 1000).toISOString()}\n`;
    if (chunk.length > 1 << 20) {
      parts.push(chunk);
      chunk = '';
    }
  }
  parts.push(chunk);
  writeFileSync(file, parts.join(''));
}

/** The same rows made in JS (as from an API or a computation): Plumb's encoding + COPY alone. */
function* generatedRows(): Generator<unknown[]> {
  const start = Date.parse('2026-11-01T00:00:00Z');
  for (let i = 0; i < ROWS; i++)
    yield [i, `artist ${i % 5000}`, (i * 7919) % 1000, new Date(start + i * 1000)];
}

/** The file's rows, as a pipeline would read them: lines split into fields (a sync generator). */
function* fileRows(file: string): Generator<string[]> {
  const fd = openSync(file, 'r');
  const buffer = Buffer.alloc(1 << 20);
  const decoder = new StringDecoder('utf8');
  let rest = '';
  try {
    for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) {
      const lines = (rest + decoder.write(buffer.subarray(0, n))).split('\n');
      rest = lines.pop()!;
      for (const line of lines) yield line.split('\t');
    }
  } finally {
    closeSync(fd);
  }
  if (rest) yield rest.split('\t');
}

const seconds = (ms: number) => (ms / 1000).toFixed(2);
const min = (xs: number[]) => Math.min(...xs);

async function main() {
  const startLoad = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
  mkdirSync(out, { recursive: true });
  const cluster = await startCluster();
  process.on('exit', () => {
    cluster.stop();
    rmSync(out, { recursive: true, force: true });
  });
  const file = path.join(out, 'rows.tsv');
  writeData(file);
  const settings = settingsFrom({}, cluster.env);
  const psqlEnv = { ...process.env, ...cluster.env };
  const definition = Object.entries(columns)
    .map(([n, t]) => `${n} ${t}`)
    .join(', ');
  const psql = (command: string) => {
    const r = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', command], {
      env: psqlEnv,
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`psql: ${r.stderr}`);
  };
  const spec = (variant: Variant, onStatus: (m: string) => void) => ({
    table: { schema: 'public', name: 'via_plumb' },
    target: 'public.via_plumb',
    markerTable: { schema: 'public', name: 'plumb_markers' },
    columns,
    rows: () =>
      variant === 'parsed'
        ? fileRows(file)
        : variant === 'generated'
          ? generatedRows()
          : copyText(createReadStream(file)),
    task: { taskId: 'Bench()', taskFamily: 'Bench', params: {} },
    onStatus,
  });
  const psqlMs: number[] = [];
  const plumbMs: Record<Variant, number[]> = { copyText: [], generated: [], parsed: [] };
  const swapMs: number[] = [];
  for (let round = 0; round < REPEAT; round++) {
    const runPsql = () => {
      psql(`DROP TABLE IF EXISTS via_psql; CREATE TABLE via_psql (${definition})`);
      const t0 = performance.now();
      psql(`\\copy via_psql FROM '${file}'`);
      psqlMs.push(performance.now() - t0);
    };
    const runPlumb = async (variant: Variant) => {
      let swapAt = 0;
      const t0 = performance.now();
      const result = await withClient(settings, (client) =>
        loadTable(
          client,
          spec(variant, (m) => (m === 'swapping' ? (swapAt = performance.now()) : undefined)),
        ),
      );
      const t1 = performance.now();
      if (result.rows !== ROWS) throw new Error(`loaded ${result.rows} rows, not ${ROWS}`);
      plumbMs[variant].push(t1 - t0);
      // Every load but the very first replaces a live table of ROWS rows.
      if (swapAt > 0 && (round > 0 || variant !== VARIANTS[0])) swapMs.push(t1 - swapAt);
    };
    // Rotate the order: the later runs of a round may find a warmer cache.
    const steps = [runPsql, ...VARIANTS.map((v) => () => runPlumb(v))];
    for (let i = 0; i < steps.length; i++) await steps[(i + round) % steps.length]!();
    console.error(
      `round ${round + 1}: psql ${seconds(psqlMs.at(-1)!)} s, ${VARIANTS.map((v) => `${v} ${seconds(plumbMs[v].at(-1)!)} s`).join(', ')}`,
    );
  }
  await closePools();
  const mb = statSync(file).size / 1e6;
  const load = os.loadavg().map((l) => l.toFixed(1));
  console.log(
    `load average at the end (1/5/15 min): ${load.join(' / ')} on ${os.cpus().length} cores; at the start: ${startLoad}\n`,
  );
  const rate = (ms: number) => `${Math.round(ROWS / (ms / 1000)).toLocaleString('en')} rows/s`;
  console.log(
    `| ${ROWS.toLocaleString('en')} rows (${mb.toFixed(0)} MB TSV), best of ${REPEAT} | time | throughput | vs psql |`,
  );
  console.log('|---|---|---|---|');
  console.log(
    `| psql \\copy of the file (into an empty table) | ${seconds(min(psqlMs))} s | ${rate(min(psqlMs))} | 1.00× |`,
  );
  for (const variant of VARIANTS) {
    const best = min(plumbMs[variant]);
    console.log(
      `| ${LABELS[variant]} | ${seconds(best)} s | ${rate(best)} | ${(min(psqlMs) / best).toFixed(2)}× |`,
    );
  }
  if (swapMs.length > 0)
    console.log(
      `| swap on a ${ROWS.toLocaleString('en')}-row table (rename ×2, drop, marker, commit) | ${min(swapMs).toFixed(0)} ms (max ${Math.max(...swapMs).toFixed(0)}) | | |`,
    );
  console.log(
    `\nall rounds: psql ${psqlMs.map(seconds).join(', ')} s; ${VARIANTS.map((v) => `${v} ${plumbMs[v].map(seconds).join(', ')} s`).join('; ')}; swap ${swapMs.map((m) => m.toFixed(0)).join(', ')} ms`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
