// Where things are in a plumb.toml: tables (array tables counted), keys and values with ranges.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { headerAtLine, inlineKeyRange, tomlLayout } from '../../../server/src/analysis/tomlLayout';

test('array tables are numbered and their keys belong to them, not to the table above', () => {
  const layout = tomlLayout(
    '[run]\nworkers = 1\n[[schedules]]\nname = "a"\n[[schedules]]\nname = "b" # two\n',
  );
  assert.deepEqual(
    layout.entries.map((e) => [e.table, e.index, e.key, e.valueText]),
    [
      ['run', undefined, 'workers', '1'],
      ['schedules', 0, 'name', '"a"'],
      ['schedules', 1, 'name', '"b"'],
    ],
  );
  assert.deepEqual(layout.entries[2]!.valueRange, {
    start: { line: 5, character: 7 },
    end: { line: 5, character: 10 },
  });
  assert.equal(headerAtLine(layout, 5)?.index, 1);
  assert.equal(headerAtLine(layout, 1)?.name, 'run');
});

test('a key inside an inline table is found where it is written', () => {
  const [entry] = tomlLayout('params = { region = "eu", day = 1 }').entries;
  assert.deepEqual(inlineKeyRange(entry!, 'day'), {
    start: { line: 0, character: 26 },
    end: { line: 0, character: 29 },
  });
  assert.deepEqual(inlineKeyRange(entry!, 'nope'), entry!.keyRange);
});
