// Hover on a PostgreSQL task: its outputs show the table it writes (a table has no path), and a
// table named at run time says so instead of "(computed path)".
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { taskHover } from '../../server/src/taskHover';
import { analyseFixture } from './fixtureWorkspace';

function hoverText(family: string): string {
  const { result } = analyseFixture('postgres-tables');
  const f = result.families.find((x) => x.family === family);
  assert.ok(f, `a family ${family}`);
  const hover = taskHover(result, f.file.uri, f.cls.nameRange.start);
  return (hover?.contents as { value: string } | undefined)?.value ?? '';
}

it('shows the table a table load writes, from its `table` member', () => {
  assert.match(hoverText('LoadPlays'), /\*\*Outputs:\*\* `PostgresTarget` table `plays`/);
});

it('shows the table of `new PostgresTarget(id, { table })` in output(), placeholders kept', () => {
  assert.match(hoverText('TopByHand'), /\*\*Outputs:\*\* `PostgresTarget` table `top_\$\{day\}`/);
});

it('says a table chosen at run time is computed, not a computed path', () => {
  const text = hoverText('EitherTable');
  assert.match(text, /\*\*Outputs:\*\* `PostgresTarget` table \(computed name\)/);
  assert.doesNotMatch(text, /computed path/);
});
