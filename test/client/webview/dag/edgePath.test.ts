import assert from 'node:assert/strict';
import { test } from 'node:test';
import { roundedPath } from '../../../../client/webview/src/dag/edgePath';

test('roundedPath draws straight lines and rounds each bend with a quadratic curve', () => {
  assert.equal(roundedPath([]), '');
  assert.equal(
    roundedPath([
      { x: 0, y: 0 },
      { x: 10, y: 0 },
    ]),
    'M0,0 L10,0',
  );
  assert.equal(
    roundedPath(
      [
        { x: 0, y: 0 },
        { x: 20, y: 0 },
        { x: 20, y: 20 },
      ],
      5,
    ),
    'M0,0 L15,0 Q20,0 20,5 L20,20',
  );
  // A bend closer than the radius to its neighbours is rounded by what room there is.
  assert.equal(
    roundedPath(
      [
        { x: 0, y: 0 },
        { x: 4, y: 0 },
        { x: 4, y: 40 },
      ],
      10,
    ),
    'M0,0 L2,0 Q4,0 4,2 L4,40',
  );
});
