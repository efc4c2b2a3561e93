// Writes a week (or more) of fake daily listening logs: streams/streams_YYYY-MM-DD.tsv, one
// "timestamp<TAB>artist<TAB>track" line per play. Deterministic: the same seed gives the same data.
// Usage: node --import tsx examples/top-artists/generate-data.ts [first-day] [days] [plays-per-day]
// The first week is committed in streams/ so the example runs on a fresh clone.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const ARTISTS = [
  'The Lumineers',
  'Björk',
  'Fela Kuti',
  'Nina Simone',
  'Radiohead',
  'Rosalía',
  'Sigur Rós',
  'Kraftwerk',
  'Aretha Franklin',
  'Daft Punk',
  'Mulatu Astatke',
  'Portishead',
  'Caetano Veloso',
  'Massive Attack',
  'Miles Davis',
  'Stromae',
  'Khruangbin',
  'Bonobo',
  'Amadou & Mariam',
  'Tinariwen',
];

function* random(seed: number): Generator<number> {
  let s = seed >>> 0;
  for (;;) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    yield s / 2 ** 32;
  }
}

const [first = '2026-11-01', days = '7', plays = '300'] = process.argv.slice(2);
const dataDir = path.join(path.dirname(new URL(import.meta.url).pathname), 'streams');
mkdirSync(dataDir, { recursive: true });
const rnd = random(42);
const start = Date.parse(`${first}T00:00:00Z`);
for (let d = 0; d < Number(days); d++) {
  const day = new Date(start + d * 86_400_000).toISOString().slice(0, 10);
  const lines: string[] = [];
  for (let i = 0; i < Number(plays); i++) {
    // Skewed popularity: low indexes are played far more often.
    const artist = ARTISTS[Math.floor(rnd.next().value ** 2 * ARTISTS.length)]!;
    const time = new Date(start + d * 86_400_000 + Math.floor(rnd.next().value * 86_400_000)).toISOString();
    lines.push(`${time}\t${artist}\ttrack-${Math.floor(rnd.next().value * 50)}`);
  }
  writeFileSync(path.join(dataDir, `streams_${day}.tsv`), `${lines.join('\n')}\n`);
}
console.log(`generated ${days} days of streams from ${first} in ${path.relative(process.cwd(), dataDir)}/`);
