// Crossings an ordered layering forces (layerCrossings), which the layered layout's sweeps minimise.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { layerCrossings } from '../../../../client/webview/src/layout/layerCrossings';

test('crossings between adjacent layers are the edge pairs whose ends are in opposite orders', () => {
  const down = new Map([
    ['a', ['y', 'z']],
    ['b', ['x']],
    ['c', ['x', 'z']],
  ]);
  // a>y and a>z each cross b>x and c>x; nothing else (a shared end is no crossing).
  assert.equal(
    layerCrossings(
      [
        ['a', 'b', 'c'],
        ['x', 'y', 'z'],
      ],
      down,
    ),
    4,
  );
  assert.equal(
    layerCrossings(
      [
        ['b', 'c', 'a'],
        ['x', 'z', 'y'],
      ],
      down,
    ),
    0,
  );
  // Edges that skip a layer are not counted (the layout splits them first).
  assert.equal(layerCrossings([['a', 'b', 'c'], ['q'], ['x', 'y', 'z']], down), 0);
});
