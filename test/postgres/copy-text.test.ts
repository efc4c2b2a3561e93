// COPY's text format: what each kind of value becomes, and rows as arrays or objects.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { copyChunks, copyField, copyLine, isoTimestamp } from '../../postgres/src/copy-text';

test('fields: NULL, escapes, booleans, dates, bytes and JSON', () => {
  assert.equal(copyField(null), '\\N');
  assert.equal(copyField(undefined), '\\N');
  assert.equal(copyField('a\tb\nc\rd\\e'), 'a\\tb\\nc\\rd\\\\e');
  assert.equal(copyField('\\N'), '\\\\N');
  assert.equal(copyField(12.5), '12.5');
  assert.equal(copyField(12n), '12');
  assert.equal(copyField(true), 't');
  assert.equal(copyField(new Date('2026-11-27T10:00:00Z')), '2026-11-27T10:00:00.000Z');
  assert.equal(copyField(new Uint8Array([1, 255])), '\\\\x01ff');
  assert.equal(copyField({ a: 'x\ty' }), '{"a":"x\\\\ty"}');
});

test('rows as arrays or objects; a row of the wrong width is an error naming the columns', async () => {
  assert.equal(copyLine([1, 'a'], ['id', 'name']), '1\ta\n');
  assert.equal(copyLine({ name: 'a', id: 1 }, ['id', 'name']), '1\ta\n');
  assert.equal(copyLine({ id: 1 }, ['id', 'name']), '1\t\\N\n');
  assert.throws(() => copyLine([1], ['id', 'name']), /a row has 1 values for 2 columns \(id, name\)/);
  const counter = { rows: 0 };
  const rows = Array.from({ length: 50_000 }, (_, i) => [i, 'x'.repeat(10)]);
  let text = '';
  let chunks = 0;
  for await (const chunk of copyChunks(rows, ['id', 'name'], counter)) {
    text += chunk;
    chunks++;
  }
  assert.equal(counter.rows, 50_000);
  assert.equal(text.split('\n').length - 1, 50_000);
  assert.ok(chunks > 1 && chunks < 10, `${chunks} chunks`);
});

test('a synchronous source and an asynchronous one give the same text', async () => {
  const rows = Array.from({ length: 30_000 }, (_, i) => [i, `row\t${i}`]);
  async function* later() {
    for (const row of rows) yield row;
  }
  const read = async (source: Iterable<unknown[]> | AsyncIterable<unknown[]>) => {
    const counter = { rows: 0 };
    let text = '';
    for await (const chunk of copyChunks(source, ['id', 'name'], counter)) text += chunk;
    return { text, rows: counter.rows };
  };
  const sync = await read(rows);
  assert.deepEqual(await read(later()), sync);
  assert.equal(sync.rows, 30_000);
  assert.deepEqual(await read([]), { text: '', rows: 0 });
});

test('timestamps are written as toISOString writes them, faster', () => {
  const edges = [
    '1970-01-01T00:00:00.000Z',
    '2000-02-29T23:59:59.999Z',
    '2100-03-01T00:00:00.000Z',
    '9999-12-31T23:59:59.999Z',
    '1969-12-31T23:59:59.999Z',
    '0044-03-15T12:00:00.000Z',
  ];
  for (const text of edges) assert.equal(isoTimestamp(new Date(text)), text);
  let seed = 7;
  for (let i = 0; i < 20_000; i++) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    const date = new Date(Math.floor((seed / 2 ** 32) * 253402300800000));
    assert.equal(isoTimestamp(date), date.toISOString());
  }
  assert.throws(() => copyField(new Date(NaN)), RangeError);
});
