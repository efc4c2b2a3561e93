import assert from 'node:assert/strict';
import { test } from 'node:test';
import { breakPoints } from '../../../../client/webview/src/dag/nameBreaks';

test('a name may break between camelCase words, after an acronym and after underscores', () => {
  const parts = (name: string) => {
    const cuts = [0, ...breakPoints(name), name.length];
    return cuts.slice(1).map((end, i) => name.slice(cuts[i], end));
  };
  assert.deepEqual(parts('CustomerSegmentsWeekly'), ['Customer', 'Segments', 'Weekly']);
  assert.deepEqual(parts('T0_L0_export'), ['T0_', 'L0_', 'export']);
  assert.deepEqual(parts('HTTPFetch'), ['HTTP', 'Fetch']);
  assert.deepEqual(parts('x'), ['x']);
});
