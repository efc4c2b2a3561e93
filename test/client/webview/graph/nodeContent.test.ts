import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeNode, keyParams } from '../../../../client/webview/src/graph/nodeContent';
import { readGraph } from '../fixtureFiles';

const graph = readGraph('music-graph.json');
const node = (family: string) => graph.nodes.find((n) => n.family === family)!;

test('a node shows family, kind icon, its key parameters and its output template', () => {
  const top = describeNode(node('Top10Artists'));
  assert.equal(top.family, 'Top10Artists');
  assert.equal(top.icon, 'symbol-class');
  assert.equal(top.output, 'data/top_artists_${date_interval}.tsv');
  // plumb.toml's value wins over the (absent) default; four parameters, three shown.
  assert.deepEqual(top.params[0], {
    name: 'date_interval',
    value: '"2026-11-01-2026-11-07"',
    type: 'dateInterval',
  });
  assert.equal(top.params.length, 3);
  assert.equal(top.moreParams, 1);
});

test('missing externals and cycle members are marked', () => {
  const raw = describeNode(node('RawLogs'));
  assert.equal(raw.missingExternal, true);
  assert.equal(raw.icon, 'warning');
  assert.equal(describeNode(node('Streams')).icon, 'database');
  assert.equal(describeNode(node('CleanSessions')).inCycle, true);
  assert.equal(describeNode(node('WeeklyReport')).output, undefined);
});

test('keyParams puts required parameters with no value first, then declaration order', () => {
  const p = (name: string, required: boolean, defaultText?: string) => ({
    name,
    type: 'string',
    required,
    defaultText,
  });
  const lines = keyParams([p('a', false, '1'), p('b', false, '2'), p('need', true), p('c', false, '3')], 3);
  assert.deepEqual(
    lines.map((l) => [l.name, l.value]),
    [
      ['need', undefined],
      ['a', '1'],
      ['b', '2'],
    ],
  );
});
