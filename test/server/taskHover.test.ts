// Hover on a task: the range it answers lies in the hovered document, on what was hovered (for
// `new X(...)`, the `new X` written there, not X's declaration in another file).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { taskHover } from '../../server/src/taskHover';
import { analyseFixture, fixturePath } from './fixtureWorkspace';

it('answers a hover on `new X(...)` with the range of `new X` in the hovered document', () => {
  const { result } = analyseFixture('top-artists');
  const file = fixturePath('top-artists/tasks/top10.ts');
  const uri = pathToFileURL(file).href;
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const line = lines.findIndex((l) => l.includes('new Aggregate('));
  const character = lines[line]!.indexOf('Aggregate(') + 2;
  const hover = taskHover(result, uri, { line, character });
  assert.ok(hover, 'a hover over new Aggregate');
  assert.match((hover.contents as { value: string }).value, /\*\*AggregateArtists\*\*/);
  const { start, end } = hover.range!;
  assert.equal(start.line, line);
  assert.equal(end.line, line);
  assert.equal(lines[line]!.slice(start.character, end.character), 'new Aggregate');
  // The declaration of AggregateArtists is in another file, on another line: not what is answered.
  const declaration = result.families.find((f) => f.family === 'AggregateArtists')!;
  assert.notEqual(path.basename(declaration.file.fileName), 'top10.ts');
});

it('answers a hover on a task class name with the name range', () => {
  const { result } = analyseFixture('top-artists');
  const family = result.families.find((f) => f.family === 'Top10Artists')!;
  const hover = taskHover(result, family.file.uri, family.cls.nameRange.start);
  assert.deepEqual(hover?.range, family.cls.nameRange);
});
