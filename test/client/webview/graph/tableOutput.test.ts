// A node of a task that writes a database table shows the table (client/webview/src/graph/tableOutput.ts),
// on the graph the real analysis makes of plumb-postgres tasks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeNode } from '../../../../client/webview/src/graph/nodeContent';
import { analyseFixture } from '../../../server/fixtureWorkspace';

const graph = analyseFixture('postgres-tables').result.pipelineGraph();
const node = (family: string) => graph.nodes.find((n) => n.family === family)!;

test('a table load or query task shows its table with a database icon', () => {
  assert.deepEqual(
    ['LoadPlays', 'DailyTop', 'TopByHand', 'EitherTable'].map((f) => [
      describeNode(node(f)).output,
      describeNode(node(f)).outputIcon,
    ]),
    [
      ['table plays', 'database'],
      ['table top_${date}', 'database'],
      ['table top_${day}', 'database'],
      ['table (computed)', 'database'],
    ],
  );
});

test('a query task with only a marker row shows its target kind, as other outputs do', () => {
  assert.deepEqual(
    [describeNode(node('Vacuum')).output, describeNode(node('Vacuum')).outputIcon],
    ['PostgresTarget', 'file'],
  );
});
