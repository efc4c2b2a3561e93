// The byte encoder (postgres/src/copy-encoder.ts) writes exactly what copyLine writes, row for row,
// for every kind of value and every path through it (ASCII, escapes, UTF-8, long strings, integer
// edges, floats, timestamps across days and before 1970), in whole-row chunks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHUNK_BYTES, CopyEncoder } from '../../postgres/src/copy-encoder';
import { copyChunks, copyLine, type Row } from '../../postgres/src/copy-text';

/** The bytes of the whole encoding (a lone surrogate is U+FFFD in UTF-8 either way). */
function encodeAll(rows: Row[], columns: string[]): { bytes: Buffer; chunks: Buffer[] } {
  const encoder = new CopyEncoder(columns);
  const chunks: Buffer[] = [];
  for (const row of rows) {
    const chunk = encoder.row(row);
    if (chunk) chunks.push(chunk);
  }
  const last = encoder.take();
  if (last) chunks.push(last);
  return { bytes: Buffer.concat(chunks), chunks };
}

function linesOf(rows: Row[], columns: string[]): Buffer {
  return Buffer.from(rows.map((r) => copyLine(r, columns)).join(''), 'utf8');
}

const EDGE_VALUES: unknown[] = [
  null,
  undefined,
  0,
  -0,
  7,
  -7,
  2147483647,
  -2147483648,
  2147483648,
  -2147483649,
  2 ** 53,
  12.5,
  -0.000001,
  1e21,
  NaN,
  Infinity,
  -Infinity,
  12n,
  -(2n ** 70n),
  true,
  false,
  '',
  'plain',
  'a\tb\nc\rd\\e',
  '\\N',
  'Björk',
  '東京 🎵',
  '\ud800 lone surrogate',
  'x'.repeat(47) + '\t',
  'y'.repeat(49),
  'long with tab\t' + 'z'.repeat(100),
  'long unicode ' + 'é'.repeat(100),
  new Date('1970-01-01T00:00:00.000Z'),
  new Date('2000-02-29T23:59:59.999Z'),
  new Date('2026-11-27T10:00:00.005Z'),
  new Date('9999-12-31T23:59:59.999Z'),
  new Date('1969-12-31T23:59:59.999Z'),
  new Date('0044-03-15T12:00:00.000Z'),
  new Uint8Array([0, 1, 255]),
  { a: 'x\ty', b: [1, 'ü'] },
];

test('every edge value is written as copyLine writes it, in arrays and in objects', () => {
  const columns = ['a', 'b', 'c'];
  const rows: Row[] = [];
  for (const a of EDGE_VALUES) for (const b of [null, 'b', 1]) rows.push([a, b, a], { c: a, a: b, b: a });
  assert.deepEqual(encodeAll(rows, columns).bytes, linesOf(rows, columns));
});

test('random rows: the same text as copyLine, chunks of whole rows near 256 kB', () => {
  let seed = 11;
  const next = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const alphabet = 'abcXYZ019 \t\n\r\\éü東🎵';
  const pick = (): unknown => {
    const r = next();
    if (r < 0.1) return null;
    if (r < 0.3) return Math.floor((next() - 0.5) * 2 ** (next() * 60));
    if (r < 0.4) return (next() - 0.5) * 1e6;
    if (r < 0.6) return new Date(Math.floor((next() - 0.1) * 253402300800000));
    const length = Math.floor(next() * (next() < 0.9 ? 20 : 200));
    return Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
  };
  const rows = Array.from({ length: 40_000 }, () => [pick(), pick(), pick(), pick()]);
  const columns = ['a', 'b', 'c', 'd'];
  const { bytes, chunks } = encodeAll(rows, columns);
  assert.deepEqual(bytes, linesOf(rows, columns));
  assert.ok(chunks.length > 2, `${chunks.length} chunks`);
  for (const chunk of chunks.slice(0, -1)) {
    assert.equal(chunk.at(-1), 10, 'a chunk ends with a whole row');
    assert.ok(chunk.length >= CHUNK_BYTES && chunk.length < CHUNK_BYTES + 16 * 1024, `${chunk.length}`);
  }
});

test('a field larger than a chunk grows the buffer and keeps the row whole', () => {
  const big = 'q'.repeat(CHUNK_BYTES * 2);
  const rows = [
    [1, 'a'],
    [2, big],
    [3, 'c'],
  ];
  const { bytes, chunks } = encodeAll(rows, ['id', 'v']);
  assert.deepEqual(bytes, linesOf(rows, ['id', 'v']));
  assert.equal(chunks.length, 2);
});

test('a row of the wrong width and an invalid date fail as copyLine does', async () => {
  assert.throws(
    () => new CopyEncoder(['id', 'name']).row([1]),
    /a row has 1 values for 2 columns \(id, name\)/,
  );
  assert.throws(() => new CopyEncoder(['d']).row([new Date(NaN)]), RangeError);
  // Through copyChunks, a sync source and an async one.
  const counter = { rows: 0 };
  await assert.rejects(async () => {
    for await (const chunk of copyChunks([[1, 'a'], [2]], ['id', 'name'], counter)) void chunk;
  }, /a row has 1 values/);
});
