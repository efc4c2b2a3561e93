import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  FOLD_ABOVE,
  familiesToFold,
  foldEdges,
  foldFamilies,
  groupStatus,
  statusCounts,
} from '../../../../client/webview/src/run/familyView';

const leaves = Array.from({ length: 1000 }, (_, i) => ({ id: `Leaf(${i})`, family: 'Leaf' }));
const tasks = [
  ...leaves,
  { id: 'Root', family: 'Root' },
  { id: 'A(1)', family: 'A' },
  { id: 'A(2)', family: 'A' },
];
const edges = [...leaves, { id: 'A(1)' }, { id: 'A(2)' }].map((t) => ({ source: t.id, target: 'Root' }));

test('a fan-in of 1,000 instances of one family folds into one node with one edge', () => {
  const fold = familiesToFold(tasks, new Set(), false);
  assert.deepEqual([...fold], ['Leaf'], `only families over ${FOLD_ABOVE} instances`);
  const folding = foldFamilies(tasks, fold);
  assert.equal(folding.groups.get('family:Leaf')!.ids.length, 1000);
  assert.deepEqual(
    foldEdges(edges, folding.nodeOf).map((e) => e.id),
    ['family:Leaf->Root', 'A(1)->Root', 'A(2)->Root'],
  );
});

test('the family view folds every family with several instances, except expanded ones', () => {
  assert.deepEqual([...familiesToFold(tasks, new Set(), true)].sort(), ['A', 'Leaf']);
  assert.deepEqual([...familiesToFold(tasks, new Set(['Leaf']), true)], ['A']);
});

test('a group shows its most urgent status and counts', () => {
  assert.equal(groupStatus(['done', 'failed', 'running']), 'failed');
  assert.equal(groupStatus(['complete', 'done']), 'done');
  assert.equal(statusCounts(['done', 'done', 'running']), '1 running · 2 done');
});
