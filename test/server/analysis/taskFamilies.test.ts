// Which classes are tasks, and what the analysis reads from them: bases through imports, re-exports,
// aliases, namespaces and abstract intermediates; with the runtime resolved, vendored, or absent.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { analyseFixture, analyseFolder, copyFixture, edgeList, fixturePath } from '../fixtureWorkspace';

describe('task families', () => {
  it('finds tasks through aliases, re-exports, namespace imports and an abstract base', () => {
    const { result } = analyseFixture('top-artists');
    const byName = new Map(result.families.map((f) => [f.family, f]));
    assert.deepEqual([...byName.keys()].sort(), [
      'AggregateArtists',
      'All',
      'IntervalTask',
      'Streams',
      'Top10Artists',
    ]);
    assert.equal(byName.get('Streams')!.kind, 'external'); // `ExternalTask as External`
    assert.equal(byName.get('All')!.kind, 'wrapper');
    assert.equal(byName.get('AggregateArtists')!.kind, 'task'); // `const BaseTask = plumb.Task`, re-exported
    assert.equal(byName.get('IntervalTask')!.cls.abstract, true);
    // Top10Artists inherits its parameter from the abstract IntervalTask.
    assert.deepEqual(
      byName.get('Top10Artists')!.params.map((p) => p.name),
      ['dateInterval'],
    );
    assert.deepEqual(edgeList(result), [
      'AggregateArtists → Streams', // through `export * from './streams'`
      'All → Top10Artists',
      'Top10Artists → AggregateArtists', // through `export { AggregateArtists as Aggregate }`
    ]);
  });

  it('resolves the base to the runtime package installed in this repository', () => {
    const { result } = analyseFixture('top-artists');
    // typed: the base resolved to the runtime's own source files, not just to the import's name.
    assert.ok(result.families.every((f) => f.typed));
  });

  it('reads parameter types, defaults, significance and enum choices from Task.with({...})', () => {
    const { result } = analyseFixture('top-artists');
    const aggregate = result.families.find((f) => f.family === 'AggregateArtists')!;
    assert.deepEqual(aggregate.params, [
      { name: 'dateInterval', type: 'dateInterval', required: true },
      { name: 'useHadoop', type: 'bool', required: false, defaultText: 'false', significant: false },
    ]);
  });

  it('reads output templates and turns them into globs under the project root', () => {
    const { result } = analyseFixture('top-artists');
    const streams = result.families.find((f) => f.family === 'Streams')!;
    assert.deepEqual(
      streams.outputs!.map((o) => [o.info.kind, o.info.template, o.info.glob]),
      [['LocalTarget', 'data/streams_${date}.tsv', 'data/streams_*.tsv']],
    );
  });

  it('follows tsconfig paths to a vendored runtime, and ignores a local class that is merely named Task', () => {
    const { result } = analyseFixture('vendored-runtime');
    assert.deepEqual(result.families.map((f) => f.family).sort(), ['Extract', 'Load']);
    assert.ok(
      result.families.every((f) => f.typed),
      'bases resolved into the vendored package',
    );
    assert.deepEqual(edgeList(result), ['Load → Extract']);
  });

  it('recognises plumb-pipelines imports by name where the runtime is not installed', () => {
    const { root, dispose } = copyFixture('unresolved');
    try {
      const { result } = analyseFolder(root);
      assert.deepEqual(
        result.families.map((f) => [f.family, f.kind, f.typed]),
        [
          ['Input', 'external', false],
          ['Work', 'task', false],
        ],
      );
      assert.deepEqual(edgeList(result), ['Work → Input']);
    } finally {
      dispose();
    }
  });

  it('analyses files outside the tsconfig, CommonJS modules included, without running them', () => {
    const { result } = analyseFixture('outside-tsconfig');
    const where = (name: string) => {
      const f = result.families.find((x) => x.family === name);
      return f && path.relative(fixturePath('outside-tsconfig'), f.file.fileName);
    };
    assert.equal(where('Daily'), path.join('src', 'daily.ts')); // in the tsconfig's include
    assert.equal(where('Backfill'), path.join('scripts', 'backfill.ts')); // outside it
    assert.equal(where('Legacy'), path.join('scripts', 'legacy.js')); // `const { Task } = require(...)`
    assert.equal(where('Report'), path.join('scripts', 'report.js')); // `plumb.Task`, `exports.Report`
    assert.deepEqual(edgeList(result), ['Backfill → Daily', 'Report → Legacy']);
    // backfill.ts writes this file at its top level if anything ever executes it.
    assert.equal(fs.existsSync(fixturePath('outside-tsconfig/scripts/executed.txt')), false);
  });
});
